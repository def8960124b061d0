import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { join } from "node:path";
import { openAuditLog, verifyAuditLog } from "../../adapters/audit/index.js";
import { CompactRange, leafHash } from "../../adapters/audit/merkle.js";
import { LogTree } from "../../adapters/audit/tree.js";
import { LOG_NAME, newSigner, sampleContext, sampleVerdict, tempDir, trustOf } from "./support.js";

describe("log tree (Merkle tree of the writer, offloaded to a worker when busy)", () => {
  it("property: the worker's roots equal CompactRange's, whatever the recovered size and when roots are asked", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat(40),
        fc.nat(6),
        fc.array(fc.nat(3000), { minLength: 1, maxLength: 4 }),
        async (recovered, offloadAfter, steps) => {
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
        },
      ),
      { numRuns: 15 },
    );
  });

  it("a log busy enough to offload its tree still writes checkpoints that verify", async () => {
    const path = join(tempDir(), "audit.jsonl");
    const signer = newSigner();
    const log = await openAuditLog({ path, logName: LOG_NAME, signer, mode: "batch" });
    for (let chunk = 0; chunk < 10; chunk++) {
      await Promise.all(
        Array.from({ length: 2500 }, (_, i) => log.append(sampleVerdict(i), sampleContext(chunk * 2500 + i))),
      );
    }
    await log.close();
    expect(readFileSync(path, "utf8").split("\n")).toHaveLength(25_001);
    const result = await verifyAuditLog(path, { trust: trustOf(signer) });
    // One checkpoint per group commit: each awaited chunk of 2,500 is one.
    expect(result).toEqual({ status: "ok", ok: true, records: 25_000, checkpoints: 10 });
  });

  it("batch mode chains in the worker: receipts carry each line's leaf hash, across growing buffers and a reopen", async () => {
    const path = join(tempDir(), "audit.jsonl");
    const signer = newSigner();
    // Lines of ~100 kB (every 7th agent) outgrow the batch buffer while earlier lines are being chained.
    const context = (i: number): ReturnType<typeof sampleContext> => ({
      ...sampleContext(i),
      agent: i % 7 === 0 ? `é${"x".repeat(100_000)}${i}` : `agent-${i % 5}`,
    });
    const receipts = [];
    for (const maxBatchRecords of [700, 8192]) {
      const log = await openAuditLog({ path, logName: LOG_NAME, signer, mode: "batch", maxBatchRecords });
      receipts.push(
        ...(await Promise.all(Array.from({ length: 1500 }, (_, i) => log.append(sampleVerdict(i), context(i))))),
      );
      await log.close();
    }
    const lines = readFileSync(path, "utf8").split("\n").slice(0, -1);
    expect(receipts.map((r) => r.seq)).toEqual(lines.map((_, i) => i));
    expect(receipts.map((r) => r.leafHash)).toEqual(lines.map((line) => leafHash(line)));
    expect(await verifyAuditLog(path, { trust: trustOf(signer) })).toMatchObject({ status: "ok", records: 3000 });
  });

  it("the worker starts in a host run with --input-type=module (its CommonJS source is not read as ESM)", () => {
    const path = join(tempDir(), "audit.jsonl");
    const script = `const m = await import(${JSON.stringify(pathToFileURL("dist/adapters/audit/index.js").href)});
const log = await m.openAuditLog({ path: ${JSON.stringify(path)}, logName: "x/y", signer: m.softwareSigner(m.generateSoftwareKey()), mode: "batch" });
console.log((await log.append(${JSON.stringify(sampleVerdict(1))}, ${JSON.stringify(sampleContext(1))})).seq);
await log.close();`;
    const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(run.stdout).toBe("0\n");
  });
});
