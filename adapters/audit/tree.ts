// The Merkle tree of a log being written. Appending a leaf costs one RFC 6962 node hash on average,
// about as much as the leaf hash itself; a busy writer therefore hands its leaves to a worker thread,
// which keeps the tree, so the event loop only formats, chains and hashes records. Below
// `offloadAfter` leaves (a small or idle log) the tree stays on the event loop and no thread starts.
// Leaves reach the worker in order, in chunks; a root request names the size it is for, and the
// worker answers it once it holds exactly that many leaves.
// A batch-mode log goes further (`chainFrom`): its event loop writes each record with room for its
// `prev` and hands each group commit's lines to the worker as the batch fills (`chainLines`,
// `chainFinish`); the worker fills in each `prev` in order, takes the leaf hashes, feeds its tree
// and appends the lines to the file, so the serial chain hash and the copy into the page cache
// leave the event loop and overlap the filling of the batch.

import { Worker } from "node:worker_threads";
import type { CompactRange } from "./merkle.js";

/** Leaves pushed on the event loop before the tree moves to a worker. */
const DEFAULT_OFFLOAD_AFTER = 16_384;
/** Leaves sent to the worker per message: larger chunks cost less per leaf, smaller keep it busier. */
const CHUNK = 2048;

// The worker's tree: CompactRange's algorithm (merkle.ts) on raw peaks. A test checks that both
// give the same roots. Leaves arrive as base64url hashes, 43 bytes each, in a SharedArrayBuffer
// (posting it copies nothing; a string or an array of strings would be serialised).
const WORKER_SOURCE = String.raw`
const { parentPort, workerData } = require("node:worker_threads");
const { hash } = require("node:crypto");
const { writeSync } = require("node:fs");
const H = 32;
const peaks = Buffer.alloc(64 * H);
const views = Array.from({ length: 64 }, (_, i) => peaks.subarray(i * H, (i + 1) * H));
const node = Buffer.alloc(1 + 2 * H);
node[0] = 1;
let peakCount = 0;
let count = workerData.size;
let prev = workerData.prev;
/** Sizes of outstanding root requests, in order. */
const asked = [];
for (const peak of workerData.peaks) peaks.write(peak, H * peakCount++, H, "base64url");
function push(leaf) {
  let s = count;
  if (s % 2 === 0) {
    peaks.write(leaf, peakCount * H, H, "base64url");
  } else {
    node.write(leaf, 1 + H, H, "base64url");
    let merged = "";
    for (; s % 2 === 1; s = (s - 1) / 2) {
      peakCount -= 1;
      if (merged !== "") node.write(merged, 1 + H, H, "latin1");
      node.set(views[peakCount], 1);
      merged = hash("sha256", node, "latin1");
    }
    peaks.write(merged, peakCount * H, H, "latin1");
  }
  peakCount += 1;
  count += 1;
}
function root() {
  if (peakCount === 0) return hash("sha256", "", "base64url");
  let r = peaks.toString("latin1", (peakCount - 1) * H, peakCount * H);
  for (let i = peakCount - 2; i >= 0; i--) {
    node.set(views[i], 1);
    node.write(r, 1 + H, H, "latin1");
    r = hash("sha256", node, "latin1");
  }
  return Buffer.from(r, "latin1").toString("base64url");
}
function answer() {
  while (asked.length > 0 && asked[0] <= count) {
    asked.shift();
    parentPort.postMessage({ size: count, root: root() });
  }
}
// Chaining a group commit: line i starts after line i-1's newline (line 0 at byte 1; byte 0 is
// scratch) and ends at slots[2i + 1]; its 43-byte prev goes at slots[2i]. Lines arrive in ranges
// while the batch fills ("chain") and are hashed in place (copying out of a SharedArrayBuffer is
// slow), borrowing the byte before each line for the leaf prefix; each range is then appended to
// the log file (message.fd) from the very buffer it was chained in, so the copy of a range in a
// grown buffer, which may lack prevs, is never written. "finish" chains and appends the batch's last
// lines and returns its leaves; the event loop then only syncs. (Appending on the thread pool
// instead, overlapped with the next range, measured slower: the worker is busy when it completes.)
let done = 0;
let failure = null;
let leaves = Buffer.alloc(43 * 8192);
function chain(message) {
  if (message.from !== done) throw new Error("chain ranges out of order: line " + message.from + " after " + done);
  if (failure !== null || message.to === done) {
    done = message.to;
    return;
  }
  const bytes = Buffer.from(message.bytes);
  const slots = new Int32Array(message.slots);
  if (leaves.length < 43 * message.to) {
    const bigger = Buffer.alloc(Math.max(2 * leaves.length, 43 * message.to));
    leaves.copy(bigger);
    leaves = bigger;
  }
  const first = done === 0 ? 1 : slots[2 * done - 1] + 1;
  let start = first;
  for (let i = done; i < message.to; i++) {
    const end = slots[2 * i + 1];
    bytes.write(prev, slots[2 * i], 43, "latin1");
    const borrowed = bytes[start - 1];
    bytes[start - 1] = 0;
    const leaf = hash("sha256", new Uint8Array(message.bytes, start - 1, end - start + 1), "base64url");
    bytes[start - 1] = borrowed;
    leaves.write(leaf, 43 * i, 43, "latin1");
    prev = leaf;
    push(leaf);
    if (asked.length > 0) answer();
    start = end + 1;
  }
  done = message.to;
  append(message.fd, bytes, first, start);
}
/** Appends bytes [from, to) to the log; a failure is kept for "finish" to report (fail closed). */
function append(fd, bytes, from, to) {
  try {
    // A short write (rare for files) continues where it stopped.
    for (let at = from; at < to; ) at += writeSync(fd, bytes, at, to - at);
  } catch (e) {
    failure = e.message;
  }
}
function finish(message) {
  chain(message);
  done = 0;
  if (failure !== null) {
    parentPort.postMessage({ failed: failure });
    return;
  }
  const out = new ArrayBuffer(43 * message.to);
  new Uint8Array(out).set(leaves.subarray(0, 43 * message.to));
  parentPort.postMessage({ chained: out }, [out]);
}
parentPort.on("message", (message) => {
  if (typeof message === "number") {
    asked.push(message);
    answer();
  } else if (message.finish === true) {
    finish(message);
  } else if (message.slots !== undefined) {
    chain(message);
  } else {
    const leaves = Buffer.from(message.leaves);
    for (let at = 0; at < 43 * message.count; at += 43) push(leaves.toString("latin1", at, at + 43));
    if (asked.length > 0) answer();
  }
});
`;

