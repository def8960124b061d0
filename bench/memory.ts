// Memory under sustained load: 10 million decisions in one process through the Node fast path,
// rotating over the realistic reference inputs. Prints the JS heap (after a forced GC where
// available), the module's linear memory and the RSS at checkpoints: a leak shows as growth
// between the 1 M and 10 M rows.
//
//   node --expose-gc dist/bench/memory.js [--decisions N]

import * as nodeFs from "node:fs/promises";
import { parseArgs } from "node:util";
import { buildPaths } from "../compiler/build.js";
import { loadConstitution } from "../runtime/index.js";
import { REFERENCE_INPUTS } from "./peers/reference-inputs.js";

const { values } = parseArgs({ options: { decisions: { type: "string", default: "10000000" } } });
const TOTAL = Number(values.decisions);
const INPUTS = REFERENCE_INPUTS.map((c) => c.input);
const MiB = 1024 * 1024;

// The loader creates the module's memory privately; record it so its size can be reported.
const memories: WebAssembly.Memory[] = [];
const NativeMemory = WebAssembly.Memory;
WebAssembly.Memory = new Proxy(NativeMemory, {
  construct(target, args: ConstructorParameters<typeof NativeMemory>) {
    const memory = new target(...args);
    memories.push(memory);
    return memory;
  },
});

interface Sample {
  decisions: number;
  heapMiB: number;
  moduleMiB: number;
  rssMiB: number;
}

function sample(decisions: number): Sample {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  return {
    decisions,
    heapMiB: m.heapUsed / MiB,
    moduleMiB: memories.reduce((sum, mem) => sum + mem.buffer.byteLength, 0) / MiB,
    rssMiB: m.rss / MiB,
  };
}

async function main(): Promise<void> {
  const built = await buildPaths(["constitution/"], { fs: nodeFs, cwd: process.cwd() });
  if (!built.ok) throw new Error("the reference constitution does not compile");
  const engine = loadConstitution(built.wasm);
  const checkpoints = new Set([1_000_000, 2_000_000, 5_000_000, TOTAL]);
  const samples: Sample[] = [sample(0)];
  const start = performance.now();
  let denied = 0;
  for (let i = 1; i <= TOTAL; i++) {
    if (!engine.decide(INPUTS[i % INPUTS.length]).permitted) denied++;
    if (checkpoints.has(i)) samples.push(sample(i));
  }
  const seconds = (performance.now() - start) / 1000;
  console.log(
    `## Memory: ${TOTAL.toLocaleString("en-US")} decisions through the fast path (${denied.toLocaleString("en-US")} denied)\n`,
  );
  console.log("| decisions | JS heap used (MiB) | module memory (MiB) | RSS (MiB) |");
  console.log("|---:|---:|---:|---:|");
  for (const s of samples)
    console.log(
      `| ${s.decisions.toLocaleString("en-US")} | ${s.heapMiB.toFixed(1)} | ${s.moduleMiB.toFixed(1)} | ${s.rssMiB.toFixed(0)} |`,
    );
  const first = samples[1]!;
  const last = samples[samples.length - 1]!;
  console.log(
    `\nGrowth from 1 M to ${TOTAL.toLocaleString("en-US")}: JS heap ${(last.heapMiB - first.heapMiB).toFixed(2)} MiB, module memory ${(last.moduleMiB - first.moduleMiB).toFixed(2)} MiB; ${(TOTAL / seconds / 1e6).toFixed(2)} M decisions/s overall.`,
  );
}

await main();
