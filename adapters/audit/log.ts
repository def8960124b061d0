// The audit log writer. Each verdict becomes one canonical record, hash-chained to the one before,
// appended with group commit, and covered by signed C2SP checkpoints every N records, every T ms and
// on close. Modes:
// - per-record: every record is signed; signatures run concurrently (the chain hashes the unsigned
//   bytes, so record n+1 never waits for record n's signature) and lines reach the file in order;
// - batch: records are only hash-chained, by the tree's worker thread (tree.ts) as each group
//   commit fills, so the serial chain hash stays off the event loop; checkpoints are the signatures.
// Any signing or write failure closes the log: later appends reject, so no verdict leaves unaudited.

import { readFile, truncate } from "node:fs/promises";
import type { Verdict } from "../../contract/verdict.js";
import { isValidOrigin, signCheckpoint, splitNotes, type Checkpoint } from "./checkpoint.js";
import { CompactRange, leafHash } from "./merkle.js";
import { Clock, GENESIS_PREV, RecordFormatter, RecordWriter, signedBytesOf, withSignature, type AuditContext, type AuditRecord, type ReleaseBody } from "./record.js";
import { AuditSignerError, keyIdOf, type AuditSigner } from "./signer.js";
import { appendDurably, GroupCommitSink } from "./sink.js";
import { LogTree } from "./tree.js";

export type AuditMode = "per-record" | "batch";

export interface AuditLogOptions {
  /** The JSONL log file; created when missing, continued when present. */
  path: string;
  /** The log's origin: records' `log` field and the checkpoints' first line, e.g. `gov.example/prod`. */
  logName: string;
  signer: AuditSigner;
  mode: AuditMode;
  /** Default `<path>.checkpoints`. */
  checkpointsPath?: string;
  /** Checkpoint after this many records (default 10,000). */
  checkpointEvery?: number;
  /** Checkpoint uncovered records this often (default 500 ms, so every record is covered within a second). */
  checkpointIntervalMs?: number;
  /** Longest a record waits for its batch's fsync (default 2 ms). */
  groupCommitMs?: number;
  /** Largest group commit (default 8,192 records). */
  maxBatchRecords?: number;
  /** Called after each checkpoint is durable, with its signed note: the hook for anchoring it elsewhere. */
  onCheckpoint?: (checkpoint: Checkpoint, note: string) => void;
}

export interface AuditReceipt {
  seq: number;
  /** Base64url RFC 6962 leaf hash of the record's line. */
  leafHash: string;
}

export interface AuditLog {
  readonly logName: string;
  readonly checkpointsPath: string;
  /** Resolves once the verdict's record is durable (in an fsynced batch); rejects when it cannot be. */
  append(verdict: Verdict, context: AuditContext): Promise<AuditReceipt>;
  /** The same for a release (the appeal path), in the same chain. */
  appendRelease(body: ReleaseBody): Promise<AuditReceipt>;
  /** Signs and stores a checkpoint over every record handed to the file so far (null if none is new). */
  checkpoint(): Promise<Checkpoint | null>;
  /** Waits for pending records, writes a final checkpoint and closes the files. */
  close(): Promise<void>;
}

/** A batch-mode receipt: the leaf hash is read out of the batch's leaves only when asked for. */
class BatchReceipt implements AuditReceipt {
  constructor(
    readonly seq: number,
    private readonly leaves: Buffer,
    private readonly index: number,
  ) {}

  get leafHash(): string {
    return this.leaves.toString("latin1", 43 * this.index, 43 * this.index + 43);
  }
}

/** The log on disk cannot be continued (wrong name, damaged tail, truncated below a checkpoint). */
export class AuditLogError extends Error {}

export async function openAuditLog(options: AuditLogOptions): Promise<AuditLog> {
  if (!isValidOrigin(options.logName)) throw new AuditLogError(`invalid log name \`${options.logName}\`: no spaces or \`+\``);
  const checkpointsPath = options.checkpointsPath ?? `${options.path}.checkpoints`;
  const state = await recoverLog(options.path, options.logName);
  const checkpointed = await recoverCheckpoints(checkpointsPath);
  if (checkpointed > state.tree.size) {
    throw new AuditLogError(`\`${options.path}\` has ${state.tree.size} records but a checkpoint covers ${checkpointed}: the log was truncated (run \`musgo audit verify\`)`);
  }
  // Batch mode chains records in the tree's worker thread, group commit by group commit.
  const tree = options.mode === "batch" ? new LogTree(state.tree, 0, state.prev) : new LogTree(state.tree);
  let sink: GroupCommitSink;
  try {
    sink = await GroupCommitSink.open(options.path, {
      groupCommitMs: options.groupCommitMs ?? 2,
      maxBatchLines: options.maxBatchRecords ?? 8192,
      ...(options.mode === "batch" ? { chain: tree } : {}),
    });
  } catch (e) {
    await tree.close();
    throw e;
  }
  const log = new FileAuditLog(options, checkpointsPath, sink, tree, state.prev, checkpointed);
  // Records a crashed writer made durable but never covered get their checkpoint now.
  if (checkpointed < state.tree.size) await log.checkpoint();
  return log;
}

