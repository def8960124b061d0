// Opening an existing log for writing. A writer acknowledges a record only once a signed checkpoint
// covers it, so everything after the last checkpoint is an uncovered tail: records of a crashed
// writer that nobody was told about, or records someone appended while the writer was down. The
// tail is copied beside the log (for forensics) and cut off, never sealed by a new checkpoint. The
// covered part must match the last checkpoint, which the configured key must have signed.
// The checkpoints file is created with the log, so a log with records but no checkpoints file lost
// it (or is named with another one): that is refused, not taken for a tail.
// Every refusal is an AuditLogError whose message names the file and what to do.

import { open, readFile, stat, truncate } from "node:fs/promises";
import { dirname } from "node:path";
import { isTornNote, splitNotes, verifyCheckpointNote, type Checkpoint } from "./checkpoint.js";
import { CompactRange, leafHash } from "./merkle.js";
import { GENESIS_PREV, signedBytesOf, type AuditRecord } from "./record.js";
import { keyIdOf, type AuditSigner } from "./signer.js";
import { TrustStore } from "./trust.js";
import { checkRecord } from "./verify.js";

/** The log on disk cannot be opened or continued; the message says which file and what to do. */
export class AuditLogError extends Error {}

export interface UncoveredTail {
  /** Complete records cut off (a torn last line is cut off too, and not counted). */
  records: number;
  /** Where the cut-off bytes were copied: `<log>.uncovered-<UTC time>`. */
  copy: string;
}

export interface RecoveredLog {
  /** The Merkle tree of the records kept: exactly those the last checkpoint covers. */
  tree: CompactRange;
  /** `prev` for the next record. */
  prev: string;
  uncovered: UncoveredTail | null;
}

interface Target {
  path: string;
  checkpointsPath: string;
  logName: string;
  signer: AuditSigner;
}

/** Checks `target.path` can be continued by `target.signer` and cuts off its uncovered tail. */
export async function recoverLog(target: Target): Promise<RecoveredLog> {
  await checkDirectory(target.path);
  const bytes = (await readIfExists(target.path, "audit log")) ?? Buffer.alloc(0);
  const { last, exists } = await lastCheckpoint(target);
  const lines = completeLines(bytes);
  if (!exists && bytes.length > 0) {
    if (recordFields(lines[0]?.bytes ?? bytes) === null) throw notAuditLog(target.path, 1);
    const missing = `its checkpoints file \`${target.checkpointsPath}\` is missing`;
    throw new AuditLogError(`\`${target.path}\` holds records but ${missing}: restore it, or start a new log`);
  }
  const covered = last?.size ?? 0;
  if (covered > lines.length) {
    const records = `has ${lines.length} records but a checkpoint covers ${covered}`;
    throw damaged(`\`${target.path}\` ${records}: the log was truncated`);
  }
  const tree = new CompactRange();
  for (let i = 0; i < covered; i++) tree.push(leafHash(lines[i]!.bytes));
  if (last !== null && tree.root() !== last.root) {
    throw damaged(`\`${target.path}\` does not match its last checkpoint (size ${covered}): records were altered`);
  }
  const prev = covered === 0 ? GENESIS_PREV : prevAfter(target, covered, lines[covered - 1]!.bytes);
  const tailStart = covered === 0 ? 0 : lines[covered - 1]!.end;
  let uncovered: UncoveredTail | null = null;
  if (tailStart < bytes.length) {
    const torn = bytes.subarray(lines.length === 0 ? 0 : lines[lines.length - 1]!.end);
    checkTail(target, { lines: lines.slice(covered), firstSeq: covered, torn }, prev);
    uncovered = { records: lines.length - covered, copy: await cutTail(target.path, bytes, tailStart) };
  }
  if (!exists) await createEmpty(target.checkpointsPath);
  return { tree, prev, uncovered };
}

