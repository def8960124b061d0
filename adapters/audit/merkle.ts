// RFC 6962 Merkle tree hashing over the audit log's lines: leaf = SHA-256(0x00‖data),
// node = SHA-256(0x01‖left‖right). Hashes travel as base64url strings because node:crypto's
// one-shot `hash` returns strings several times faster than Buffers, and the writer is hash-bound.

import { hash } from "node:crypto";

export const HASH_BYTES = 32;

/** The root of the empty tree: SHA-256 of nothing (RFC 6962 §2.1). */
export const EMPTY_ROOT = hash("sha256", "", "base64url");

const nodeInput = Buffer.alloc(1 + 2 * HASH_BYTES);
/** `hash` with latin1 output (one char per byte), which Node supports but its typings omit. */
const hashLatin1 = hash as unknown as (algorithm: "sha256", data: Uint8Array, outputEncoding: "latin1") => string;
nodeInput[0] = 0x01;

/** Leaf hash of `data`; a string is hashed as its UTF-8 bytes. */
export function leafHash(data: string | Uint8Array): string {
  if (typeof data === "string") return hash("sha256", `\u0000${data}`, "base64url");
  return hash("sha256", Buffer.concat([Buffer.of(0x00), data]), "base64url");
}

/** Leaf hash of bytes[start:end], borrowing bytes[start - 1] for the 0x00 prefix (and restoring it). */
export function leafHashInPlace(bytes: Buffer, start: number, end: number): string {
  const borrowed = bytes[start - 1]!;
  bytes[start - 1] = 0x00;
  // A plain Uint8Array view is cheaper to create than Buffer#subarray, and this runs once per record.
  const leaf = hash("sha256", new Uint8Array(bytes.buffer, bytes.byteOffset + start - 1, end - start + 1), "base64url");
  bytes[start - 1] = borrowed;
  return leaf;
}

/** True for the base64url form of exactly 32 bytes, written canonically (no stray padding bits). */
export function isHash(value: unknown): value is string {
  return (
    typeof value === "string" && value.length === 43 && Buffer.from(value, "base64url").toString("base64url") === value
  );
}

export function nodeHash(left: string, right: string): string {
  nodeInput.write(left, 1, "base64url");
  nodeInput.write(right, 1 + HASH_BYTES, "base64url");
  return hash("sha256", nodeInput, "base64url");
}

/** MTH(D[start:end]) by the recursive definition of RFC 6962 §2.1. */
export function rootOf(leaves: readonly string[], start = 0, end = leaves.length): string {
  const n = end - start;
  if (n === 0) return EMPTY_ROOT;
  if (n === 1) return leaves[start]!;
  const k = largestPowerOfTwoBelow(n);
  return nodeHash(rootOf(leaves, start, start + k), rootOf(leaves, start + k, end));
}

/**
 * The tree's right edge (one perfect subtree root per set bit of the size), so appending a leaf
 * costs one node hash on average and the root of any prefix is available in O(log n).
 */
export class CompactRange {
  /** Peak i (0 = leftmost, the largest subtree) as raw bytes at [32i, 32i + 32). */
  private readonly peaks = Buffer.alloc(64 * HASH_BYTES);
  /** `peaks` split into one view per peak, made once: copying from a view is cheaper than Buffer#copy. */
  private readonly views = Array.from({ length: 64 }, (_, i) =>
    this.peaks.subarray(i * HASH_BYTES, (i + 1) * HASH_BYTES),
  );
  private peakCount = 0;
  private count = 0;

  get size(): number {
    return this.count;
  }

  push(leaf: string): void {
    // Merging with peak p hashes 0x01 ‖ peak ‖ merged: the peak is copied, the running hash stays
    // in the input buffer's right half (as latin1, i.e. raw bytes), so no hash is re-encoded.
    let s = this.count;
    if (s % 2 === 0) {
      this.peaks.write(leaf, this.peakCount * HASH_BYTES, HASH_BYTES, "base64url");
    } else {
      nodeInput.write(leaf, 1 + HASH_BYTES, HASH_BYTES, "base64url");
      let merged = "";
      for (; s % 2 === 1; s = (s - 1) / 2) {
        this.peakCount -= 1;
        if (merged !== "") nodeInput.write(merged, 1 + HASH_BYTES, HASH_BYTES, "latin1");
        nodeInput.set(this.views[this.peakCount]!, 1);
        merged = hashLatin1("sha256", nodeInput, "latin1");
      }
      this.peaks.write(merged, this.peakCount * HASH_BYTES, HASH_BYTES, "latin1");
    }
    this.peakCount += 1;
    this.count += 1;
  }

  root(): string {
    if (this.peakCount === 0) return EMPTY_ROOT;
    let root = this.peak(this.peakCount - 1);
    for (let i = this.peakCount - 2; i >= 0; i--) root = nodeHash(this.peak(i), root);
    return root;
  }

  /** The peaks' hashes, leftmost (largest subtree) first: with the size, the whole state. */
  peakHashes(): string[] {
    return Array.from({ length: this.peakCount }, (_, i) => this.peak(i));
  }

  private peak(i: number): string {
    return this.peaks.toString("base64url", i * HASH_BYTES, (i + 1) * HASH_BYTES);
  }
}

/** PATH(index, D[0:size]) of RFC 6962 §2.1.1: sibling hashes from the leaf up to the root's child. */
export function inclusionProof(leaves: readonly string[], index: number, size: number): string[] {
  if (!(index >= 0 && index < size && size <= leaves.length))
    throw new RangeError(`no leaf ${index} in a tree of size ${size}`);
  return pathIn(leaves, index, 0, size);
}

function pathIn(leaves: readonly string[], index: number, start: number, end: number): string[] {
  const n = end - start;
  if (n === 1) return [];
  const k = largestPowerOfTwoBelow(n);
  if (index < k) return [...pathIn(leaves, index, start, start + k), rootOf(leaves, start + k, end)];
  return [...pathIn(leaves, index - k, start + k, end), rootOf(leaves, start, start + k)];
}

/** The root an inclusion proof leads to (RFC 9162 §2.1.3.2), or null when the proof is malformed. */
export function rootFromInclusionProof(
  index: number,
  size: number,
  leaf: string,
  proof: readonly string[],
): string | null {
  if (!(Number.isSafeInteger(index) && Number.isSafeInteger(size) && index >= 0 && index < size)) return null;
  if (!isHash(leaf) || !proof.every(isHash)) return null;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return null;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn /= 2;
        sn = Math.floor(sn / 2);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : null;
}

export function verifyInclusion(
  index: number,
  size: number,
  leaf: string,
  proof: readonly string[],
  root: string,
): boolean {
  return rootFromInclusionProof(index, size, leaf, proof) === root;
}

function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}
