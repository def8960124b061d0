// RFC 6962 Merkle hashing against known vectors. The leaves, roots and inclusion proofs are the
// standard Certificate Transparency test data as published in transparency-dev/merkle
// (proof/verify_test.go, variables `leaves`, `roots`, `inclusionProofs`; the same values are in
// Trillian's merkle tests and RFC 6962's reference implementation tests). Proof indices there are
// 1-based; here they are converted to the 0-based leaf index.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  CompactRange,
  EMPTY_ROOT,
  inclusionProof,
  leafHash,
  rootFromInclusionProof,
  rootOf,
  verifyInclusion,
} from "../../adapters/audit/merkle.js";

const hex = (h: string): string => Buffer.from(h, "hex").toString("base64url");
const LEAVES = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"].map(
  (h) => leafHash(Buffer.from(h, "hex")),
);
const ROOTS = [
  "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
  "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
  "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
  "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
  "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
  "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
  "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
].map(hex);
const PROOFS: { index: number; size: number; proof: string[] }[] = [
  { index: 0, size: 1, proof: [] },
  {
    index: 0,
    size: 8,
    proof: [
      "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ].map(hex),
  },
  {
    index: 5,
    size: 8,
    proof: [
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ].map(hex),
  },
  { index: 2, size: 3, proof: [hex("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125")] },
  {
    index: 1,
    size: 5,
    proof: [
      "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    ].map(hex),
  },
];

describe("RFC 6962 Merkle tree", () => {
  it("the empty tree's root is SHA-256 of nothing", () => {
    expect(EMPTY_ROOT).toBe(hex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
  });

  it("roots of the 8 standard leaves match the published vectors for every size", () => {
    for (let size = 1; size <= 8; size++) expect(rootOf(LEAVES.slice(0, size))).toBe(ROOTS[size - 1]);
  });

  it("the compact range gives the same roots while leaves are appended", () => {
    const range = new CompactRange();
    for (const [i, leaf] of LEAVES.entries()) {
      range.push(leaf);
      expect(range.root()).toBe(ROOTS[i]);
    }
  });

  for (const { index, size, proof } of PROOFS) {
    it(`inclusion proof of leaf ${index} in a tree of ${size} matches the vector and verifies`, () => {
      expect(inclusionProof(LEAVES, index, size)).toEqual(proof);
      expect(verifyInclusion(index, size, LEAVES[index]!, proof, ROOTS[size - 1]!)).toBe(true);
    });
  }

  it("rejects corrupted proofs (wrong index, size, leaf, root, extra or missing hashes, flipped bit)", () => {
    const { index, size, proof } = PROOFS[2]!;
    const root = ROOTS[size - 1]!;
    const leaf = LEAVES[index]!;
    const flipped = Buffer.from(proof[1]!, "base64url");
    flipped[0]! ^= 8;
    const probes: [number, number, string, string[], string][] = [
      [index - 1, size, leaf, proof, root],
      [index + 1, size, leaf, proof, root],
      [index, size * 2, leaf, proof, root],
      [index, size / 2, leaf, proof, root],
      [index, size, LEAVES[0]!, proof, root],
      [index, size, leaf, proof, EMPTY_ROOT],
      [index, size, leaf, [...proof, root], root],
      [index, size, leaf, [root, ...proof], root],
      [index, size, leaf, proof.slice(0, -1), root],
      [index, size, leaf, [proof[0]!, flipped.toString("base64url"), proof[2]!], root],
      [index, size, leaf, [...proof.slice(0, 2), "not a hash"], root],
    ];
    for (const [i, n, l, p, r] of probes) expect(verifyInclusion(i, n, l, p, r)).toBe(false);
    expect(rootFromInclusionProof(8, 8, leaf, [])).toBeNull();
  });

  it("property: every inclusion proof in trees up to 70 leaves verifies against the recursive root", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 70 }), fc.nat(), (size, pick) => {
        const leaves = Array.from({ length: size }, (_, i) => leafHash(`leaf ${i}`));
        const index = pick % size;
        const range = new CompactRange();
        leaves.forEach((l) => range.push(l));
        expect(range.root()).toBe(rootOf(leaves));
        expect(verifyInclusion(index, size, leaves[index]!, inclusionProof(leaves, index, size), rootOf(leaves))).toBe(
          true,
        );
      }),
      { numRuns: 200 },
    );
  });
});