/** A base64url SHA-256. */
const LEAF_CHARS = 43;

function newChunk(): Buffer {
  return Buffer.from(new SharedArrayBuffer(CHUNK * LEAF_CHARS));
}

interface RootRequest {
  size: number;
  resolve: (root: string) => void;
  reject: (error: Error) => void;
}

interface ChainRequest {
  lines: number;
  resolve: (leaves: Buffer) => void;
  reject: (error: Error) => void;
}

export class LogTree {
  private worker: Worker | null = null;
  /** Leaves not yet sent to the worker, 43 bytes each. */
  private chunk = newChunk();
  private chunkCount = 0;
  private count: number;
  /** Leaves the tree held when the log was opened. */
  private readonly start: number;
  private readonly requests: RootRequest[] = [];
  private readonly chains: ChainRequest[] = [];
  private failure: Error | null = null;

  /**
   * Continues `tree` (recovered from the file); moves to a worker after `offloadAfter` more leaves.
   * With `chainFrom` (the next record's `prev`), the worker starts at once and leaves come only
   * through `reserve` and `chain`.
   */
  constructor(
    private readonly tree: CompactRange,
    private readonly offloadAfter = DEFAULT_OFFLOAD_AFTER,
    chainFrom?: string,
  ) {
    this.count = tree.size;
    this.start = tree.size;
    if (chainFrom !== undefined) this.startWorker(chainFrom);
  }

  get size(): number {
    return this.count;
  }