class FileAuditLog implements AuditLog {
  readonly logName: string;
  private readonly formatter: RecordFormatter;
  private readonly writer: RecordWriter;
  private readonly clock = new Clock();
  private readonly timer: NodeJS.Timeout;
  private nextSeq: number;
  /** Tail of the ordered hand-over of signed lines to the sink (per-record mode). */
  private handedOver: Promise<void> = Promise.resolve();
  private checkpoints: Promise<unknown> = Promise.resolve();
  private checkpointPending = false;
  private failure: Error | null = null;
  private closed = false;
  private readonly checkpointEvery: number;

  constructor(
    private readonly options: AuditLogOptions,
    readonly checkpointsPath: string,
    private readonly sink: GroupCommitSink,
    private readonly tree: LogTree,
    private prev: string,
    private checkpointed: number,
  ) {
    this.logName = options.logName;
    const kid = keyIdOf(options.signer.publicKey);
    this.formatter = new RecordFormatter(options.logName, kid, options.signer.alg);
    this.writer = new RecordWriter(options.logName, kid, options.signer.alg);
    this.nextSeq = tree.size;
    this.checkpointEvery = options.checkpointEvery ?? 10_000;
    this.timer = setInterval(() => this.checkpointIfBehind(1), options.checkpointIntervalMs ?? 500);
    this.timer.unref();
  }

  append(verdict: Verdict, context: AuditContext): Promise<AuditReceipt> {
    if (this.options.mode === "per-record") return this.appendSigned((seq, ts, prev) => this.formatter.unsigned(seq, ts, prev, verdict, context));
    const refused = this.refusal();
    if (refused !== null) return refused;
    // Batch mode: the line is encoded straight into the group commit's buffer, with room for its
    // `prev`. Unsigned, a line is its own signed bytes, so its leaf hash is the next record's prev:
    // the tree's worker fills in the chain before the batch is written (sink.ts, tree.ts).
    const seq = this.nextSeq;
    let end: number;
    try {
      const bytes = this.sink.reserve(this.writer.measure(verdict, context));
      end = this.writer.write(bytes, this.sink.cursor, seq, this.clock.now(), null, context.inputSha256);
    } catch (e) {
      return Promise.reject(e);
    }
    return this.commitChained(seq, this.writer.prevAt, end);
  }

  appendRelease(body: ReleaseBody): Promise<AuditReceipt> {
    if (this.options.mode === "per-record") return this.appendSigned((seq, ts, prev) => this.formatter.unsignedRelease(seq, ts, prev, body));
    const refused = this.refusal();
    if (refused !== null) return refused;
    const seq = this.nextSeq;
    const line = this.formatter.unsignedRelease(seq, this.clock.now(), GENESIS_PREV, body);
    const bytes = this.sink.reserve(Buffer.byteLength(line));
    const at = this.sink.cursor;
    // The top-level `"prev":"`: quotes inside the body's strings are escaped, so none precedes it.
    const prevAt = at + Buffer.byteLength(line.slice(0, line.indexOf(`"prev":"${GENESIS_PREV}"`) + 8));
    return this.commitChained(seq, prevAt, at + bytes.write(line, at));
  }

  /** Per-record mode: formats the unsigned line for the next seq, chains it and signs it. */
  private appendSigned(format: (seq: number, ts: string, prev: string) => string): Promise<AuditReceipt> {
    const refused = this.refusal();
    if (refused !== null) return refused;
    const seq = this.nextSeq;
    let unsigned: string;
    try {
      unsigned = format(seq, this.clock.now(), this.prev);
    } catch (e) {
      return Promise.reject(e);
    }
    this.nextSeq += 1;
    this.prev = leafHash(unsigned);
    return this.signAndCommit(seq, unsigned);
  }

  /** Batch mode: queues record `seq`, just written into the sink's buffer up to `end`, its `prev` to go at `prevAt`. */
  private commitChained(seq: number, prevAt: number, end: number): Promise<AuditReceipt> {
    this.nextSeq += 1;
    const { index, durable } = this.sink.commitUnhashed(prevAt, end);
    this.tree.reserve();
    this.checkpointIfBehind(this.checkpointEvery);
    return durable.then((leaves) => new BatchReceipt(seq, leaves!, index), this.failOnWriteError);
  }

  private refusal(): Promise<never> | null {
    if (this.failure !== null) return Promise.reject(this.failure);
    if (this.closed) return Promise.reject(new AuditLogError("the audit log is closed"));
    return null;
  }

