// Connects the Guard (runtime/guard) to the audit log: every decision the Guard enforces becomes a
// signed record. The record format holds verdicts, so release entries are not recorded (the Guard
// reports them as skipped).

import { createHash } from "node:crypto";
import { MalformedInput, type AuditEntry, type AuditSink } from "../../runtime/guard/ports.js";
import type { AuditLog } from "./log.js";
import { inputDigest } from "./record.js";

export function guardAuditSink(log: AuditLog, moduleSha256: string): AuditSink {
  return {
    async append(entry: AuditEntry) {
      if (entry.kind !== "decision") return null;
      const receipt = await log.append(entry.verdict, {
        inputSha256: entry.input instanceof MalformedInput ? createHash("sha256").update(entry.input.raw).digest("hex") : inputDigest(entry.input),
        moduleSha256,
        ...(entry.agent === null ? {} : { agent: entry.agent }),
      });
      return { seq: receipt.seq };
    },
  };
}