  push(leaf: string): void {
    this.count += 1;
    if (this.worker === null) {
      this.tree.push(leaf);
      if (this.count - this.start >= this.offloadAfter) this.startWorker("");
      return;
    }
    this.chunk.write(leaf, LEAF_CHARS * this.chunkCount, LEAF_CHARS, "latin1");
    this.chunkCount += 1;
    if (this.chunkCount === CHUNK) this.send();
  }

  /** Counts a leaf whose line a later `chain` call hashes (a chaining tree only). */
  reserve(): void {
    this.count += 1;
  }

  /**
   * Starts chaining lines [from, to) of the group commit in `bytes` (see WORKER_SOURCE's `chain`)
   * and appending them to the file `fd`: `bytes` and `slots` live in SharedArrayBuffers, and those
   * lines must not change any more.
   */
  chainLines(fd: number, bytes: Buffer, slots: Int32Array, from: number, to: number): void {
    if (this.failure !== null || this.worker === null) return;
    this.worker.postMessage({ fd, bytes: bytes.buffer, slots: slots.buffer, from, to });
  }

  /**
   * Chains and appends the group commit's remaining lines; resolves, once every line of the batch
   * is written to `fd`, with their leaf hashes, 43 base64url bytes each.
   */
  chainFinish(fd: number, bytes: Buffer, slots: Int32Array, from: number, lines: number): Promise<Buffer> {
    if (this.failure !== null) return Promise.reject(this.failure);
    const worker = this.worker;
    if (worker === null) return Promise.reject(new Error("the Merkle tree is closed"));
    return new Promise((resolve, reject) => {
      this.chains.push({ lines, resolve, reject });
      worker.ref();
      worker.postMessage({ finish: true, fd, bytes: bytes.buffer, slots: slots.buffer, from, to: lines });
    });
  }

  /** The root over every leaf pushed (or reserved) so far. */
  root(): Promise<string> {
    if (this.failure !== null) return Promise.reject(this.failure);
    if (this.worker === null) return Promise.resolve(this.tree.root());
    this.send();
    return new Promise((resolve, reject) => {
      this.requests.push({ size: this.count, resolve, reject });
      // Only an outstanding request keeps the process alive for the worker's answer.
      this.worker!.ref();
      this.worker!.postMessage(this.count);
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (worker !== null) await worker.terminate();
  }

  private startWorker(prev: string): void {
    // The source is a CommonJS script: a host started with --input-type=module must not pass that on.
    const execArgv = process.execArgv.filter((arg) => !arg.startsWith("--input-type"));
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      execArgv,
      workerData: { size: this.tree.size, peaks: this.tree.peakHashes(), prev },
    });
    worker.unref();
    worker.on("message", (reply: { size: number; root: string } | { chained: ArrayBuffer } | { failed: string }) => {
      if ("failed" in reply) {
        this.fail(new Error(reply.failed));
      } else if ("chained" in reply) {
        const chain = this.chains.shift();
        if (chain === undefined) return;
        const lines = reply.chained.byteLength / LEAF_CHARS;
        if (lines === chain.lines) chain.resolve(Buffer.from(reply.chained));
        else chain.reject(this.fail(new Error(`the Merkle tree worker chained ${lines} lines, not ${chain.lines}`)));
      } else {
        const request = this.requests.shift();
        if (request === undefined) return;
        if (reply.size === request.size) request.resolve(reply.root);
        else
          request.reject(
            this.fail(new Error(`the Merkle tree worker answered for size ${reply.size}, not ${request.size}`)),
          );
      }
      if (this.requests.length === 0 && this.chains.length === 0) worker.unref();
    });
    worker.on("error", (e) => this.fail(e));
    worker.on("exit", () => {
      if (this.worker === worker) this.fail(new Error("the Merkle tree worker exited"));
    });
    this.worker = worker;
  }

  private send(): void {
    if (this.chunkCount === 0 || this.worker === null) return;
    this.worker.postMessage({ leaves: this.chunk.buffer, count: this.chunkCount });
    this.chunk = newChunk();
    this.chunkCount = 0;
  }

  private fail(error: Error): Error {
    this.failure ??= error;
    for (const request of this.requests.splice(0)) request.reject(this.failure);
    for (const chain of this.chains.splice(0)) chain.reject(this.failure);
    return this.failure;
  }
}
