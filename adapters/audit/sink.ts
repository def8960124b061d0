// Append-only, group-committed file sink. Lines accumulate in a batch; the batch is written with one
// write and made durable with one fdatasync, then every append in it resolves. A batch closes when it
// reaches `maxBatchLines` or `groupCommitMs` after its first line, and at most one batch is in flight,
// so under load batches grow by themselves while the previous one syncs.
// Each line is UTF-8 encoded once, straight into the batch buffer, and its RFC 6962 leaf hash is
// taken from those bytes: the writer is hash- and copy-bound, so no line is encoded twice.
// With a `chain` hook (batch-mode logs), lines are committed without their leaf hash
// (`commitUnhashed`): each line's `prev` is left for the hook to fill in off the event loop; the hook
// gets the batch's lines in ranges as it fills and its last ones when the batch closes, and
// writes them to the file itself; the sink then only syncs. Batch buffers then live in
// SharedArrayBuffers, so handing one over copies nothing.
// Committing a line never closes its batch: the caller updates its tree, then calls `schedule`, so
// `onClose` (the writer's checkpoint hook) sees every line of the batch it closes in the tree.

import { open, type FileHandle } from "node:fs/promises";
import { leafHashInPlace } from "./merkle.js";

const INITIAL_BATCH_BYTES = 4 << 20;

export interface GroupCommitOptions {
  /** Longest a line waits before its batch is written (the caller's bounded wait). */
  groupCommitMs: number;
  maxBatchLines: number;
  /** Fills in each line's `prev` off the event loop (a batch-mode log's tree, tree.ts). */
  chain?: Chainer;
  /**
   * Called when a batch closes (it takes no more lines), with its line count and a promise that
   * resolves, with its leaves in a chained batch, once it is durable, or rejects when it cannot be.
   */
  onClose?: (lines: number, durable: Promise<Buffer | null>) => void;
}

/**
 * Chains the lines of a batch and appends them to the file `fd`: line i's `prev` is at `slots[2i]`
 * and the line ends at `slots[2i + 1]`. `chainLines` hands over lines whose bytes are final, as the
 * batch fills; `chainFinish`, when the batch closes, does the rest and resolves, once every line is
 * written (not yet synced), with the lines' leaf hashes (43 base64url bytes each).
 */
export interface Chainer {
  chainLines(fd: number, bytes: Buffer, slots: Int32Array, from: number, to: number): void;
  chainFinish(fd: number, bytes: Buffer, slots: Int32Array, from: number, lines: number): Promise<Buffer>;
}

/** Lines handed to the chainer at a time while a batch fills. */
const CHAIN_LINES = 512;

interface Batch {
  /** Byte 0 is scratch for the leaf-hash prefix; lines start at 1, each followed by a newline. */
  bytes: Buffer;
  used: number;
  lines: number;
  /** Lines already handed to the chainer. */
  chained: number;
  /** Per line: offset of its `prev` and its end (chained batches only). */
  slots: Int32Array;
  /** Resolves with the lines' leaf hashes in a chained batch, with null otherwise. */
  durable: Promise<Buffer | null>;
  resolve: (leaves: Buffer | null) => void;
  reject: (error: Error) => void;
}

export class GroupCommitSink {
  private batch: Batch;
  /** The buffers of the last written batch, reused by the next one (two sets in all, no GC churn). */
  private spare: { bytes: Buffer; slots: Int32Array } | null = null;
  private readonly shared: boolean;
  private inFlight: Promise<void> = Promise.resolve();
  private flushing = false;
  private timer: NodeJS.Timeout | null = null;
  private failure: Error | null = null;

  private constructor(
    private readonly file: FileHandle,
    private readonly options: GroupCommitOptions,
  ) {
    this.shared = options.chain !== undefined;
    this.batch = newBatch(
      allocate(INITIAL_BATCH_BYTES, this.shared),
      new Int32Array(this.shared ? new SharedArrayBuffer(8 * 1024) : new ArrayBuffer(0)),
    );
  }

  /** Opens `path` for appending (O_APPEND), creating it when missing. */
  static async open(path: string, options: GroupCommitOptions): Promise<GroupCommitSink> {
    return new GroupCommitSink(await open(path, "a"), options);
  }

  /** Queues one line (without its newline) and returns its leaf hash. */
  append(line: string): string {
    const bytes = this.reserve(3 * line.length);
    return this.commitLine(this.cursor + bytes.write(line, this.cursor));
  }

  /**
   * The batch buffer, with room for a line of up to `maxBytes` bytes (and its newline) at `cursor`:
   * a caller writes the line there and hands its end to `commitLine`, so lines are encoded straight
   * into the batch. Nothing is queued until `commitLine`; nothing is written until `schedule`.
   */
  reserve(maxBytes: number): Buffer {
    const batch = this.batch;
    if (batch.bytes.length - batch.used < maxBytes + 1) {
      batch.bytes = grown(batch.bytes, batch.used, maxBytes + 1, this.shared);
    }
    return batch.bytes;
  }

  /** Where the next line starts in the buffer `reserve` returned. */
  get cursor(): number {
    return this.batch.used;
  }

