import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";

const EXAMPLE_3 = "constitution/examples/example3-classified.json";

async function softwareKey(dir: string): Promise<{ key: string; trust: string }> {
  const key = join(dir, "audit.key");
  const keygen = await runCli(["audit", "keygen", "--out", key]);
  expect(keygen.code).toBe(0);
  const trust = join(dir, "trust.pem");
  writeFileSync(trust, keygen.stdout);
  return { key, trust };
}

describe("musgo eval --audit-log", () => {
  it("writes one durable record per verdict that `audit verify` accepts, in both modes", async () => {
    for (const mode of ["batch", "per-record"]) {
      const dir = mkdtempSync(join(tmpdir(), "musgo-eval-audit-"));
      const { key, trust } = await softwareKey(dir);
      const inputs = join(dir, "inputs.jsonl");
      writeFileSync(
        inputs,
        `${readFileSync(EXAMPLE_3, "utf8").trim()}\n{broken\n${readFileSync(EXAMPLE_3, "utf8").trim()}\n`,
      );
      const log = join(dir, "audit.jsonl");
      const run = await runCli([
        "eval",
        "constitution/",
        "--inputs",
        inputs,
        "--audit-log",
        log,
        "--audit-mode",
        mode,
        "--key-file",
        key,
      ]);
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
      expect(run.stdout.trim().split("\n")).toHaveLength(3);
      const records = readFileSync(log, "utf8")
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line));
      expect(records.map((r) => r.seq)).toEqual([0, 1, 2]);
      expect(JSON.stringify(records[0])).toContain("unauthorized_classified_access");
      expect(JSON.stringify(records[1])).toContain("invalid_input");
      // The agent as the Guard records it (the input's agent.id); a malformed input has none.
      expect(records.map((r) => r.body.agent)).toEqual(["advisor_7f2a9c1b", null, "advisor_7f2a9c1b"]);
      expect(JSON.stringify(records)).not.toContain("classified_financials"); // the raw input is never logged
      const verify = await runCli(["audit", "verify", log, "--trust", trust]);
      expect(verify.stdout).toMatch(/^ok: 3 records/);
      expect(verify.code).toBe(0);
    }
  });

  it("fails closed without printing a verdict when the signer cannot be opened", async () => {
    const dir = mkdtempSync(join(tmpdir(), "musgo-eval-audit-"));
    const run = await runCli(
      [
        "eval",
        "constitution/",
        "--input",
        EXAMPLE_3,
        "--audit-log",
        join(dir, "a.jsonl"),
        "--signer",
        "pkcs11",
        "--pkcs11-token",
        "nope",
        "--pkcs11-key",
        "k",
      ],
      "",
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/^error: audit: /);
  });
});
