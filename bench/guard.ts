// Decisions per second through the Guard on the reference constitution, with the constitution's
// rate limits applied vs. not applied (target: limits on within 2× of limits off).
// Run: npm run build && node dist/bench/guard.js

import { readFileSync } from "node:fs";
import { Bench } from "tinybench";
import { loadEngine } from "../cli/engine.js";
import { Guard } from "../runtime/guard/guard.js";

const examples = ["example2-threat.json", "example3-classified.json"].map((f) => JSON.parse(readFileSync(`constitution/examples/${f}`, "utf8")) as { agent: { id: string } });
// 1,000 agents, so the limiter tracks many keys as a gateway would.
const inputs = Array.from({ length: 1000 }, (_, i) => {
  const example = examples[i % examples.length]!;
  return { ...example, agent: { ...example.agent, id: `agent_${i}` } };
});

const engine = await loadEngine(["constitution/"], { engine: "interp" });
const guards = { "limits off": new Guard({ engine, limits: false }), "limits on": new Guard({ engine }) };
let next = 0;
const bench = new Bench({ time: 1500, warmup: true, warmupTime: 500 });
for (const [name, guard] of Object.entries(guards)) bench.add(name, () => void guard.judge(inputs[next++ % inputs.length]));
await bench.run();

function hz(name: string): number {
  const result = bench.tasks.find((t) => t.name === name)?.result;
  if (result === undefined || !("throughput" in result)) throw new Error(`benchmark task ${name} did not complete`);
  return result.throughput.mean;
}
const off = hz("limits off");
console.log(`## Guard decisions/s on constitution/musgo.constitution (${engine.limits.length} limit, interpreter engine)\n`);
console.log("| variant | decisions/s | ratio to limits off |");
console.log("|---|---|---|");
for (const name of Object.keys(guards)) console.log(`| ${name} | ${Math.round(hz(name)).toLocaleString("en-US")} | ${(hz(name) / off).toFixed(2)}× |`);
console.log(`\nlimits on costs ${(off / hz("limits on")).toFixed(2)}× (target: within 2×)`);