async function createEmpty(path: string): Promise<void> {
  try {
    await (await open(path, "a")).close();
  } catch (e) {
    throw fileError(e, path, "audit checkpoints");
  }
}

async function checkDirectory(path: string): Promise<void> {
  const dir = dirname(path);
  const cannot = `cannot create the audit log \`${path}\``;
  try {
    if (!(await stat(dir)).isDirectory()) throw new AuditLogError(`${cannot}: \`${dir}\` is not a directory`);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw fileError(e, path, "audit log");
    throw new AuditLogError(`${cannot}: the directory \`${dir}\` does not exist (create it first)`);
  }
}

/** The file's bytes, or null when it does not exist. */
async function readIfExists(path: string, what: string): Promise<Buffer | null> {
  try {
    return await readFile(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw fileError(e, path, what);
  }
}

/** An operating-system error on a file of the log, as an AuditLogError naming the file. */
export function fileError(e: unknown, path: string, what: string): Error {
  if (e instanceof AuditLogError) return e;
  const code = (e as NodeJS.ErrnoException).code;
  if (code === "EISDIR") {
    const example = `${path}/audit.jsonl`;
    return new AuditLogError(`\`${path}\` is a directory, not an ${what} file: name a file (e.g. \`${example}\`)`);
  }
  if (code === undefined) return e as Error;
  return new AuditLogError(`cannot use the ${what} \`${path}\`: ${(e as Error).message}`);
}

/**
 * The last checkpoint, which the configured key must have signed, and whether the checkpoints file
 * exists; a torn trailing note is dropped.
 */
async function lastCheckpoint(target: Target): Promise<{ last: Checkpoint | null; exists: boolean }> {
  const { path, checkpointsPath, logName, signer } = target;
  const bytes = await readIfExists(checkpointsPath, "audit checkpoints");
  const text = bytes === null ? "" : bytes.toString("utf8");
  const { notes, rest } = splitNotes(text);
  if (rest.length > 0) {
    if (!isTornNote(rest, logName))
      throw damaged(`\`${checkpointsPath}\`: what follows the last checkpoint is not a checkpoint`);
    await truncate(checkpointsPath, Buffer.byteLength(text) - Buffer.byteLength(rest));
  }
  const note = notes[notes.length - 1];
  if (note === undefined) return { last: null, exists: bytes !== null };
  const origin = note.text.slice(0, note.text.indexOf("\n"));
  if (origin !== logName) throw wrongLog(path, origin, logName);
  const checkpoint = verifyCheckpointNote(note, logName, new TrustStore([signer.publicKey]));
  if (typeof checkpoint !== "string") return { last: checkpoint, exists: true };
  if (checkpoint === "checkpoint is not signed by a trusted key") throw wrongKey(path, null, signer);
  throw damaged(`\`${checkpointsPath}\`: the last ${checkpoint}`);
}

/** The log is damaged or was tampered with: `musgo audit verify` tells where. */
function damaged(what: string): AuditLogError {
  return new AuditLogError(`${what} (run \`musgo audit verify\`; start a new log)`);
}

function wrongLog(path: string, found: string, logName: string): AuditLogError {
  const names = `is the audit log \`${found}\`, not \`${logName}\``;
  return new AuditLogError(`\`${path}\` ${names}: use that log name, or another file`);
}

function wrongKey(path: string, kid: string | null, signer: AuditSigner): AuditLogError {
  const which = kid === null ? "another key" : `another key (kid ${kid})`;
  const configured = `the configured one (kid ${keyIdOf(signer.publicKey)})`;
  const fix = "sign with the key that wrote it, or start a new log";
  return new AuditLogError(`\`${path}\` was signed by ${which} than ${configured}: ${fix}`);
}

/** Line `line` is no record: in a file with checkpoints, damage after the last one; else not a log at all. */
function notAuditLog(path: string, line: number, checkpointed = false): AuditLogError {
  if (checkpointed) return damaged(`\`${path}\`: line ${line}, after the last checkpoint, is not an audit record`);
  return new AuditLogError(`\`${path}\` is not an audit log: line ${line} is not an audit record (name another file)`);
}

interface Line {
  bytes: Buffer;
  /** Offset after its newline. */
  end: number;
}

function completeLines(bytes: Buffer): Line[] {
  const lines: Line[] = [];
  let start = 0;
  for (let nl = bytes.indexOf(0x0a); nl >= 0; nl = bytes.indexOf(0x0a, start)) {
    lines.push({ bytes: bytes.subarray(start, nl), end: nl + 1 });
    start = nl + 1;
  }
  return lines;
}

/** The last covered record's leaf hash of its signed bytes; its key must be the configured one. */
function prevAfter(target: Target, lineNumber: number, bytes: Buffer): string {
  let record: AuditRecord;
  try {
    record = JSON.parse(bytes.toString("utf8")) as AuditRecord;
  } catch {
    throw notAuditLog(target.path, lineNumber);
  }
  if (record.kid !== keyIdOf(target.signer.publicKey)) throw wrongKey(target.path, record.kid, target.signer);
  return leafHash(signedBytesOf(record));
}

/**
 * The tail must be what a crashed writer of this log leaves: records of this log and key, chained
 * and numbered on from the covered part, then perhaps one torn line. Anything else is refused.
 */
function checkTail(target: Target, tail: { lines: Line[]; firstSeq: number; torn: Buffer }, coveredPrev: string): void {
  const { path, logName, signer } = target;
  const trust = new TrustStore([signer.publicKey]);
  const kid = keyIdOf(signer.publicKey);
  const { firstSeq } = tail;
  let prev = coveredPrev;
  for (const [i, { bytes: line }] of tail.lines.entries()) {
    const seq = firstSeq + i;
    const fields = recordFields(line);
    if (fields === null) throw notAuditLog(path, seq + 1, firstSeq > 0);
    if (fields.log !== logName) throw wrongLog(path, fields.log, logName);
    if (fields.kid !== kid) throw wrongKey(path, fields.kid, signer);
    const checked = checkRecord(line, { seq, logName, prev, trust });
    if (typeof checked === "string") throw damaged(`\`${path}\`: record ${seq} (line ${seq + 1}): ${checked}`);
    prev = leafHash(checked.signedBytes);
  }
  if (!looksLikeRecordStart(tail.torn)) throw notAuditLog(path, firstSeq + tail.lines.length + 1, firstSeq > 0);
}

/** A record's top-level `log` and `kid`, or null when the line is no JSON object with both as strings. */
function recordFields(line: Buffer): { log: string; kid: string } | null {
  try {
    const value = JSON.parse(line.toString("utf8")) as { log?: unknown; kid?: unknown } | null;
    return typeof value?.log === "string" && typeof value.kid === "string" ? { log: value.log, kid: value.kid } : null;
  } catch {
    return null;
  }
}

/** Every record line starts with `{"alg":"`: a torn line is a prefix of that or longer than it. */
const RECORD_START = Buffer.from('{"alg":"');

function looksLikeRecordStart(torn: Buffer): boolean {
  const n = Math.min(torn.length, RECORD_START.length);
  return torn.subarray(0, n).equals(RECORD_START.subarray(0, n));
}

/** Copies bytes [start, end) of the log beside it, durably, then truncates the log at `start`. */
async function cutTail(path: string, bytes: Buffer, start: number): Promise<string> {
  const copy = `${path}.uncovered-${new Date().toISOString().replaceAll(":", "-")}`;
  try {
    const out = await open(copy, "wx");
    try {
      await out.writeFile(bytes.subarray(start));
      await out.datasync();
    } finally {
      await out.close();
    }
    const file = await open(path, "r+");
    try {
      await file.truncate(start);
      await file.datasync();
    } finally {
      await file.close();
    }
  } catch (e) {
    throw fileError(e, copy, "audit log's uncovered tail");
  }
  return copy;
}
