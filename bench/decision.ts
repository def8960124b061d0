// Decisions per second on the reference constitution, over a rotating set of realistic inputs
// (bench/peers/reference-inputs.ts), for every engine and peer, measured in one process:
// warm-up, a calibrated loop, the median of several rounds. Every engine's answers are checked
// against the interpreter before it is timed. Prints a markdown table with ratios.
//
//   node dist/bench/decision.js [--rounds N] [--round-ms MS]

import { cpus } from "node:os";
import { isDeepStrictEqual } from "node:util";
import { fileURLToPath } from "node:url";
import { loadPolicy } from "@open-policy-agent/opa-wasm";
import * as nodeFs from "node:fs/promises";
import { compilePaths } from "../compiler/pipeline.js";
import { evaluateDecision } from "../compiler/interp/index.js";
import { planConstitution } from "../compiler/lower/planner.js";
import { evaluateDecisionIr } from "../compiler/ir/eval.js";
import type { IrPolicy } from "../compiler/ir/ir.js";
import type { CheckedConstitution } from "../compiler/check/model.js";
import type { Verdict } from "../contract/verdict.js";
import { REFERENCE_INPUTS } from "./peers/reference-inputs.js";
import { createHandwrittenDecide } from "./peers/handwritten.js";
import { createCedarDecide } from "./peers/cedar.js";
import { constantResultModule } from "./peers/opa-floor.js";

const CONSTITUTION_DIR = fileURLToPath(new URL("../../constitution/", import.meta.url));
const INPUTS = REFERENCE_INPUTS.map((c) => c.input);

interface Engine {
  name: string;
  /** One decision; the result is checked by `agrees` before timing. */
  decide?: (input: unknown) => unknown;
  agrees?: (result: unknown, expected: Verdict) => boolean;
  /** Why the engine has no row yet. */
  unavailable?: string;
}

interface Row {
  name: string;
  /** Decisions per second in each round; null when the engine is unavailable. */
  rounds: number[] | null;
  note: string;
}

// ---- measuring ---------------------------------------------------------------------------------

/** Runs `decide` over the inputs `n` times and returns the elapsed nanoseconds. */
function runLoop(decide: (input: unknown) => unknown, n: number): number {
  const start = process.hrtime.bigint();
  let sink = 0;
  for (let i = 0; i < n; i++) if (decide(INPUTS[i % INPUTS.length]) !== undefined) sink++;
  const elapsed = Number(process.hrtime.bigint() - start);
  if (sink < 0) console.log(sink);
  return elapsed;
}

/** Long enough for V8 and Liftoff→TurboFan tiering of WASM peers (Cedar keeps speeding up for ~1 s). */
const WARM_UP_MS = 1500;

/** Warms `decide` up, then returns the loop length that takes about `roundMs`. */
function calibrate(decide: (input: unknown) => unknown, roundMs: number): number {
  let n = INPUTS.length;
  const warmUntil = performance.now() + Math.max(roundMs, WARM_UP_MS);
  while (performance.now() < warmUntil) runLoop(decide, n);
  while (runLoop(decide, n) < roundMs * 1e6 * 0.2) n *= 2;
  return Math.max(INPUTS.length, Math.round((n * roundMs * 1e6) / runLoop(decide, n)));
}

/**
 * Rounds are interleaved (round 1 of every engine, then round 2, …) so that load changes on the
 * machine hit every engine alike. Returns each engine's rate in each round.
 */
