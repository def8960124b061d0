// Connects the Guard (guard/) to the audit log: every decision the Guard enforces, and every
// release it carries out, becomes a record of the same signed chain.

import { MalformedInput, type AuditEntry, type AuditSink } from "../../contract/ports.js";
import type { AuditLog } from "./log.js";
import { inputDigest, releaseBody, textDigest } from "./record.js";

export function guardAuditSink(log: AuditLog, moduleSha256: string): AuditSink {
  return {
    async append(entry: AuditEntry) {
      if (entry.kind === "release") {
        // One record per operation report (Guard.release has one); seqs are taken in call order.
        const receipts = await Promise.all(entry.actions.map((report) => log.appendRelease(releaseBody(report))));
        return receipts.length === 0 ? null : { seq: receipts[receipts.length - 1]!.seq };
      }
      const receipt = await log.append(entry.verdict, {
        inputSha256: entry.input instanceof MalformedInput ? textDigest(entry.input.raw) : inputDigest(entry.input),
        moduleSha256,
        ...(entry.agent === null ? {} : { agent: entry.agent }),
      });
      return { seq: receipt.seq };
    },
  };
}