  /** Queues the line written at `cursor` up to `end` and returns its leaf hash. */
  commitLine(end: number): string {
    const batch = this.batch;
    const leaf = leafHashInPlace(batch.bytes, batch.used, end);
    batch.bytes[end] = 0x0a;
    batch.used = end + 1;
    batch.lines += 1;
    return leaf;
  }

  /**
   * Queues the line written at `cursor` up to `end`, whose `prev` goes at `prevAt`, in a
   * sink with a `chain` hook, and returns its index in its batch (`onClose` gives the batch's leaves).
   */
  commitUnhashed(prevAt: number, end: number): number {
    const batch = this.batch;
    const index = batch.lines;
    if (batch.slots.length < 2 * index + 2) batch.slots = grownSlots(batch.slots);
    batch.slots[2 * index] = prevAt;
    batch.slots[2 * index + 1] = end;
    batch.bytes[end] = 0x0a;
    batch.used = end + 1;
    batch.lines += 1;
    if (batch.lines - batch.chained >= CHAIN_LINES) {
      this.options.chain!.chainLines(this.file.fd, batch.bytes, batch.slots, batch.chained, batch.lines);
      batch.chained = batch.lines;
    }
    return index;
  }

  /** Closes the batch when it is full, else makes sure it is written within `groupCommitMs`: call after committing. */
  schedule(): void {
    if (this.batch.lines >= this.options.maxBatchLines) this.flushSoon();
    else if (this.timer === null && this.failure === null) {
      this.timer = setTimeout(() => this.flushSoon(), this.options.groupCommitMs);
    }
  }

  /** Writes whatever is queued and waits until all of it is durable. */
  async flush(): Promise<void> {
    const pending = this.batch.lines > 0 ? this.batch.durable : this.inFlight;
    this.flushSoon();
    await pending;
    await this.inFlight;
    if (this.failure !== null) throw this.failure;
  }

  /** Writes what is queued (unless `discard`: a failed log writes nothing more) and closes the file. */
  async close(discard = false): Promise<void> {
    try {
      if (discard) {
        if (this.timer !== null) clearTimeout(this.timer);
        this.timer = null;
        await this.inFlight;
      } else {
        await this.flush();
      }
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
    const spare = this.spare;
    this.batch =
      spare === null
        ? newBatch(
            allocate(INITIAL_BATCH_BYTES, this.shared),
            new Int32Array(this.shared ? new SharedArrayBuffer(batch.slots.byteLength) : new ArrayBuffer(0)),
          )
        : newBatch(spare.bytes, spare.slots);
    this.spare = null;
    this.flushing = true;
    this.options.onClose?.(batch.lines, batch.durable);
    this.inFlight = this.writeBatch(batch).finally(() => {
      this.flushing = false;
      this.spare = { bytes: batch.bytes, slots: batch.slots };
      // Lines that arrived during the sync form the next group commit right away.
      if (this.batch.lines > 0) this.flushSoon();
    });
  }

  private async writeBatch(batch: Batch): Promise<void> {
    try {
      const chain = this.options.chain;
      // A chained batch's lines are written by the chainer as they are chained.
      const leaves =
        chain === undefined
          ? await this.writeLines(batch)
          : await chain.chainFinish(this.file.fd, batch.bytes, batch.slots, batch.chained, batch.lines);
      await this.file.datasync();
      batch.resolve(leaves);
    } catch (e) {
      // A failed write leaves the file in an unknown state: refuse every later append (fail closed).
      this.failure = new Error(`audit log write failed: ${(e as Error).message}`);
      batch.reject(this.failure);
      this.batch.reject(this.failure);
    }
  }

  private async writeLines(batch: Batch): Promise<null> {
    // Byte 0 is the hashing scratch byte; a short write (rare for files) continues where it stopped.
    for (let offset = 1; offset < batch.used;)
      offset += (await this.file.write(batch.bytes, offset, batch.used - offset)).bytesWritten;
    return null;
  }
}

function allocate(size: number, shared: boolean): Buffer {
  return shared ? Buffer.from(new SharedArrayBuffer(size)) : Buffer.allocUnsafe(size);
}

function grown(bytes: Buffer, used: number, needed: number, shared: boolean): Buffer {
  const bigger = allocate(Math.max(2 * bytes.length, used + needed), shared);
  bytes.copy(bigger, 0, 0, used);
  return bigger;
}

function grownSlots(slots: Int32Array): Int32Array {
  const bigger = new Int32Array(new SharedArrayBuffer(Math.max(64, 2 * slots.byteLength)));
  bigger.set(slots);
  return bigger;
}

function newBatch(bytes: Buffer, slots: Int32Array): Batch {
  let resolve!: (leaves: Buffer | null) => void;
  let reject!: (error: Error) => void;
  const durable = new Promise<Buffer | null>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Rejections are delivered to each appender; this keeps an unobserved batch from crashing the process.
  durable.catch(() => undefined);
  return { bytes, used: 1, lines: 0, chained: 0, slots, durable, resolve, reject };
}

/** Appends small texts (checkpoints) to a file, each made durable before `append` resolves; one at a time. */
export class DurableAppender {
  private file: FileHandle | null = null;

  constructor(private readonly path: string) {}

  async append(text: string): Promise<void> {
    this.file ??= await open(this.path, "a");
    await this.file.writeFile(text);
    await this.file.datasync();
  }

  async close(): Promise<void> {
    await this.file?.close();
    this.file = null;
  }
}