function measureAll(engines: { decide: (input: unknown) => unknown }[], rounds: number, roundMs: number): number[][] {
  const lengths = engines.map((e) => calibrate(e.decide, roundMs));
  const rates = engines.map((): number[] => []);
  for (let r = 0; r < rounds; r++)
    engines.forEach((e, i) => rates[i]!.push((lengths[i]! * 1e9) / runLoop(e.decide, lengths[i]!)));
  return rates;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

// ---- engines -----------------------------------------------------------------------------------

const sameVerdict = (result: unknown, expected: Verdict): boolean => isDeepStrictEqual(result, expected);
const sdkResult = (result: unknown, expected: Verdict): boolean => isDeepStrictEqual(result, [{ result: expected }]);

/** Imports one of part A's modules if it exists; the specifier is a variable so the bench builds without it. */
async function optionalImport<T>(specifier: string): Promise<T | null> {
  try {
    return (await import(specifier)) as T;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ERR_MODULE_NOT_FOUND") return null;
    throw e;
  }
}

interface CodegenModule {
  compileToWasm(policy: IrPolicy): Uint8Array;
}
interface RuntimeModule {
  loadConstitution(
    wasm: Uint8Array,
  ): Promise<{ evaluate(input: unknown): unknown }> | { evaluate(input: unknown): unknown };
}

async function musgoEngines(ir: IrPolicy): Promise<Engine[]> {
  const codegen = await optionalImport<CodegenModule>("../compiler/codegen/index.js");
  const runtime = await optionalImport<RuntimeModule>("../runtime/index.js");
  const fastPath = "musgo fast path (`loadConstitution`)";
  const viaSdk = "musgo module via `@open-policy-agent/opa-wasm`";
  if (codegen === null)
    return [fastPath, viaSdk].map((name) => ({ name, unavailable: "not available yet (no compiler/codegen)" }));
  const wasm = codegen.compileToWasm(ir);
  const sdkPolicy = await loadPolicy(wasm);
  const engines: Engine[] = [];
  if (runtime === null || typeof runtime.loadConstitution !== "function")
    engines.push({ name: fastPath, unavailable: "not available yet (no runtime/index.js)" });
  else {
    const loaded = await runtime.loadConstitution(wasm);
    engines.push({ name: fastPath, decide: (input) => loaded.evaluate(input), agrees: sameVerdict });
  }
  engines.push({ name: viaSdk, decide: (input) => sdkPolicy.evaluate(input), agrees: sdkResult });
  return engines;
}

async function allEngines(c: CheckedConstitution): Promise<Engine[]> {
  const ir = planConstitution(c);
  const id = { name: c.name, version: c.version, digest: c.digest };
  const floor = await loadPolicy(await constantResultModule(evaluateDecision(c, INPUTS[0])));
  const cedar = createCedarDecide(c.schema);
  return [
    ...(await musgoEngines(ir)),
    { name: "hand-written JavaScript", decide: createHandwrittenDecide(id), agrees: sameVerdict },
    { name: "musgo interpreter (compiler/interp)", decide: (input) => evaluateDecision(c, input), agrees: sameVerdict },
    {
      name: "musgo IR interpreter (compiler/ir/eval)",
      decide: (input) => evaluateDecisionIr(ir, input),
      agrees: sameVerdict,
    },
    {
      name: "Cedar (`statefulIsAuthorized`, pre-parsed)",
      decide: cedar,
      agrees: (r, v) => (r as { permitted: boolean }).permitted === v.permitted,
    },
    { name: "OPA-SDK floor (constant-result module)", decide: (input) => floor.evaluate(input), agrees: () => true },
  ];
}

function checkAgreement(engine: Engine, c: CheckedConstitution): void {
  for (const input of INPUTS) {
    const result = engine.decide!(input);
    if (!engine.agrees!(result, evaluateDecision(c, input)))
      throw new Error(
        `${engine.name} disagrees with the interpreter on ${JSON.stringify(input)}: ${JSON.stringify(result)}`,
      );
  }
}

// ---- report ------------------------------------------------------------------------------------

function format(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}

/**
 * The median over rounds of a's rate divided by b's in the same round: engines measured back to
 * back see the same load, so per-round ratios cancel the machine's slow spells that a ratio of
 * medians would keep.
 */
function ratio(a: readonly number[] | null, b: readonly number[] | null): string {
  if (a === null || b === null) return "–";
  const value = median(a.map((rate, round) => rate / b[round]!));
  return `${value.toFixed(value >= 10 ? 0 : 2)}×`;
}

function table(rows: Row[]): string {
  const rates = (name: string): number[] | null => rows.find((r) => r.name.startsWith(name))?.rounds ?? null;
  const handwritten = rates("hand-written");
  const cedar = rates("Cedar");
  const floor = rates("OPA-SDK floor");
  const lines = [
    "| engine | decisions/s | ns/decision | vs hand-written JS | vs Cedar | vs OPA-SDK floor | note |",
    "|---|---:|---:|---:|---:|---:|---|",
    ...rows.map((r) => {
      if (r.rounds === null) return `| ${r.name} | – | – | – | – | – | ${r.note} |`;
      const perSecond = median(r.rounds);
      return `| ${r.name} | ${format(perSecond)} | ${format(1e9 / perSecond)} | ${ratio(r.rounds, handwritten)} | ${ratio(r.rounds, cedar)} | ${ratio(r.rounds, floor)} | ${r.note} |`;
    }),
  ];
  return lines.join("\n");
}

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

async function main(): Promise<void> {
  const rounds = option("--rounds", 7);
  const roundMs = option("--round-ms", 300);
  const compiled = await compilePaths([CONSTITUTION_DIR], { fs: nodeFs, cwd: process.cwd(), includeTests: false });
  if (compiled.constitution === null) throw new Error("the reference constitution does not compile");
  const c = compiled.constitution;
  const engines = await allEngines(c);
  const timed = engines.filter((e) => e.decide !== undefined);
  for (const engine of timed) checkAgreement(engine, c);
  const rates = measureAll(timed as { decide: (input: unknown) => unknown }[], rounds, roundMs);
  const rows: Row[] = engines.map((engine) => {
    const at = timed.indexOf(engine);
    return at < 0
      ? { name: engine.name, rounds: null, note: engine.unavailable ?? "" }
      : { name: engine.name, rounds: rates[at]!, note: "agrees with the interpreter" };
  });
  const cpu = cpus();
  console.log(`## Decisions per second — reference constitution, ${INPUTS.length} rotating inputs`);
  console.log(
    `\nMachine: ${cpu[0]?.model ?? "unknown CPU"} (${cpu.length} cores), Node ${process.version}; rates: median of ${rounds} interleaved rounds of ~${roundMs} ms; ratios: median of the per-round ratios; one process.\n`,
  );
  console.log(table(rows));
}

await main();
