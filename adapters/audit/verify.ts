// Offline verification of an audit log and its checkpoints, failing fast at the first bad record:
// 1. each line is UTF-8 JSON byte-equal to its RFC 8785 form, with exactly the record's fields;
// 2. `log` is the log's name and `seq` counts up from 0 without gaps;
// 3. `prev` is the leaf hash of the previous record's signed bytes;
// 4. `kid` is trusted, `alg` is that key's algorithm, `sig` verifies (or, for a batch-mode record
//    without `sig`, a verified checkpoint covers it);
// 5. every checkpoint is signed by a trusted key, sizes never decrease, each root equals the root
//    recomputed from the log, and no checkpoint covers more records than the log has (truncation).

import canonicalize from "canonicalize";
import { readFile } from "node:fs/promises";
import { TextDecoder } from "node:util";
import { isTornNote, splitNotes, verifyCheckpointNote, type Checkpoint } from "./checkpoint.js";
import { CompactRange, isHash, leafHash } from "./merkle.js";
import {
  GENESIS_PREV,
  logNameOf,
  RECORD_KIND,
  RECORD_VERSION,
  RELEASE_KIND,
  signedBytesOf,
  type AuditRecord,
} from "./record.js";
import { verifySignature } from "./signer.js";
import type { TrustStore } from "./trust.js";

export interface VerifyOptions {
  trust: TrustStore;
  /** Default `<path>.checkpoints`; a missing file means no checkpoints. */
  checkpointsPath?: string;
  /** The expected log name; default: the first record's. */
  logName?: string;
  /** Accept a log with no records and no checkpoints (default: status `empty`). */
  allowEmpty?: boolean;
}

export interface VerifyError {
  /** The first record that cannot be vouched for: the altered one, where that can be known. */
  seq: number;
  reason: string;
}

/**
 * - `ok`: every record is intact and covered by a verified checkpoint;
 * - `tampered`: `firstError` names the first record that cannot be vouched for;
 * - `uncovered-tail`: the covered records are intact, and after the last checkpoint come records a
 *   writer made durable but never acknowledged (it crashed before their checkpoint), each intact
 *   and chained on, perhaps ending in a torn line: the next writer cuts them off;
 * - `empty`: no records and no checkpoints, so nothing vouches for anything (unless `allowEmpty`).
 */
export type VerifyStatus = "ok" | "tampered" | "uncovered-tail" | "empty";

export interface VerifyResult {
  status: VerifyStatus;
  /** `status === "ok"`. */
  ok: boolean;
  /** Intact records before the first error, or before the uncovered tail. */
  records: number;
  /** Checkpoints verified. */
  checkpoints: number;
  firstError?: VerifyError;
  uncoveredTail?: TailReport;
}

export interface TailReport {
  /** Its first record's seq. */
  seq: number;
  /** Complete records in it. */
  records: number;
  /** Whether it ends in an incomplete line (a write cut short). */
  torn: boolean;
  /** Whether the checkpoints file ends in an incomplete note (its checkpoint, cut short). */
  tornCheckpoint: boolean;
}

export async function verifyAuditLog(path: string, options: VerifyOptions): Promise<VerifyResult> {
  const lines = splitLines(await readFile(path));
  const notes = splitNotes(await readTextIfExists(options.checkpointsPath ?? `${path}.checkpoints`));
  // An emptied log still has a name: its checkpoints' origin.
  const logName =
    options.logName ??
    logNameOf(lines.complete[0]?.toString("utf8") ?? "") ??
    notes.notes[0]?.text.split("\n")[0] ??
    "";
  const checkpoints = verifyCheckpoints(notes, logName, options.trust);
  const walk = walkRecords(lines.complete, logName, options.trust, checkpoints.verified);
  const errors = [walk.error, checkpoints.error, truncation(walk.records, checkpoints.verified)];
  const firstError = errors.filter((e): e is VerifyError => e !== undefined).sort((a, b) => a.seq - b.seq)[0];
  const covered = checkpoints.verified.filter((c) => c.size <= walk.records).length;
  const lastCovered = checkpoints.verified[covered - 1]?.size ?? 0;
  if (firstError !== undefined) {
    const records = Math.min(walk.records, firstError.seq);
    return { status: "tampered", ok: false, records, checkpoints: covered, firstError };
  }
  const result = { records: lastCovered, checkpoints: covered };
  if (walk.records > lastCovered || lines.torn || checkpoints.tornNote) {
    const records = walk.records - lastCovered;
    const uncoveredTail = { seq: lastCovered, records, torn: lines.torn, tornCheckpoint: checkpoints.tornNote };
    return { status: "uncovered-tail", ok: false, ...result, uncoveredTail };
  }
  const empty = walk.records === 0 && notes.notes.length === 0;
  if (empty && options.allowEmpty !== true) return { status: "empty", ok: false, ...result };
  return { status: "ok", ok: true, ...result };
}

