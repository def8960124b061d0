// The audit log writer. Each verdict becomes one canonical record, hash-chained to the one before,
// appended with group commit; every group commit, once durable, is covered by a signed C2SP
// checkpoint, and only then do its records' receipts resolve: an acknowledged record is always
// covered, so whatever follows the last checkpoint after a crash was never acknowledged (recover.ts
// cuts it off). Checkpoints are signed one at a time; group commits that became durable while one
// was being signed share the next. Modes:
// - per-record: every record is signed; signatures run concurrently (the chain hashes the unsigned
//   bytes, so record n+1 never waits for record n's signature) and lines reach the file in order;
// - batch: records are only hash-chained, by the tree's worker thread (tree.ts) as each group
//   commit fills, so the serial chain hash stays off the event loop; checkpoints are the signatures.
// Any signing or write failure closes the log: later appends reject, so no verdict leaves unaudited.

import type { Verdict } from "../../contract/verdict.js";
import { isValidOrigin, signCheckpoint, type Checkpoint } from "./checkpoint.js";
import { leafHash } from "./merkle.js";
import { Clock, GENESIS_PREV, RecordFormatter, RecordWriter, withSignature } from "./record.js";
import type { AuditContext, ReleaseBody } from "./record.js";
import { AuditLogError, fileError, recoverLog, type RecoveredLog, type UncoveredTail } from "./recover.js";
import { AuditSignerError, keyIdOf, type AuditSigner } from "./signer.js";

export { AuditLogError, type UncoveredTail } from "./recover.js";
import { DurableAppender, GroupCommitSink } from "./sink.js";
import { LogTree } from "./tree.js";

export type AuditMode = "per-record" | "batch";

export interface AuditLogOptions {
  /**
   * The JSONL log file; created when missing, continued when present (records after the last
   * checkpoint, never acknowledged, are first moved to `<path>.uncovered-<UTC time>`).
   */
  path: string;
  /** The log's origin: records' `log` field and the checkpoints' first line, e.g. `gov.example/prod`. */
  logName: string;
  signer: AuditSigner;
  mode: AuditMode;
  /** Default `<path>.checkpoints`. */
  checkpointsPath?: string;
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
  /** What opening the log cut off after its last checkpoint (a crashed writer's tail), if anything. */
  readonly uncoveredTail: UncoveredTail | null;
  /**
   * Resolves once the verdict's record is durable (in an fsynced batch) and covered by a durable
   * signed checkpoint; rejects when it cannot be.
   */
  append(verdict: Verdict, context: AuditContext): Promise<AuditReceipt>;
  /** The same for a release (the appeal path), in the same chain. */
  appendRelease(body: ReleaseBody): Promise<AuditReceipt>;
  /** Waits until every record appended so far is covered by a checkpoint; returns the newest (null if none is new). */
  checkpoint(): Promise<Checkpoint | null>;
  /** Waits until every pending record is covered, then closes the files. */
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

export async function openAuditLog(options: AuditLogOptions): Promise<AuditLog> {
  if (!isValidOrigin(options.logName))
    throw new AuditLogError(`invalid log name \`${options.logName}\`: no spaces or \`+\``);
  const checkpointsPath = options.checkpointsPath ?? `${options.path}.checkpoints`;
  const { path, logName, signer } = options;
  const state = await recoverLog({ path, checkpointsPath, logName, signer });
  // Batch mode chains records in the tree's worker thread, group commit by group commit.
  const tree = options.mode === "batch" ? new LogTree(state.tree, 0, state.prev) : new LogTree(state.tree);
  let log: FileAuditLog | null = null;
  let sink: GroupCommitSink;
  try {
    sink = await GroupCommitSink.open(options.path, {
      groupCommitMs: options.groupCommitMs ?? 2,
      maxBatchLines: options.maxBatchRecords ?? 8192,
      ...(options.mode === "batch" ? { chain: tree } : {}),
      onClose: (lines, durable) => log!.batchClosed(lines, durable),
    });
  } catch (e) {
    await tree.close();
    throw fileError(e, options.path, "audit log");
  }
  log = new FileAuditLog(options, checkpointsPath, sink, tree, state);
  return log;
}

interface SignedCheckpoint {
  checkpoint: Checkpoint;
  note: string;
}

/** The group commit a record went into: its receipt resolves once a durable checkpoint covers it. */
interface Seal {
  /** Records in the log once this batch is in (set when the batch closes). */
  size: number;
  /**
   * Its checkpoint, signed as soon as the root is known (the batch is being written then), so
   * signing overlaps the batch's fdatasync; written only once the batch is durable.
   */
  signed: Promise<SignedCheckpoint> | null;
  written: boolean;
  /** The batch's leaf hashes (chained batches), once written. */
  leaves: Buffer | null;
  covered: Promise<void>;
  resolve: () => void;
  reject: (error: Error) => void;
}

function newSeal(): Seal {
  const seal = { size: 0, signed: null, written: false, leaves: null } as Partial<Seal> as Seal;
  seal.covered = new Promise<void>((resolve, reject) => {
    seal.resolve = resolve;
    seal.reject = reject;
  });
  // Rejections reach each record's receipt; this keeps an unobserved seal from crashing the process.
  seal.covered.catch(() => undefined);
  return seal;
}

class FileAuditLog implements AuditLog {
  readonly logName: string;
  readonly uncoveredTail: UncoveredTail | null;
  private readonly formatter: RecordFormatter;
  private readonly writer: RecordWriter;
  private readonly clock = new Clock();
  private nextSeq: number;
  private prev: string;
  /** Tail of the ordered hand-over of signed lines to the sink (per-record mode). */
  private handedOver: Promise<void> = Promise.resolve();
  /** The seal of the group commit being filled, and of the latest one. */
  private open: Seal | null = null;
  private latest: Seal | null = null;
  /** Closed group commits no checkpoint covers yet, in order. */
  private readonly closing: Seal[] = [];
  /** Records in closed group commits. */
  private closedSize: number;
  private sealing = false;
  private readonly checkpointFile: DurableAppender;
  private lastCheckpoint: Checkpoint | null = null;
  private failure: Error | null = null;
  private closed = false;

