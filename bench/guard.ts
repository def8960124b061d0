// Decisions per second through the Guard on the reference constitution (its `limit api_calls per
// agent.id to 100 per minute`), with the rate limits applied vs. not applied (target: limits on
// within 2× of limits off), on the default (WASM) engine and on the interpreter.
//
// Traffic is 1,000 agents in turn on a simulated clock, so the scenario does not depend on how fast
// the machine runs the loop:
// - within limits: each agent calls once per simulated second (60 a minute): every decision is
//   counted, none exceeds;
// - flood: each agent calls ten times per simulated second (600 a minute): after its first 100
//   calls every decision exceeds the limit, so the verdict gains an `api_calls_exceeded` violation.
// Rounds are interleaved and each ratio is the median of the per-round ratios (as in decision.ts).
//
//   npm run build && node dist/bench/guard.js [--rounds N] [--round-ms MS]

import { readFileSync } from "node:fs";
import { loadEngine, type EngineKind } from "../guard/engines.js";
import { Guard } from "../guard/guard.js";

const examples = ["example2-threat.json", "example3-classified.json"].map(
  (f) => JSON.parse(readFileSync(`constitution/examples/${f}`, "utf8")) as { agent: { id: string } },
);
const AGENTS = 1000;
const inputs = Array.from({ length: AGENTS }, (_, i) => {
  const example = examples[i % examples.length]!;
  return { ...example, agent: { ...example.agent, id: `agent_${i}` } };
});

interface Variant {
  name: string;
  judge: () => void;
}

/** A Guard judging the agents in turn while its clock advances `callsPerAgentSecond` calls per agent per second. */
function variant(name: string, guard: (clock: () => number) => Guard, callsPerAgentSecond: number): Variant {
  const stepMs = 1000 / (AGENTS * callsPerAgentSecond);
  let now = Date.UTC(2026, 0, 1);
  let next = 0;
  const g = guard(() => now);
  return {
    name,
    judge: () => {
      now += stepMs;
      g.judge(inputs[next++ % AGENTS]);
    },
  };
}

function runFor(v: Variant, n: number): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) v.judge();
  return Number(process.hrtime.bigint() - start);
}

/** Per variant, decisions/s in each of `rounds` interleaved rounds of about `roundMs`. */
function measure(variants: Variant[], rounds: number, roundMs: number): number[][] {
  const lengths = variants.map((v) => {
    let n = 1000;
    const warmUntil = performance.now() + 500;
    while (performance.now() < warmUntil) runFor(v, n);
    while (runFor(v, n) < roundMs * 2e5) n *= 2;
    return Math.round((n * roundMs * 1e6) / runFor(v, n));
  });
  const rates = variants.map((): number[] => []);
  for (let r = 0; r < rounds; r++)
    variants.forEach((v, i) => rates[i]!.push((lengths[i]! * 1e9) / runFor(v, lengths[i]!)));
  return rates;
}

const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

async function table(kind: EngineKind, rounds: number, roundMs: number): Promise<void> {
  const engine = await loadEngine({ paths: ["constitution/"], engine: kind });
  const variants = [
    variant("limits off", (clock) => new Guard({ engine, limits: false, clock }), 1),
    variant("limits on, within limits (60/min each)", (clock) => new Guard({ engine, clock }), 1),
    variant("limits on, flood (600/min each: every decision exceeds)", (clock) => new Guard({ engine, clock }), 10),
  ];
  const rates = measure(variants, rounds, roundMs);
  console.log(`\n### ${kind === "wasm" ? "WASM engine (the default)" : "interpreter engine"}\n`);
  console.log("| variant | decisions/s | limits on costs |");
  console.log("|---|---:|---:|");
  variants.forEach((v, i) => {
    const cost = i === 0 ? "–" : `${median(rates[0]!.map((off, r) => off / rates[i]![r]!)).toFixed(2)}×`;
    console.log(`| ${v.name} | ${Math.round(median(rates[i]!)).toLocaleString("en-US")} | ${cost} |`);
  });
}

const rounds = option("--rounds", 7);
const roundMs = option("--round-ms", 300);
console.log(`## Guard decisions/s, constitution/musgo.constitution, ${AGENTS} agents (target: limits on costs ≤ 2×)`);
console.log(
  `\nRates: median of ${rounds} interleaved rounds of ~${roundMs} ms; "limits on costs": median of the per-round ratios limits off / limits on.`,
);
for (const kind of ["wasm", "interp"] as const) await table(kind, rounds, roundMs);
