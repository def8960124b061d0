import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { openAuditLog, verifyAuditLog } from "../../adapters/audit/index.js";
import { CompactRange, leafHash } from "../../adapters/audit/merkle.js";
import { LogTree } from "../../adapters/audit/tree.js";
import { LOG_NAME, newSigner, sampleContext, sampleVerdict, tempDir, trustOf } from "./support.js";

describe("log tree (Merkle tree of the writer, offloaded to a worker when busy)", () => {
  it("property: the worker's roots equal CompactRange's, whatever the recovered size and when roots are asked", async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(40), fc.nat(6), fc.array(fc.nat(3000), { minLength: 1, maxLength: 4 }), async (recovered, offloadAfter, steps) => {
        const reference = new CompactRange();
        const initial = new CompactRange();
        for (let i = 0; i < recovered; i++) {
          reference.push(leafHash(`leaf ${i}`));
          initial.push(leafHash(`leaf ${i}`));
        }
        const tree = new LogTree(initial, offloadAfter);
        let n = recovered;
        try {
          for (const step of steps) {
            for (let i = 0; i < step; i++, n++) {
              reference.push(leafHash(`leaf ${n}`));
              tree.push(leafHash(`leaf ${n}`));
            }
            expect(tree.size).toBe(reference.size);
            // Several outstanding requests, each for the leaves pushed before it.
            const asked = tree.root();
            const expected = reference.root();
            reference.push(leafHash(`leaf ${n}`));
            tree.push(leafHash(`leaf ${n++}`));
            const [first, second] = await Promise.all([asked, tree.root()]);
            expect(first).toBe(expected);
            expect(second).toBe(reference.root());
          }
        } finally {
          await tree.close();
        }
      }),
      { numRuns: 15 },
    );
  });

  it("a log busy enough to offload its tree still writes checkpoints that verify", async () => {
    const path = join(tempDir(), "audit.jsonl");
    const signer = newSigner();
    const log = await openAuditLog({ path, logName: LOG_NAME, signer, mode: "batch", checkpointEvery: 7000 });
    for (let chunk = 0; chunk < 10; chunk++) {
      await Promise.all(Array.from({ length: 2500 }, (_, i) => log.append(sampleVerdict(i), sampleContext(chunk * 2500 + i))));
    }
    await log.close();
    expect(readFileSync(path, "utf8").split("\n")).toHaveLength(25_001);
    const result = await verifyAuditLog(path, { trust: trustOf(signer) });
    expect(result).toMatchObject({ ok: true, records: 25_000, unanchored: 0 });
    expect(result.checkpoints).toBeGreaterThanOrEqual(3);
  });
});