  constructor(
    private readonly options: AuditLogOptions,
    readonly checkpointsPath: string,
    private readonly sink: GroupCommitSink,
    private readonly tree: LogTree,
    recovered: RecoveredLog,
  ) {
    this.logName = options.logName;
    this.uncoveredTail = recovered.uncovered;
    const kid = keyIdOf(options.signer.publicKey);
    this.formatter = new RecordFormatter(options.logName, kid, options.signer.alg);
    this.writer = new RecordWriter(options.logName, kid, options.signer.alg);
    this.nextSeq = tree.size;
    this.closedSize = tree.size;
    this.prev = recovered.prev;
    this.checkpointFile = new DurableAppender(checkpointsPath);
  }

  append(verdict: Verdict, context: AuditContext): Promise<AuditReceipt> {
    if (this.options.mode === "per-record")
      return this.appendSigned((seq, ts, prev) => this.formatter.unsigned(seq, ts, prev, verdict, context));
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
    if (this.options.mode === "per-record")
      return this.appendSigned((seq, ts, prev) => this.formatter.unsignedRelease(seq, ts, prev, body));
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
    const seal = this.openSeal();
    this.tree.reserve();
    const index = this.sink.commitUnhashed(prevAt, end);
    this.sink.schedule();
    return seal.covered.then(() => new BatchReceipt(seq, seal.leaves!, index));
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

  /** Hands one line to the sink, in sequence order; resolves when a checkpoint covering it is durable. */
  private commit(seq: number, line: string): { receipt: Promise<AuditReceipt> } {
    if (this.failure !== null) return { receipt: Promise.reject(this.failure) };
    const seal = this.openSeal();
    const leaf = this.sink.append(line);
    this.tree.push(leaf);
    this.sink.schedule();
    return { receipt: seal.covered.then(() => ({ seq, leafHash: leaf })) };
  }

  private openSeal(): Seal {
    if (this.open === null) this.open = this.latest = newSeal();
    return this.open;
  }

  /**
   * The sink closed a group commit of `lines` records (all in the tree by now): asks for the root
   * over them and signs their checkpoint at once, and writes it when they are durable.
   */
  batchClosed(lines: number, durable: Promise<Buffer | null>): void {
    if (this.failure !== null) return;
    const seal = this.open!;
    this.open = null;
    seal.size = this.closedSize += lines;
    if (seal.size !== this.tree.size) {
      const mismatch = `the group commit ends at record ${seal.size} but the tree holds ${this.tree.size}`;
      seal.reject(this.fail(new Error(mismatch)));
      return;
    }
    const size = seal.size;
    seal.signed = this.tree.root().then(async (root) => {
      const checkpoint = { origin: this.logName, size, root };
      return { checkpoint, note: await signCheckpoint(this.options.signer, checkpoint) };
    });
    seal.signed.catch(() => undefined);
    this.closing.push(seal);
    durable.then(
      (leaves) => {
        seal.written = true;
        seal.leaves = leaves;
        this.sealSoon();
      },
      (e: Error) => this.fail(e),
    );
  }

  /**
   * Writes the checkpoint of the newest durable group commit, unless one is being written; the
   * commits that became durable meanwhile share the next one. Checkpoints are written in order.
   */
  private sealSoon(): void {
    if (this.sealing || this.failure !== null) return;
    let last = -1;
    while (this.closing[last + 1]?.written === true) last += 1;
    if (last < 0) return;
    const seals = this.closing.splice(0, last + 1);
    const target = seals[last]!;
    this.sealing = true;
    this.writeCheckpoint(target.size, target.signed!).then(
      () => {
        for (const seal of seals) seal.resolve();
        this.sealing = false;
        this.sealSoon();
      },
      (e: Error) => {
        const failure = this.fail(e);
        for (const seal of seals) seal.reject(failure);
      },
    );
  }

  private async writeCheckpoint(size: number, signing: Promise<SignedCheckpoint>): Promise<void> {
    let signed: SignedCheckpoint;
    try {
      signed = await signing;
      await this.checkpointFile.append(signed.note);
    } catch (e) {
      throw new AuditSignerError(`checkpoint at size ${size} failed: ${(e as Error).message}`);
    }
    this.lastCheckpoint = signed.checkpoint;
    this.options.onCheckpoint?.(signed.checkpoint, signed.note);
  }

  async checkpoint(): Promise<Checkpoint | null> {
    const before = this.lastCheckpoint;
    await this.handedOver.catch(() => undefined);
    if (this.failure !== null) throw this.failure;
    const latest = this.latest;
    await this.sink.flush();
    await latest?.covered;
    return this.lastCheckpoint === before ? null : this.lastCheckpoint;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.handedOver.catch(() => undefined);
      if (this.failure === null) await this.checkpoint();
    } finally {
      await this.sink.close(this.failure !== null).catch(() => undefined);
      await this.checkpointFile.close().catch(() => undefined);
      await this.tree.close();
    }
  }

  /** Closes the log for good: every record not yet covered is refused. */
  private fail(error: Error): Error {
    if (this.failure === null) {
      this.failure = error;
      for (const seal of this.closing.splice(0)) seal.reject(error);
      this.open?.reject(error);
      this.open = null;
    }
    return this.failure;
  }
}
