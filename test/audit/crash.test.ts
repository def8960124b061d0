// A writer killed mid-write (SIGKILL, no chance to clean up) has acknowledged only records a signed
// checkpoint covers. `audit verify` reports what follows as an uncovered tail, not as tampering, and
// the next writer moves that tail aside rather than sealing it, even when someone appended forged
// chained records to it while no writer ran.

import { spawn } from "node:child_process";
import { appendFileSync, existsSync, readFileSync, truncateSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  generateSoftwareKey,
  loadSoftwareSigner,
  openAuditLog,
  verifyAuditLog,
  writeSoftwareKey,
} from "../../adapters/audit/index.js";
import type { AuditMode } from "../../adapters/audit/index.js";
import { forgeChained, LOG_NAME, sampleContext, sampleVerdict, tempDir, trustOf } from "./support.js";

const COMPILED = "dist/adapters/audit/index.js";

/** Runs the writer child until it reports at least `records` acknowledged records, then kills it. */
function runAndKill(path: string, keyFile: string, mode: AuditMode, records: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const args = ["test/audit/fixtures/crash-writer.mjs", path, keyFile, LOG_NAME, mode];
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
    let durable = 0;
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on("data", (chunk: Buffer) => {
      for (const match of chunk.toString().matchAll(/durable (\d+)/g)) durable = Number(match[1]);
      // Kill while it is busy signing and writing the next group.
      if (durable >= records) child.kill("SIGKILL");
    });
    child.on("exit", (_code, signal) =>
      signal === "SIGKILL" ? resolve(durable) : reject(new Error(`writer exited on its own: ${stderr}`)),
    );
  });
}

async function crashedLog(mode: AuditMode) {
  expect(existsSync(COMPILED), `${COMPILED} is missing: run \`npm run build\` first`).toBe(true);
  const dir = tempDir();
  const path = join(dir, "audit.jsonl");
  const keyFile = join(dir, "audit-key.pem");
  await writeSoftwareKey(keyFile, generateSoftwareKey());
  const signer = await loadSoftwareSigner(keyFile);
  const acknowledged = await runAndKill(path, keyFile, mode, 400);
  return { path, signer, trust: trustOf(signer), acknowledged };
}

describe("crash safety", () => {
  for (const mode of ["batch", "per-record"] as const) {
    it(`${mode} mode: a killed writer acknowledged only covered records; its tail is reported, moved aside`, async () => {
      const { path, signer, trust, acknowledged } = await crashedLog(mode);
      // A power cut could also tear the last line; simulate one on top of the kill.
      appendFileSync(path, '{"alg":"EdDSA","body":{"action_ta');
      const before = readFileSync(path);

      const afterCrash = await verifyAuditLog(path, { trust });
      expect(afterCrash.status).toBe("uncovered-tail");
      expect(afterCrash.records).toBeGreaterThanOrEqual(acknowledged);
      const tail = afterCrash.uncoveredTail!;
      expect(tail).toMatchObject({ seq: afterCrash.records, torn: true });

      const log = await openAuditLog({ path, logName: LOG_NAME, signer, mode });
      expect(log.uncoveredTail?.records).toBe(tail.records);
      // The log keeps exactly the covered records; the copy holds every byte after them.
      expect(readFileSync(path, "utf8").split("\n")).toHaveLength(afterCrash.records + 1);
      expect(Buffer.concat([readFileSync(path), readFileSync(log.uncoveredTail!.copy)])).toEqual(before);
      const receipts = await Promise.all([0, 1, 2].map((i) => log.append(sampleVerdict(i), sampleContext(i))));
      await log.close();
      expect(receipts.map((r) => r.seq)).toEqual([afterCrash.records, afterCrash.records + 1, afterCrash.records + 2]);
      expect(await verifyAuditLog(path, { trust })).toMatchObject({ status: "ok", records: afterCrash.records + 3 });
      expect(readFileSync(path, "utf8").endsWith("}\n")).toBe(true);
    });
  }

  it("forged chained records appended to a crashed log are never sealed by the next writer", async () => {
    const { path, signer, trust } = await crashedLog("batch");
    // Whoever can write the file drops a torn line, if any, and chains records on as the writer would.
    const text = readFileSync(path, "utf8");
    truncateSync(path, Buffer.byteLength(text.slice(0, text.lastIndexOf("\n") + 1)));
    const lines = readFileSync(path, "utf8").split("\n").slice(0, -1);
    appendFileSync(
      path,
      forgeChained(lines, 5, signer)
        .map((l) => `${l}\n`)
        .join(""),
    );

    const forged = await verifyAuditLog(path, { trust });
    expect(forged.status).toBe("uncovered-tail");
    expect(forged.uncoveredTail?.records).toBe(lines.length - forged.records + 5);

    const log = await openAuditLog({ path, logName: LOG_NAME, signer, mode: "batch" });
    expect(readFileSync(log.uncoveredTail!.copy, "utf8").match(/"agent":"forged"/g)).toHaveLength(5);
    await Promise.all([0, 1].map((i) => log.append(sampleVerdict(i), sampleContext(i))));
    await log.close();
    expect(readFileSync(path, "utf8")).not.toContain('"agent":"forged"');
    expect(await verifyAuditLog(path, { trust })).toMatchObject({ status: "ok", records: forged.records + 2 });
  });
});

/** Runs the full-disk writer under a file-size limit of `kilobytes`; returns its report lines. */
function runOnFullDisk(
  path: string,
  keyFile: string,
  mode: string,
  kilobytes: number,
): Promise<{ durable: number; rejected: string; later: string }> {
  return new Promise((resolve, reject) => {
    const args = ["test/audit/fixtures/full-disk-writer.mjs", path, keyFile, LOG_NAME, mode]
      .map((a) => `'${a}'`)
      .join(" ");
    const child = spawn("bash", ["-c", `ulimit -f ${kilobytes} && exec '${process.execPath}' ${args}`], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("exit", (code) => {
      const durable = [...stdout.matchAll(/durable (\d+)/g)].map((m) => Number(m[1]));
      const rejected = /rejected (.*)/.exec(stdout)?.[1];
      const later = /later (\w+)/.exec(stdout)?.[1];
      if (code !== 0 || rejected === undefined || later === undefined)
        reject(new Error(`writer exited with ${code}: ${stdout}${stderr}`));
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
      // As after a crash, the next writer moves aside what no checkpoint covers; the acknowledged records stay.
      const log = await openAuditLog({
        path,
        logName: LOG_NAME,
        signer: await loadSoftwareSigner(keyFile),
        mode: "batch",
      });
      await log.close();
      const result = await verifyAuditLog(path, { trust });
      expect(result.status).toBe("ok");
      expect(result.records).toBeGreaterThanOrEqual(run.durable);
    });
  }
});
