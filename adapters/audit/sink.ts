// Append-only, group-committed file sink. Lines accumulate in a batch; the batch is written with one
// write and made durable with one fdatasync, then every append in it resolves. A batch closes when it
// reaches `maxBatchLines` or `groupCommitMs` after its first line, and at most one batch is in flight,
// so under load batches grow by themselves while the previous one syncs.
// Each line is UTF-8 encoded once, straight into the batch buffer, and its RFC 6962 leaf hash is
// taken from those bytes: the writer is hash- and copy-bound, so no line is encoded twice.

import { open, type FileHandle } from "node:fs/promises";
import { leafHashInPlace } from "./merkle.js";

const INITIAL_BATCH_BYTES = 4 << 20;

export interface GroupCommitOptions {
  /** Longest a line waits before its batch is written (the caller's bounded wait). */
  groupCommitMs: number;
  maxBatchLines: number;
}

interface Batch {
  /** Byte 0 is scratch for the leaf-hash prefix; lines start at 1, each followed by a newline. */
  bytes: Buffer;
  used: number;
  lines: number;
  durable: Promise<void>;
  resolve: () => void;
  reject: (error: Error) => void;
}

export class GroupCommitSink {
  private batch: Batch = newBatch(Buffer.allocUnsafe(INITIAL_BATCH_BYTES));
  /** The buffer of the last written batch, reused by the next one (two buffers in all, no GC churn). */
  private spare: Buffer | null = null;
  private inFlight: Promise<void> = Promise.resolve();
  private flushing = false;
  private timer: NodeJS.Timeout | null = null;
  private failure: Error | null = null;

  private constructor(
    private readonly file: FileHandle,
    private readonly options: GroupCommitOptions,
  ) {}

  /** Opens `path` for appending (O_APPEND), creating it when missing. */
  static async open(path: string, options: GroupCommitOptions): Promise<GroupCommitSink> {
    return new GroupCommitSink(await open(path, "a"), options);
  }

  /** Queues one line (without its newline): returns its leaf hash and a promise of its durability. */
  append(line: string): { leaf: string; durable: Promise<void> } {
    const bytes = this.reserve(3 * line.length);
    return this.commitLine(this.cursor + bytes.write(line, this.cursor));
  }

  /**
   * The batch buffer, with room for a line of up to `maxBytes` bytes (and its newline) at `cursor`:
   * a caller writes the line there and hands its end to `commitLine`, so lines are encoded straight
   * into the batch. Nothing is queued until `commitLine`.
   */
  reserve(maxBytes: number): Buffer {
    const batch = this.batch;
    if (batch.bytes.length - batch.used < maxBytes + 1) batch.bytes = grown(batch.bytes, batch.used, maxBytes + 1);
    return batch.bytes;
  }

  /** Where the next line starts in the buffer `reserve` returned. */
  get cursor(): number {
    return this.batch.used;
  }

  /** Queues the line written at `cursor` up to `end`: returns its leaf hash and a promise of its durability. */
  commitLine(end: number): { leaf: string; durable: Promise<void> } {
    const batch = this.batch;
    const leaf = leafHashInPlace(batch.bytes, batch.used, end);
    batch.bytes[end] = 0x0a;
    batch.used = end + 1;
    batch.lines += 1;
    if (this.failure !== null) return { leaf, durable: Promise.reject(this.failure) };
    if (batch.lines >= this.options.maxBatchLines) this.flushSoon();
    else if (this.timer === null) this.timer = setTimeout(() => this.flushSoon(), this.options.groupCommitMs);
    return { leaf, durable: batch.durable };
  }

  /** Writes whatever is queued and waits until all of it is durable. */
  async flush(): Promise<void> {
    const pending = this.batch.lines > 0 ? this.batch.durable : this.inFlight;
    this.flushSoon();
    await pending;
    await this.inFlight;
    if (this.failure !== null) throw this.failure;
  }

  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      await this.file.close();
    }
  }

  private flushSoon(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.flushing || this.batch.lines === 0 || this.failure !== null) return;
    const batch = this.batch;
    this.batch = newBatch(this.spare ?? Buffer.allocUnsafe(INITIAL_BATCH_BYTES));
    this.spare = null;
    this.flushing = true;
    this.inFlight = this.writeBatch(batch).finally(() => {
      this.flushing = false;
      this.spare = batch.bytes;
      // Lines that arrived during the sync form the next group commit right away.
      if (this.batch.lines > 0) this.flushSoon();
    });
  }

  private async writeBatch(batch: Batch): Promise<void> {
    try {
      // Byte 0 is the hashing scratch byte; a short write (rare for files) continues where it stopped.
      for (let offset = 1; offset < batch.used; ) offset += (await this.file.write(batch.bytes, offset, batch.used - offset)).bytesWritten;
      await this.file.datasync();
      batch.resolve();
    } catch (e) {
      // A failed write leaves the file in an unknown state: refuse every later append (fail closed).
      this.failure = new Error(`audit log write failed: ${(e as Error).message}`);
      batch.reject(this.failure);
      this.batch.reject(this.failure);
    }
  }
}

function grown(bytes: Buffer, used: number, needed: number): Buffer {
  const bigger = Buffer.allocUnsafe(Math.max(2 * bytes.length, used + needed));
  bytes.copy(bigger, 0, 0, used);
  return bigger;
}

function newBatch(bytes: Buffer): Batch {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const durable = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Rejections are delivered to each appender; this keeps an unobserved batch from crashing the process.
  durable.catch(() => undefined);
  return { bytes, used: 1, lines: 0, durable, resolve, reject };
}

/** Appends `text` to `path` and fsyncs it: for rare, small writes such as checkpoints. */
export async function appendDurably(path: string, text: string): Promise<void> {
  const file = await open(path, "a");
  try {
    await file.write(text);
    await file.datasync();
  } finally {
    await file.close();
  }
}