function splitLines(bytes: Buffer): { complete: Buffer[]; torn: boolean } {
  const complete: Buffer[] = [];
  let start = 0;
  for (let nl = bytes.indexOf(0x0a); nl >= 0; nl = bytes.indexOf(0x0a, start)) {
    complete.push(bytes.subarray(start, nl));
    start = nl + 1;
  }
  return { complete, torn: start < bytes.length };
}

interface CheckpointsRead {
  verified: Checkpoint[];
  /** The file ends in a note cut short by a crash (the checkpoint of an uncovered tail). */
  tornNote: boolean;
  error?: VerifyError;
}

async function readTextIfExists(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return "";
    throw e;
  }
}

function verifyCheckpoints(
  { notes, rest }: ReturnType<typeof splitNotes>,
  logName: string,
  trust: TrustStore,
): CheckpointsRead {
  const verified: Checkpoint[] = [];
  const failAt = (reason: string): CheckpointsRead => {
    return { verified, tornNote: false, error: { seq: verified[verified.length - 1]?.size ?? 0, reason } };
  };
  for (const [index, note] of notes.entries()) {
    const checkpoint = verifyCheckpointNote(note, logName, trust);
    if (typeof checkpoint === "string") return failAt(`checkpoint ${index + 1}: ${checkpoint}`);
    if (checkpoint.size < (verified[verified.length - 1]?.size ?? 0))
      return failAt(
        `checkpoint ${index + 1}: size ${checkpoint.size} is smaller than the previous checkpoint's (rollback)`,
      );
    verified.push(checkpoint);
  }
  if (rest.length > 0 && !isTornNote(rest, logName)) {
    return failAt(`checkpoints file: malformed note after checkpoint ${notes.length}`);
  }
  return { verified, tornNote: rest.length > 0 };
}

interface Walk {
  /** Records that passed every per-record check. */
  records: number;
  error?: VerifyError;
}

const PREV_MISMATCH = "prev does not match the hash of the previous record";

function walkRecords(lines: Buffer[], logName: string, trust: TrustStore, checkpoints: Checkpoint[]): Walk {
  const tree = new CompactRange();
  let prev = GENESIS_PREV;
  let nextCheckpoint = 0;
  let lastGood = 0;
  let previousSigned = false;
  for (const [seq, bytes] of lines.entries()) {
    const checked = checkRecord(bytes, { seq, logName, prev, trust });
    if (checked === PREV_MISMATCH) {
      return { records: seq, error: chainBreak(lines, seq, previousSigned || lastGood === seq) };
    }
    if (typeof checked === "string") return { records: seq, error: { seq, reason: checked } };
    prev = leafHash(checked.signedBytes);
    previousSigned = checked.record.sig !== undefined;
    tree.push(leafHash(bytes));
    for (; checkpoints[nextCheckpoint]?.size === tree.size; nextCheckpoint++) {
      if (checkpoints[nextCheckpoint]!.root !== tree.root()) {
        // Every record up to here chains on: an edit of an earlier one would have broken the chain.
        const range = lastGood === seq ? "" : `, or records ${lastGood}..${seq} were rewritten with a new chain`;
        const culprit = `the hash chain holds, so this record was altered${range}`;
        const reason = `checkpoint at size ${tree.size}: root does not match the log (${culprit})`;
        return { records: seq, error: { seq, reason } };
      }
      lastGood = tree.size;
    }
  }
  return { records: lines.length };
}

/**
 * The record to blame when record `seq`'s prev is not the hash of record seq - 1: that record, when
 * its own hash no longer matches record seq + 1's prev either (its prev was edited) or record
 * seq - 1 is vouched for (by its own signature or a checkpoint); else record seq - 1, whose hash changed.
 */
function chainBreak(lines: Buffer[], seq: number, previousVouched: boolean): VerifyError {
  const next = lines[seq + 1];
  const ownHashBroken = next !== undefined && prevOf(next) !== hashOfSignedBytes(lines[seq]!);
  if (previousVouched || ownHashBroken) return { seq, reason: PREV_MISMATCH };
  const reason = `record altered: its hash no longer matches record ${seq}'s prev (${PREV_MISMATCH} at record ${seq})`;
  return { seq: seq - 1, reason };
}

function prevOf(line: Buffer): unknown {
  try {
    return (JSON.parse(line.toString("utf8")) as { prev?: unknown }).prev;
  } catch {
    return undefined;
  }
}

function hashOfSignedBytes(line: Buffer): string | undefined {
  try {
    return leafHash(signedBytesOf(JSON.parse(line.toString("utf8")) as AuditRecord));
  } catch {
    return undefined;
  }
}

/** A checkpoint that covers more records than the log holds. */
function truncation(records: number, checkpoints: Checkpoint[]): VerifyError | undefined {
  const largest = checkpoints[checkpoints.length - 1]?.size ?? 0;
  if (largest <= records) return undefined;
  return { seq: records, reason: `log truncated: a checkpoint covers ${largest} records, the log has ${records}` };
}

