// Huge collections: a constitution whose rules count and search a set of strings and a list of
// numbers, judged on inputs of 1M, 2M and 4M elements by the interpreter, the Node fast path
// (`evaluate`) and `opa_eval` on JSON text (`evaluateJson`). Each engine's first call, on a fresh
// engine, is checked against the interpreter and timed on its own (it grows the module's memory);
// then the median of the next calls. Prints CPU times, WASM/interpreter ratios and the growth from
// the smallest to the largest size (linear work grows 4× from 1M to 4M).
//
//   node dist/bench/huge-collections.js [--sizes 1000000,2000000,4000000] [--runs 3]

import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { compileSources } from "../compiler/pipeline.js";
import { buildConstitution } from "../compiler/build.js";
import type { CheckedConstitution } from "../compiler/check/model.js";
import { evaluateDecision } from "../compiler/interp/index.js";
import { loadConstitution, type LoadedConstitution } from "../runtime/index.js";

export const HUGE_COLLECTIONS_SOURCE = `constitution huge version "1.0.0"
schema {
  n: number,
  tags: set<string>,
  ids: list<number>,
}
article 1 "Counts" {
  forbid too_many_tags when count(tags) > n
  forbid too_many_ids when count(ids) > n
}
article 2 "Membership" {
  forbid banned_tag when "banned" in tags
  forbid banned_id when -1 in ids
}
`;

/** An input with `strings` distinct tags and `numbers` ids (no rule fires: every count is below `n`). */
export function hugeInput(strings: number, numbers: number): Record<string, unknown> {
  const tags = Array.from({ length: strings }, (_, i) => `tag-${i}`);
  const ids = Array.from({ length: numbers }, (_, i) => i * 1.5);
  return { n: Math.max(strings, numbers) + 1, tags, ids };
}

export interface HugeCollections {
  checked: CheckedConstitution;
  wasm: Uint8Array;
}

export function compileHugeCollections(): HugeCollections {
  const { constitution, diagnostics } = compileSources([{ path: "huge.constitution", text: HUGE_COLLECTIONS_SOURCE }]);
  if (constitution === null) throw new Error(`the bench constitution does not check: ${JSON.stringify(diagnostics)}`);
  return { checked: constitution, wasm: buildConstitution(constitution).wasm };
}

/**
 * The CPU milliseconds (user + system, all threads) of one call of `run`, and its result. CPU time,
 * not wall time: on a machine shared with other jobs, wall time measures the neighbours too.
 */
export function timed<T>(run: () => T): { ms: number; value: T } {
  const start = process.cpuUsage();
  const value = run();
  const used = process.cpuUsage(start);
  return { ms: (used.user + used.system) / 1000, value };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

type ElementKind = "strings" | "numbers";

interface Row {
  kind: ElementKind;
  size: number;
  megabytes: number;
  interpreter: number;
  parseAndInterpreter: number;
  fastPathFirst: number;
  fastPath: number;
  opaEvalFirst: number;
  opaEval: number;
}

/** The first call of `judge` on a fresh engine (checked against `expected`), then the median of `runs` more. */
function firstAndMedian(
  wasm: Uint8Array,
  judge: (engine: LoadedConstitution) => unknown,
  expected: string,
  runs: number,
): [number, number] {
  const engine = loadConstitution(wasm);
  const first = timed(() => judge(engine));
  if (JSON.stringify(first.value) !== expected)
    throw new Error(`the WASM engine disagrees with the interpreter: ${JSON.stringify(first.value)}`);
  return [first.ms, median(Array.from({ length: runs }, () => timed(() => judge(engine)).ms))];
}

function measure(bench: HugeCollections, kind: ElementKind, size: number, runs: number): Row {
  const input = kind === "strings" ? hugeInput(size, 2) : hugeInput(2, size);
  const text = JSON.stringify(input);
  const expected = JSON.stringify(evaluateDecision(bench.checked, input));
  const interpreter = median(
    Array.from({ length: runs }, () => timed(() => evaluateDecision(bench.checked, input)).ms),
  );
  const parseAndInterpreter = median(
    Array.from({ length: runs }, () => timed(() => evaluateDecision(bench.checked, JSON.parse(text))).ms),
  );
  const [fastPathFirst, fastPath] = firstAndMedian(bench.wasm, (engine) => engine.evaluate(input), expected, runs);
  const [opaEvalFirst, opaEval] = firstAndMedian(bench.wasm, (engine) => engine.evaluateJson(text), expected, runs);
  return {
    kind,
    size,
    megabytes: Buffer.byteLength(text) / 1e6,
    interpreter,
    parseAndInterpreter,
    fastPathFirst,
    fastPath,
    opaEvalFirst,
    opaEval,
  };
}

function main(): void {
  const { values } = parseArgs({
    options: { sizes: { type: "string", default: "1000000,2000000,4000000" }, runs: { type: "string", default: "3" } },
  });
  const sizes = values.sizes.split(",").map(Number);
  const runs = Number(values.runs);
  const bench = compileHugeCollections();
  const rows: Row[] = [];
  const ms = (x: number) => x.toFixed(0);
  const millions = (n: number) => `${(n / 1e6).toString()}M`;
  console.log(`## Huge collections (CPU ms; "first": first call on a fresh engine; else median of ${runs})\n`);
  console.log(
    "| elements | JSON | interpreter | JSON.parse + interpreter | fast path first | fast path | opa_eval first | opa_eval | fast path / interp. | opa_eval / (parse + interp.) |",
  );
  console.log("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
  for (const kind of ["strings", "numbers"] as const) {
    for (const size of sizes) {
      const r = measure(bench, kind, size, runs);
      rows.push(r);
      console.log(
        `| ${millions(size)} ${kind} | ${r.megabytes.toFixed(1)} MB | ${ms(r.interpreter)} | ${ms(r.parseAndInterpreter)} | ${ms(r.fastPathFirst)} | ${ms(r.fastPath)} | ` +
          `${ms(r.opaEvalFirst)} | ${ms(r.opaEval)} | ${(r.fastPath / r.interpreter).toFixed(2)}× | ${(r.opaEval / r.parseAndInterpreter).toFixed(2)}× |`,
      );
    }
  }
  const [smallest, largest] = [sizes[0]!, sizes[sizes.length - 1]!];
  console.log(`\nGrowth ${millions(smallest)} → ${millions(largest)} (linear: ${(largest / smallest).toFixed(0)}×):`);
  for (const kind of ["strings", "numbers"] as const) {
    const first = rows.find((r) => r.kind === kind && r.size === smallest)!;
    const last = rows.find((r) => r.kind === kind && r.size === largest)!;
    const growth = (key: Exclude<keyof Row, "kind" | "size" | "megabytes">) =>
      `${(last[key] / first[key]).toFixed(2)}×`;
    console.log(
      `- ${kind}: interpreter ${growth("interpreter")}, fast path ${growth("fastPath")} (first call ${growth("fastPathFirst")}), ` +
        `opa_eval ${growth("opaEval")} (first call ${growth("opaEvalFirst")})`,
    );
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
