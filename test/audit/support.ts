// Shared helpers for the audit tests: sample verdicts, temporary directories, small logs.

import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import {
  openAuditLog,
  softwareSigner,
  generateSoftwareKey,
  keyIdOf,
  leafHash,
  RecordFormatter,
  signedBytesOf,
  TrustStore,
  type AuditLogOptions,
  type AuditRecord,
  type AuditSigner,
  type VerifyResult,
} from "../../adapters/audit/index.js";
import type { Verdict } from "../../contract/verdict.js";

export const LOG_NAME = "musgo.test/audit";

// One directory per test file, removed after the file's tests (this registers in the importing file).
const root = mkdtempSync(join(tmpdir(), "musgo-audit-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

export function tempDir(): string {
  return mkdtempSync(join(root, "t-"));
}

export function sha256Hex(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** A deny verdict (seq-dependent so records differ) or, for even `i`, a permit. */
export function sampleVerdict(i: number): Verdict {
  const constitution = { name: "musgo", version: "1.0.0", digest: sha256Hex("constitution") };
  if (i % 2 === 0) {
    return {
      permitted: true,
      violation: null,
      constitutional_article: null,
      action_taken: "none",
      appeal_process: null,
      violations: [],
      permits: ["read_public"],
      constitution,
    };
  }
  return {
    permitted: false,
    violation: "rate_limit_exceeded",
    constitutional_article: "Article_IV_Resource_Limits",
    action_taken: "agent_quarantined",
    appeal_process: "security_review",
    violations: [
      {
        article: "Article_IV_Resource_Limits",
        code: "rate_limit_exceeded",
        remedy: "quarantine",
        enforcement: "mandatory",
        message: `calls ${i}`,
      },
      {
        article: "Article_VII_Data_Protection",
        code: "pii_in_output",
        remedy: "log",
        enforcement: "advisory",
        message: null,
      },
    ],
    permits: [],
    constitution,
  };
}

export function sampleContext(i: number) {
  return { inputSha256: sha256Hex(`input ${i}`), moduleSha256: sha256Hex("module"), agent: `agent-${i % 3}` };
}

export function newSigner(alg: "EdDSA" | "ES256" = "EdDSA"): AuditSigner {
  return softwareSigner(generateSoftwareKey(alg));
}

export function trustOf(...signers: AuditSigner[]): TrustStore {
  return new TrustStore(signers.map((s) => s.publicKey));
}

/** Writes `count` records to a fresh log and closes it (final checkpoint included). */
export async function writeLog(
  path: string,
  signer: AuditSigner,
  count: number,
  options: Partial<AuditLogOptions> = {},
): Promise<void> {
  const log = await openAuditLog({ path, logName: LOG_NAME, signer, mode: "per-record", ...options });
  await Promise.all(Array.from({ length: count }, (_, i) => log.append(sampleVerdict(i), sampleContext(i))));
  await log.close();
}

/**
 * `count` records chained on after the last of `lines`, as anyone who can write the file can make
 * them without the key: unsigned, with the key's id, agent `forged`.
 */
export function forgeChained(lines: readonly string[], count: number, signer: AuditSigner): string[] {
  const last = JSON.parse(lines[lines.length - 1]!) as AuditRecord;
  const formatter = new RecordFormatter(last.log, keyIdOf(signer.publicKey), signer.alg);
  let prev = leafHash(signedBytesOf(last));
  const forged: string[] = [];
  for (let i = 1; i <= count; i++) {
    const context = { ...sampleContext(i), agent: "forged" };
    const line = formatter.unsigned(last.seq + i, new Date().toISOString(), prev, sampleVerdict(i), context);
    forged.push(line);
    prev = leafHash(line);
  }
  return forged;
}

/** What `verifyAuditLog` returns for an intact, fully covered log. */
export function intact(records: number, checkpoints: number): VerifyResult {
  return { status: "ok", ok: true, records, checkpoints };
}