export interface RecordExpectation {
  seq: number;
  logName: string;
  /** Null when the previous record is not at hand (a single record's inclusion proof). */
  prev: string | null;
  trust: TrustStore;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** The record on one line and its signed bytes, or why it is not acceptable. */
export function checkRecord(
  bytes: Buffer,
  expected: RecordExpectation,
): { record: AuditRecord; signedBytes: string } | string {
  let text: string;
  let parsed: unknown;
  try {
    text = utf8.decode(bytes);
    parsed = JSON.parse(text);
  } catch {
    return "not UTF-8 JSON";
  }
  if (canonicalize(parsed) !== text) return "not in canonical form (RFC 8785)";
  if (!isRecord(parsed)) return "not an audit record: missing, extra or mistyped fields";
  const record = parsed;
  if (record.log !== expected.logName) return `belongs to log \`${record.log}\`, not \`${expected.logName}\``;
  if (record.seq !== expected.seq)
    return `expected seq ${expected.seq}, found ${record.seq} (records deleted, inserted or reordered)`;
  if (expected.prev !== null && record.prev !== expected.prev) return PREV_MISMATCH;
  const signedBytes = record.sig === undefined ? text : signedBytesOf(record);
  const keyProblem = checkKeyAndSignature(record, signedBytes, expected.trust);
  if (keyProblem !== null) return keyProblem;
  return { record, signedBytes };
}

/** `kid` is trusted, `alg` is its algorithm and `sig`, when present, verifies over `signedBytes`; else the reason. */
export function checkKeyAndSignature(record: AuditRecord, signedBytes: string, trust: TrustStore): string | null {
  const key = trust.get(record.kid);
  if (key === undefined) return `key ${record.kid} is not in the trust store`;
  if (record.alg !== key.alg) return `alg ${record.alg} is not the trusted key's algorithm ${key.alg}`;
  if (record.sig === undefined) return null;
  const sig = Buffer.from(record.sig, "base64url");
  if (
    sig.toString("base64url") !== record.sig ||
    !verifySignature(key.alg, key.publicKey, Buffer.from(signedBytes, "utf8"), sig)
  ) {
    return "signature does not verify";
  }
  return null;
}

const RFC3339_MS_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;
const RECORD_KEYS = ["alg", "body", "kid", "kind", "log", "prev", "seq", "ts", "v"];
const BODY_KEYS = [
  "action_taken",
  "agent",
  "article",
  "codes",
  "constitution",
  "input_sha256",
  "module_sha256",
  "permitted",
  "violation",
];
const RELEASE_KEYS = ["agent", "complete", "error", "steps", "target"];

function isRecord(value: unknown): value is AuditRecord {
  if (!isObject(value) || !hasKeys(value, RECORD_KEYS, ["sig"])) return false;
  return (
    value.v === RECORD_VERSION &&
    (value.alg === "ES256" || value.alg === "EdDSA") &&
    typeof value.log === "string" &&
    typeof value.kid === "string" &&
    isHash(value.prev) &&
    Number.isSafeInteger(value.seq) &&
    typeof value.ts === "string" &&
    RFC3339_MS_UTC.test(value.ts) &&
    (value.sig === undefined || typeof value.sig === "string") &&
    ((value.kind === RECORD_KIND && isBody(value.body)) || (value.kind === RELEASE_KIND && isReleaseBody(value.body)))
  );
}

function isReleaseBody(value: unknown): boolean {
  if (!isObject(value) || !hasKeys(value, RELEASE_KEYS, [])) return false;
  return (
    typeof value.agent === "string" &&
    typeof value.complete === "boolean" &&
    isNullableString(value.error) &&
    Array.isArray(value.steps) &&
    value.steps.every((s) => typeof s === "string") &&
    typeof value.target === "string"
  );
}

function isBody(value: unknown): boolean {
  if (!isObject(value) || !hasKeys(value, BODY_KEYS, [])) return false;
  const { constitution } = value;
  return (
    typeof value.action_taken === "string" &&
    isNullableString(value.agent) &&
    isNullableString(value.article) &&
    Array.isArray(value.codes) &&
    value.codes.every((c) => typeof c === "string") &&
    isObject(constitution) &&
    hasKeys(constitution, ["name", "version"], []) &&
    typeof constitution.name === "string" &&
    typeof constitution.version === "string" &&
    typeof value.input_sha256 === "string" &&
    SHA256_HEX.test(value.input_sha256) &&
    typeof value.module_sha256 === "string" &&
    SHA256_HEX.test(value.module_sha256) &&
    typeof value.permitted === "boolean" &&
    isNullableString(value.violation)
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isNullableString(value: unknown): boolean {
  return value === null || typeof value === "string";
}

function hasKeys(value: Record<string, unknown>, required: string[], optional: string[]): boolean {
  const keys = Object.keys(value);
  return required.every((k) => k in value) && keys.every((k) => required.includes(k) || optional.includes(k));
}
