// The Merkle tree of a log being written. Appending a leaf costs one RFC 6962 node hash on average,
// about as much as the leaf hash itself; a busy writer therefore hands its leaves to a worker thread,
// which keeps the tree, so the event loop only formats, chains and hashes records. Below
// `offloadAfter` leaves (a small or idle log) the tree stays on the event loop and no thread starts.
// Leaves reach the worker in order, in chunks; a root request follows the leaves before it, so the
// root answered is the root of exactly the leaves pushed before `root()` was called.

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
const H = 32;
const peaks = Buffer.alloc(64 * H);
const views = Array.from({ length: 64 }, (_, i) => peaks.subarray(i * H, (i + 1) * H));
const node = Buffer.alloc(1 + 2 * H);
node[0] = 1;
let peakCount = 0;
let count = workerData.size;
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
parentPort.on("message", (message) => {
  if (message !== null) {
    const leaves = Buffer.from(message.leaves);
    for (let at = 0; at < 43 * message.count; at += 43) push(leaves.toString("latin1", at, at + 43));
  } else {
    parentPort.postMessage({ size: count, root: root() });
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

export class LogTree {
  private worker: Worker | null = null;
  /** Leaves not yet sent to the worker, 43 bytes each. */
  private chunk = newChunk();
  private chunkCount = 0;
  private count: number;
  /** Leaves the tree held when the log was opened. */
  private readonly start: number;
  private readonly requests: RootRequest[] = [];
  private failure: Error | null = null;

  /** Continues `tree` (recovered from the file); moves to a worker after `offloadAfter` more leaves. */
  constructor(
    private readonly tree: CompactRange,
    private readonly offloadAfter = DEFAULT_OFFLOAD_AFTER,
  ) {
    this.count = tree.size;
    this.start = tree.size;
  }

  get size(): number {
    return this.count;
  }

  push(leaf: string): void {
    this.count += 1;
    if (this.worker === null) {
      this.tree.push(leaf);
      if (this.count - this.start >= this.offloadAfter) this.startWorker();
      return;
    }
    this.chunk.write(leaf, LEAF_CHARS * this.chunkCount, LEAF_CHARS, "latin1");
    this.chunkCount += 1;
    if (this.chunkCount === CHUNK) this.send();
  }

  /** The root over every leaf pushed so far. */
  root(): Promise<string> {
    if (this.failure !== null) return Promise.reject(this.failure);
    if (this.worker === null) return Promise.resolve(this.tree.root());
    this.send();
    return new Promise((resolve, reject) => {
      this.requests.push({ size: this.count, resolve, reject });
      // Only an outstanding request keeps the process alive for the worker's answer.
      this.worker!.ref();
      this.worker!.postMessage(null);
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (worker !== null) await worker.terminate();
  }

  private startWorker(): void {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { size: this.tree.size, peaks: this.tree.peakHashes() } });
    worker.unref();
    worker.on("message", (reply: { size: number; root: string }) => {
      const request = this.requests.shift();
      if (this.requests.length === 0) worker.unref();
      if (request === undefined) return;
      if (reply.size === request.size) request.resolve(reply.root);
      else request.reject(this.fail(new Error(`the Merkle tree worker answered for size ${reply.size}, not ${request.size}`)));
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
    return this.failure;
  }
}