  private signAndCommit(seq: number, unsigned: string): Promise<AuditReceipt> {
    const signature = this.options.signer.sign(Buffer.from(unsigned, "utf8")).catch((e: unknown) => {
      throw this.fail(new AuditSignerError(`audit record ${seq} could not be signed: ${(e as Error).message}`));
    });
    // A failure of an earlier record rejects `handedOver`, so nothing is written after a gap.
    const committed = Promise.all([signature, this.handedOver]).then(([sig]) => {
      return this.commit(seq, withSignature(unsigned, sig.toString("base64url")));
    });
    this.handedOver = committed.then(() => undefined);
    this.handedOver.catch(() => undefined);
    return committed.then(({ receipt }) => receipt);
  }

  /** Hands one line to the sink, in sequence order; resolves when it is durable. */
  private commit(seq: number, line: string): { leaf: string; receipt: Promise<AuditReceipt> } {
    const { leaf, durable } = this.sink.append(line);
    this.tree.push(leaf);
    this.checkpointIfBehind(this.checkpointEvery);
    return { leaf, receipt: durable.then(() => ({ seq, leafHash: leaf }), this.failOnWriteError) };
  }

  private checkpointIfBehind(records: number): void {
    if (this.checkpointPending || this.failure !== null || this.tree.size - this.checkpointed < records) return;
    this.checkpoint().catch(() => undefined);
  }

  checkpoint(): Promise<Checkpoint | null> {
    this.checkpointPending = true;
    const run = this.checkpoints.then(() => this.writeCheckpoint());
    this.checkpoints = run.then(
      () => (this.checkpointPending = false),
      () => (this.checkpointPending = false),
    );
    return run;
  }

  private async writeCheckpoint(): Promise<Checkpoint | null> {
    if (this.failure !== null) throw this.failure;
    const size = this.tree.size;
    if (size === this.checkpointed) return null;
    const checkpoint = { origin: this.logName, size, root: "" };
    let note: string;
    try {
      // The root of exactly `size` leaves (asked for now), which may only be vouched for once they are on disk.
      [checkpoint.root] = await Promise.all([this.tree.root(), this.sink.flush()]);
      note = await signCheckpoint(this.options.signer, checkpoint);
      await appendDurably(this.checkpointsPath, note);
    } catch (e) {
      throw this.fail(new AuditSignerError(`checkpoint at size ${checkpoint.size} failed: ${(e as Error).message}`));
    }
    this.checkpointed = checkpoint.size;
    this.options.onCheckpoint?.(checkpoint, note);
    return checkpoint;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    try {
      await this.handedOver.catch(() => undefined);
      if (this.failure === null) await this.checkpoint();
    } finally {
      await this.sink.close().catch(() => undefined);
      await this.tree.close();
    }
  }

  private readonly failOnWriteError = (e: unknown): never => {
    throw this.fail(e as Error);
  };

  private fail(error: Error): Error {
    this.failure ??= error;
    return this.failure;
  }
}

interface RecoveredLog {
  tree: CompactRange;
  /** `prev` for the next record. */
  prev: string;
}

/** Reads an existing log, drops a torn last line (a write cut short by a crash) and rebuilds the tree. */
async function recoverLog(path: string, logName: string): Promise<RecoveredLog> {
  const bytes = await readIfExists(path);
  const tree = new CompactRange();
  const end = bytes.lastIndexOf(0x0a) + 1;
  if (end < bytes.length) await truncate(path, end);
  if (end === 0) return { tree, prev: GENESIS_PREV };
  const lines = bytes.subarray(0, end - 1).toString("utf8").split("\n");
  for (const line of lines) tree.push(leafHash(line));
  const last = parseLastRecord(path, lines[lines.length - 1]!);
  if (last.log !== logName) throw new AuditLogError(`\`${path}\` is the audit log \`${last.log}\`, not \`${logName}\``);
  if (last.seq !== lines.length - 1) throw new AuditLogError(`\`${path}\`: the last record has seq ${last.seq} at line ${lines.length} (run \`musgo audit verify\`)`);
  return { tree, prev: leafHash(signedBytesOf(last)) };
}

function parseLastRecord(path: string, line: string): AuditRecord {
  try {
    return JSON.parse(line) as AuditRecord;
  } catch {
    throw new AuditLogError(`\`${path}\`: the last record is not JSON (run \`musgo audit verify\`)`);
  }
}

/** Drops a torn trailing note and returns the size the last checkpoint covers. */
async function recoverCheckpoints(path: string): Promise<number> {
  const text = (await readIfExists(path)).toString("utf8");
  const { notes, rest } = splitNotes(text);
  if (rest.length > 0) await truncate(path, Buffer.byteLength(text) - Buffer.byteLength(rest));
  const last = notes[notes.length - 1];
  return last === undefined ? 0 : Number(last.text.split("\n")[1]);
}

async function readIfExists(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return Buffer.alloc(0);
    throw e;
  }
}
