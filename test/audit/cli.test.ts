import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadSoftwareSigner } from "../../adapters/audit/index.js";
import { runCli } from "../support/cli.js";
import { forgeChained, tempDir, writeLog } from "./support.js";

/** A software key made with `musgo audit keygen`, its trust file, and a 10-record log signed with it. */
async function setup() {
  const dir = tempDir();
  const key = join(dir, "key.pem");
  const trust = join(dir, "trust.pem");
  const log = join(dir, "audit.jsonl");
  const keygen = await runCli(["audit", "keygen", "--out", key]);
  expect(keygen.code).toBe(0);
  writeFileSync(trust, keygen.stdout);
  await writeLog(log, await loadSoftwareSigner(key), 10);
  return { dir, key, trust, log };
}

describe("musgo audit", () => {
  it("keygen writes a private key file and prints the public key pubkey prints again", async () => {
    const { key, trust } = await setup();
    expect(readFileSync(key, "utf8")).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    const pubkey = await runCli(["audit", "pubkey", "--key-file", key]);
    expect(pubkey).toEqual({ code: 0, stdout: readFileSync(trust, "utf8"), stderr: "" });
    expect(pubkey.stdout).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    const again = await runCli(["audit", "keygen", "--out", key]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^error: cannot write the key `.*key\.pem`: it already exists/);
  });

  it("verify: exit 0 for an intact log, 1 with the first bad seq and reason for a tampered one", async () => {
    const { log, trust } = await setup();
    expect(await runCli(["audit", "verify", log, "--trust", trust])).toEqual({
      code: 0,
      stdout: "ok: 10 records, 1 checkpoint\n",
      stderr: "",
    });
    const lines = readFileSync(log, "utf8").split("\n");
    lines.splice(3, 1);
    writeFileSync(log, lines.join("\n"));
    const tampered = await runCli(["audit", "verify", log, "--trust", trust]);
    expect(tampered.code).toBe(1);
    expect(tampered.stdout).toBe(
      "TAMPERED: record 3: expected seq 3, found 4 (records deleted, inserted or reordered)\n3 records verified before it\n",
    );
  });

  it("verify: exit 4 for an uncovered tail after a crash, which is not reported as tampering", async () => {
    const { log, trust, key } = await setup();
    const lines = readFileSync(log, "utf8").split("\n").slice(0, -1);
    const forged = forgeChained(lines, 3, await loadSoftwareSigner(key));
    writeFileSync(log, [...lines, ...forged].map((l) => `${l}\n`).join("") + '{"alg":"Ed');
    expect(await runCli(["audit", "verify", log, "--trust", trust])).toEqual({
      code: 4,
      stdout:
        "uncovered tail after a crash: 3 records and an incomplete line, not acknowledged (from record 10)\n" +
        "intact before it: 10 records, 1 checkpoint; the next writer moves the tail aside\n",
      stderr: "",
    });
  });

  it("verify: an empty log with no checkpoints fails as empty (exit 1) unless --allow-empty", async () => {
    const { dir, trust } = await setup();
    const empty = join(dir, "empty.jsonl");
    writeFileSync(empty, "");
    expect(await runCli(["audit", "verify", empty, "--trust", trust])).toEqual({
      code: 1,
      stdout:
        "empty: the log holds no records and no checkpoints, so nothing vouches for it " +
        "(--allow-empty accepts that)\n",
      stderr: "",
    });
    const allowed = await runCli(["audit", "verify", empty, "--trust", trust, "--allow-empty"]);
    expect(allowed).toEqual({ code: 0, stdout: "ok: 0 records, 0 checkpoints\n", stderr: "" });
  });

  it("verify with someone else's key reports the untrusted key", async () => {
    const { log, dir } = await setup();
    const other = await runCli(["audit", "keygen", "--alg", "ES256", "--out", join(dir, "other.pem")]);
    writeFileSync(join(dir, "other-trust.pem"), other.stdout);
    const run = await runCli(["audit", "verify", log, "--trust", join(dir, "other-trust.pem")]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^TAMPERED: record 0: key [A-Za-z0-9_-]{43} is not in the trust store\n/);
  });

  it("prove prints a tlog-proof that verify-proof accepts, and rejects once the record is altered", async () => {
    const { log, trust, dir } = await setup();
    const proof = await runCli(["audit", "prove", log, "7"]);
    expect(proof.code).toBe(0);
    expect(proof.stdout).toMatch(
      /^c2sp\.org\/tlog-proof@v1\nextra [A-Za-z0-9+/=]+\nindex 7\n([A-Za-z0-9+/]{43}=\n){4}\nmusgo\.test\/audit\n10\n/,
    );
    const proofFile = join(dir, "7.tlog-proof");
    writeFileSync(proofFile, proof.stdout);
    expect(await runCli(["audit", "verify-proof", proofFile, "--trust", trust])).toEqual({
      code: 0,
      stdout: "ok: record 7 is in the log under a trusted checkpoint\n",
      stderr: "",
    });
    writeFileSync(proofFile, proof.stdout.replace("index 7", "index 6"));
    const wrongIndex = await runCli(["audit", "verify-proof", proofFile, "--trust", trust]);
    expect(wrongIndex).toMatchObject({
      code: 1,
      stdout: "INVALID: record 6: record: expected seq 6, found 7 (records deleted, inserted or reordered)\n",
    });
  });

  it("prove refuses a record no checkpoint covers", async () => {
    const { log } = await setup();
    const run = await runCli(["audit", "prove", log, "10"]);
    expect(run).toEqual({ code: 1, stdout: "", stderr: "error: the log has no record 10 (it has 10)\n" });
  });

  it("usage errors exit 2", async () => {
    expect((await runCli(["audit"])).code).toBe(2);
    expect((await runCli(["audit", "verify", "x.jsonl"])).stderr).toMatch(/^error: --trust KEYFILE is required/);
    expect((await runCli(["audit", "prove", "x.jsonl", "-1"])).code).toBe(2);
    expect((await runCli(["audit", "keygen", "--alg", "RS256", "--out", "k"])).code).toBe(2);
  });
});
