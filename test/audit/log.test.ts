import { readFileSync, writeFileSync, appendFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  openAuditLog,
  verifyAuditLog,
  AuditSignerError,
  leafHash,
  releaseBody,
  type AuditSigner,
} from "../../adapters/audit/index.js";
import { intact, LOG_NAME, newSigner, sampleContext, sampleVerdict, tempDir, trustOf, writeLog } from "./support.js";

describe("audit log writer", () => {
  for (const alg of ["EdDSA", "ES256"] as const) {
    it(`writes a per-record ${alg} log that verifies, with a final checkpoint`, async () => {
      const path = join(tempDir(), "audit.jsonl");
      const signer = newSigner(alg);
      await writeLog(path, signer, 25);
      const result = await verifyAuditLog(path, { trust: trustOf(signer) });
      expect(result).toEqual(intact(25, 1));
      const first = JSON.parse(readFileSync(path, "utf8").split("\n")[0]!);
      expect(first).toMatchObject({
        v: 1,
        log: LOG_NAME,
        seq: 0,
        kind: "verdict",
        alg,
        body: { permitted: true, codes: [] },
      });
      expect(first.sig).toMatch(/^[A-Za-z0-9_-]{86}$/);
    });
  }

  for (const mode of ["per-record", "batch"] as const) {
    it(`${mode} mode: releases are records of the same chain, between verdicts; editing one is detected`, async () => {
      const path = join(tempDir(), "audit.jsonl");
      const signer = newSigner();
      const log = await openAuditLog({ path, logName: LOG_NAME, signer, mode });
      const report = {
        agent: "advisor_7f2a9c1b",
        target: "deployment agents/advisor-7f2a9c1b",
        complete: false,
        error: 'step 2 of 3 failed: "quoted" é',
        steps: [
          { step: "delete-network-policy", status: "done" },
          { step: "remove-node-pin", status: "failed" },
        ],
      };
      const receipts = await Promise.all([
        log.append(sampleVerdict(1), sampleContext(1)),
        log.appendRelease(releaseBody(report)),
        log.append(sampleVerdict(2), sampleContext(2)),
      ]);
      await log.close();
      expect(receipts.map((r) => r.seq)).toEqual([0, 1, 2]);
      const lines = readFileSync(path, "utf8").split("\n");
      expect(JSON.parse(lines[1]!)).toMatchObject({
        kind: "release",
        seq: 1,
        body: {
          agent: "advisor_7f2a9c1b",
          complete: false,
          error: report.error,
          steps: ["delete-network-policy:done", "remove-node-pin:failed"],
          target: report.target,
        },
      });
      expect(receipts[1]!.leafHash).toBe(leafHash(lines[1]!));
      expect(await verifyAuditLog(path, { trust: trustOf(signer) })).toMatchObject({ status: "ok", records: 3 });
      writeFileSync(path, readFileSync(path, "utf8").replace('"complete":false', '"complete":true'));
      const tampered = await verifyAuditLog(path, { trust: trustOf(signer) });
      expect(tampered.ok).toBe(false);
      expect(tampered.firstError?.seq).toBe(1);
    });
  }

  it("batch mode writes unsigned records that checkpoints cover, one checkpoint per group commit", async () => {
    const path = join(tempDir(), "audit.jsonl");
    const signer = newSigner();
    const log = await openAuditLog({ path, logName: LOG_NAME, signer, mode: "batch" });
    for (let chunk = 0; chunk < 4; chunk++) {
      await Promise.all(Array.from({ length: 25 }, (_, i) => log.append(sampleVerdict(i), sampleContext(i))));
    }
    await log.close();
    const lines = readFileSync(path, "utf8").trim().split("\n");
    expect(lines.every((l) => !l.includes('"sig"'))).toBe(true);
    // Each chunk of 25 is appended in one tick, so it is one group commit, covered by its own checkpoint.
    expect(await verifyAuditLog(path, { trust: trustOf(signer) })).toEqual(intact(100, 4));
  });

  it("records a verdict's decision fields, never the raw input", async () => {
    const path = join(tempDir(), "audit.jsonl");
    const log = await openAuditLog({ path, logName: LOG_NAME, signer: newSigner(), mode: "per-record" });
    const receipt = await log.append(sampleVerdict(1), sampleContext(1));
    await log.close();
    const record = JSON.parse(readFileSync(path, "utf8").split("\n")[0]!);
    expect(receipt.seq).toBe(0);
    expect(record.body).toEqual({
      action_taken: "agent_quarantined",
      agent: "agent-1",
      article: "Article_IV_Resource_Limits",
      codes: ["rate_limit_exceeded", "pii_in_output"],
      constitution: { name: "musgo", version: "1.0.0" },
      input_sha256: sampleContext(1).inputSha256,
      module_sha256: sampleContext(1).moduleSha256,
      permitted: false,
      violation: "rate_limit_exceeded",
    });
  });

  for (const mode of ["per-record", "batch"] as const) {
    it(`${mode} mode: append resolves only once its record is on disk and a checkpoint on disk covers it`, async () => {
      const path = join(tempDir(), "audit.jsonl");
      const signer = newSigner();
      const log = await openAuditLog({ path, logName: LOG_NAME, signer, mode, groupCommitMs: 20 });
      const receipts = await Promise.all([0, 1, 2].map((i) => log.append(sampleVerdict(i), sampleContext(i))));
      expect(readFileSync(path, "utf8").trim().split("\n")).toHaveLength(3);
      expect(receipts.map((r) => r.seq)).toEqual([0, 1, 2]);
      // Verified before close: nothing but the group commit's own checkpoint covers the records.
      expect(await verifyAuditLog(path, { trust: trustOf(signer) })).toEqual(intact(3, 1));
      await log.close();
    });
  }

  it("a reopened log continues the chain and the sequence", async () => {
    const path = join(tempDir(), "audit.jsonl");
    const signer = newSigner();
    await writeLog(path, signer, 5);
    await writeLog(path, signer, 5);
    const seqs = readFileSync(path, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l).seq);
    expect(seqs).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(await verifyAuditLog(path, { trust: trustOf(signer) })).toEqual(intact(10, 2));
  });

  it("moves a torn last line aside on reopen and continues after the last checkpoint", async () => {
    const path = join(tempDir(), "audit.jsonl");
    const signer = newSigner();
    await writeLog(path, signer, 4, { mode: "batch" });
    const torn = readFileSync(path, "utf8").split("\n")[0]!.slice(0, 40);
    appendFileSync(path, torn);
    const log = await openAuditLog({ path, logName: LOG_NAME, signer, mode: "batch" });
    expect(log.uncoveredTail?.records).toBe(0);
    expect(readFileSync(log.uncoveredTail!.copy, "utf8")).toBe(torn);
    expect((await log.append(sampleVerdict(4), sampleContext(4))).seq).toBe(4);
    await log.close();
    expect(await verifyAuditLog(path, { trust: trustOf(signer) })).toMatchObject({ status: "ok", records: 5 });
  });

  it("after a crash before the first checkpoint (empty checkpoints file) the whole log is an uncovered tail", async () => {
    const path = join(tempDir(), "audit.jsonl");
    const signer = newSigner();
    await writeLog(path, signer, 3);
    const written = readFileSync(path, "utf8");
    writeFileSync(`${path}.checkpoints`, "");
    const log = await openAuditLog({ path, logName: LOG_NAME, signer, mode: "batch" });
    expect(log.uncoveredTail?.records).toBe(3);
    expect(readFileSync(log.uncoveredTail!.copy, "utf8")).toBe(written);
    expect((await log.append(sampleVerdict(0), sampleContext(0))).seq).toBe(0);
    await log.close();
    expect(await verifyAuditLog(path, { trust: trustOf(signer) })).toEqual(intact(1, 1));
  });

  it("drops a checkpoint note cut short by a crash on reopen", async () => {
    const path = join(tempDir(), "audit.jsonl");
    const signer = newSigner();
    await writeLog(path, signer, 3);
    const notes = readFileSync(`${path}.checkpoints`, "utf8");
    appendFileSync(`${path}.checkpoints`, notes.slice(0, notes.length - 20));
    const log = await openAuditLog({ path, logName: LOG_NAME, signer, mode: "batch" });
    expect(readFileSync(`${path}.checkpoints`, "utf8")).toBe(notes);
    await log.append(sampleVerdict(3), sampleContext(3));
    await log.close();
    expect(await verifyAuditLog(path, { trust: trustOf(signer) })).toEqual(intact(4, 2));
  });

  it("a new log starts with an empty checkpoints file beside it", async () => {
    const path = join(tempDir(), "audit.jsonl");
    const log = await openAuditLog({ path, logName: LOG_NAME, signer: newSigner(), mode: "batch" });
    expect(readFileSync(`${path}.checkpoints`, "utf8")).toBe("");
    await log.close();
  });

  it("refuses to continue another log or a log truncated below its checkpoint", async () => {
    const path = join(tempDir(), "audit.jsonl");
    const signer = newSigner();
    await writeLog(path, signer, 3);
    await expect(openAuditLog({ path, logName: "other.example/log", signer, mode: "batch" })).rejects.toThrow(
      /is the audit log `musgo.test\/audit`/,
    );
    writeFileSync(path, readFileSync(path, "utf8").split("\n").slice(0, 2).join("\n") + "\n");
    await expect(openAuditLog({ path, logName: LOG_NAME, signer, mode: "batch" })).rejects.toThrow(/truncated/);
  });

  it("fails closed: once signing fails, the record and every later append reject", async () => {
    const path = join(tempDir(), "audit.jsonl");
    const good = newSigner();
    let calls = 0;
    const flaky: AuditSigner = {
      ...good,
      alg: good.alg,
      publicKey: good.publicKey,
      sign: async (m) => (++calls === 2 ? Promise.reject(new Error("token removed")) : good.sign(m)),
      close: good.close,
    };
    const log = await openAuditLog({ path, logName: LOG_NAME, signer: flaky, mode: "per-record" });
    const results = await Promise.allSettled([0, 1, 2].map((i) => log.append(sampleVerdict(i), sampleContext(i))));
    // Record 0 was signed, but no checkpoint covers it before the log closed: it is refused too.
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected", "rejected"]);
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(AuditSignerError);
    await expect(log.append(sampleVerdict(3), sampleContext(3))).rejects.toThrow(/could not be signed: token removed/);
    await log.close();
    expect(readFileSync(path, "utf8")).toBe("");
  });

  it("rejects a context whose hashes are not SHA-256 hex", async () => {
    const log = await openAuditLog({
      path: join(tempDir(), "a.jsonl"),
      logName: LOG_NAME,
      signer: newSigner(),
      mode: "batch",
    });
    await expect(log.append(sampleVerdict(0), { inputSha256: "raw input", moduleSha256: "x" })).rejects.toThrow(
      /inputSha256/,
    );
    await log.close();
  });
});
