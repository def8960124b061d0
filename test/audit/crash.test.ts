// A writer killed mid-write (SIGKILL, no chance to clean up) leaves a log whose intact prefix
// verifies, and the next writer continues the chain after it.

import { spawn } from "node:child_process";
import { appendFileSync, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateSoftwareKey, loadSoftwareSigner, openAuditLog, verifyAuditLog, writeSoftwareKey } from "../../adapters/audit/index.js";
import { LOG_NAME, sampleContext, sampleVerdict, tempDir, trustOf } from "./support.js";

const COMPILED = "dist/adapters/audit/index.js";

/** Runs the writer child until it reports at least `records` durable records, then kills it. */
function runAndKill(path: string, keyFile: string, records: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["test/audit/fixtures/crash-writer.mjs", path, keyFile, LOG_NAME], { stdio: ["ignore", "pipe", "pipe"] });
    let durable = 0;
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on("data", (chunk: Buffer) => {
      for (const match of chunk.toString().matchAll(/durable (\d+)/g)) durable = Number(match[1]);
      // Kill while it is busy signing and writing the next group.
      if (durable >= records) child.kill("SIGKILL");
    });
    child.on("exit", (_code, signal) => (signal === "SIGKILL" ? resolve(durable) : reject(new Error(`writer exited on its own: ${stderr}`))));
  });
}

describe("crash safety", () => {
  it("a killed writer leaves a verifiable prefix, and the next writer continues the chain", async () => {
    expect(existsSync(COMPILED), `${COMPILED} is missing: run \`npm run build\` first`).toBe(true);
    const dir = tempDir();
    const path = join(dir, "audit.jsonl");
    const keyFile = join(dir, "audit-key.pem");
    await writeSoftwareKey(keyFile, generateSoftwareKey());
    const signer = await loadSoftwareSigner(keyFile);
    const trust = trustOf(signer);

    const acknowledged = await runAndKill(path, keyFile, 400);
    // A power cut could also tear the last line; simulate one on top of the kill.
    appendFileSync(path, '{"alg":"EdDSA","body":{"action_ta');

    const afterCrash = await verifyAuditLog(path, { trust });
    expect(afterCrash.records).toBeGreaterThanOrEqual(acknowledged);
    expect(afterCrash.firstError).toEqual({ seq: afterCrash.records, reason: "incomplete last line (a write cut short)" });

    const log = await openAuditLog({ path, logName: LOG_NAME, signer, mode: "per-record" });
    const receipts = await Promise.all([0, 1, 2].map((i) => log.append(sampleVerdict(i), sampleContext(i))));
    await log.close();
    expect(receipts.map((r) => r.seq)).toEqual([afterCrash.records, afterCrash.records + 1, afterCrash.records + 2]);
    const resumed = await verifyAuditLog(path, { trust });
    expect(resumed).toMatchObject({ ok: true, records: afterCrash.records + 3, unanchored: 0 });
    expect(readFileSync(path, "utf8").endsWith("}\n")).toBe(true);
  });
});

/** Runs the full-disk writer under a file-size limit of `kilobytes`; returns its report lines. */
function runOnFullDisk(path: string, keyFile: string, mode: string, kilobytes: number): Promise<{ durable: number; rejected: string; later: string }> {
  return new Promise((resolve, reject) => {
    const args = ["test/audit/fixtures/full-disk-writer.mjs", path, keyFile, LOG_NAME, mode].map((a) => `'${a}'`).join(" ");
    const child = spawn("bash", ["-c", `ulimit -f ${kilobytes} && exec '${process.execPath}' ${args}`], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("exit", (code) => {
      const durable = [...stdout.matchAll(/durable (\d+)/g)].map((m) => Number(m[1]));
      const rejected = /rejected (.*)/.exec(stdout)?.[1];
      const later = /later (\w+)/.exec(stdout)?.[1];
      if (code !== 0 || rejected === undefined || later === undefined) reject(new Error(`writer exited with ${code}: ${stdout}${stderr}`));
      else resolve({ durable: durable.at(-1) ?? 0, rejected, later });
    });
  });
}

describe("a full disk fails closed", () => {
  for (const mode of ["batch", "per-record"]) {
    it(`${mode} mode: the failed write rejects its records and every later append; the next writer keeps the acknowledged prefix`, async () => {
      expect(existsSync(COMPILED), `${COMPILED} is missing: run \`npm run build\` first`).toBe(true);
      const dir = tempDir();
      const path = join(dir, "audit.jsonl");
      const keyFile = join(dir, "audit-key.pem");
      await writeSoftwareKey(keyFile, generateSoftwareKey());
      const trust = trustOf(await loadSoftwareSigner(keyFile));

      const run = await runOnFullDisk(path, keyFile, mode, 2048);
      expect(run.rejected).toMatch(/audit log write failed: .*EFBIG/);
      expect(run.later).toBe("rejected");
      expect(run.durable).toBeGreaterThan(0);
      // As after a crash, the next writer drops a torn tail and checkpoints what survived.
      const log = await openAuditLog({ path, logName: LOG_NAME, signer: await loadSoftwareSigner(keyFile), mode: "batch" });
      await log.close();
      const result = await verifyAuditLog(path, { trust });
      expect(result).toMatchObject({ ok: true, unanchored: 0 });
      expect(result.records).toBeGreaterThanOrEqual(run.durable);
    });
  }
});
