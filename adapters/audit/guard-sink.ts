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
        inputSha256: digestOf(entry),
        moduleSha256: entry.moduleSha256 ?? moduleSha256,
        ...(entry.agent === null ? {} : { agent: entry.agent }),
      });
      return { seq: receipt.seq };
    },
  };
}

/** SHA-256 of the input's canonical JSON (RFC 8785); of its raw bytes when it has no JSON form (malformed, 1e400). */
function digestOf(entry: Extract<AuditEntry, { kind: "decision" }>): string {
  if (entry.input instanceof MalformedInput) return textDigest(entry.input.raw);
  try {
    return inputDigest(entry.input);
  } catch (e) {
    if (entry.raw === undefined) throw e;
    return textDigest(entry.raw);
  }
}
