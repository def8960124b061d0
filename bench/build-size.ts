// Build time and module size for generated constitutions of 10, 100, 1,000 and 10,000 articles
// (bench/generate-constitution.ts; article numbers stop at 3,999, so N = 10,000 is 10,000 forbid
// rules in 3,334 articles), and the CLI wall times the issues set targets for: `musgo check`
// of 1,000 articles (< 1 s), `musgo build` of the reference constitution (< 1.5 s, module ≤ 64 KB)
// and of 1,000 articles (< 5 s). In-process stages are timed separately: check (parse + type
// check), plan (IR), codegen (IR → WASM, when part A's backend is present).
//
//   node dist/bench/build-size.js [--max N]

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { compileSources } from "../compiler/pipeline.js";
import { planConstitution } from "../compiler/lower/planner.js";
import type { IrPolicy } from "../compiler/ir/ir.js";
import { generateConstitution, writeGeneratedConstitution } from "./generate-constitution.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CLI = join(ROOT, "dist/cli/main.js");
const REFERENCE_DIR = join(ROOT, "constitution");
const SIZES = [10, 100, 1_000, 10_000];

interface CodegenModule {
  compileToWasm(policy: IrPolicy): Uint8Array;
}

async function loadCodegen(): Promise<CodegenModule | null> {
  const specifier = "../compiler/codegen/index.js";
  try {
    return (await import(specifier)) as CodegenModule;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ERR_MODULE_NOT_FOUND") return null;
    throw e;
  }
}

function timed<T>(run: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = run();
  return { value, ms: performance.now() - start };
}

function ms(n: number): string {
  return `${n.toFixed(n < 10 ? 1 : 0)} ms`;
}

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

/** One row of the in-process table: check, plan and (when available) codegen of N articles. */
function measureSize(rules: number, codegen: CodegenModule | null): string {
  const source = generateConstitution(rules);
  const check = timed(() => compileSources([{ path: "generated.constitution", text: source }]));
  const checked = check.value.constitution;
  if (checked === null) throw new Error(`the generated constitution of ${rules} rules does not check`);
  const plan = timed(() => planConstitution(checked));
  const irBytes = JSON.stringify(plan.value).length;
  const lead = `| ${rules.toLocaleString("en-US")} | ${checked.articles.length.toLocaleString("en-US")} | ${kb(source.length)}`;
  if (codegen === null)
    return `${lead} | ${ms(check.ms)} | ${ms(plan.ms)} | ${kb(irBytes)} | not available yet | – | ${ms(check.ms + plan.ms)} (no codegen) |`;
  const wasm = timed(() => codegen.compileToWasm(plan.value));
  return `${lead} | ${ms(check.ms)} | ${ms(plan.ms)} | ${kb(irBytes)} | ${ms(wasm.ms)} | ${kb(wasm.value.length)} | ${ms(check.ms + plan.ms + wasm.ms)} |`;
}

/** Wall time of one CLI run (process start included), whether it succeeded, and its first stderr line. */
function cliWall(args: string[]): { ms: number; ok: boolean; stderr: string } {
  const start = performance.now();
  const run = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8" });
  return { ms: performance.now() - start, ok: run.status === 0, stderr: run.stderr.trim().split("\n")[0] ?? "" };
}

/** A CLI timing row; `module` names the written module and, for the reference build, its size target. */
function cliRow(label: string, args: string[], targetMs: number, module?: { path: string; limitKb?: number }): string {
  const run = cliWall(args);
  if (!run.ok)
    return `| ${label} | – | < ${targetMs / 1000} s | not available yet (${run.stderr || "command failed"}) |`;
  const bytes = module === undefined ? 0 : statSync(module.path).size;
  const limit =
    module?.limitKb === undefined
      ? ""
      : bytes <= module.limitKb * 1024
        ? ` (≤ ${module.limitKb} KB ✓)`
        : ` (> ${module.limitKb} KB ✗)`;
  const size = module === undefined ? "" : `, module ${kb(bytes)}${limit}`;
  return `| ${label} | ${ms(run.ms)} | < ${targetMs / 1000} s | ${run.ms < targetMs ? "✓" : "✗"}${size} |`;
}

async function main(): Promise<void> {
  const at = process.argv.indexOf("--max");
  const max = at >= 0 ? Number(process.argv[at + 1]) : Infinity;
  const codegen = await loadCodegen();
  console.log("## Build time and module size — generated constitutions\n");
  console.log("| N (forbid rules) | articles | source | check | plan | IR (JSON) | codegen | module | build total |");
  console.log("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
  for (const n of SIZES.filter((s) => s <= max)) console.log(measureSize(n, codegen));

  const scratch = mkdtempSync(join(tmpdir(), "musgo-bench-"));
  try {
    const dir1000 = join(scratch, "g1000");
    writeGeneratedConstitution(1_000, dir1000);
    console.log("\n## CLI wall time (process start included)\n");
    console.log("| command | wall | target | result |");
    console.log("|---|---:|---:|---|");
    console.log(cliRow("`musgo check` 1,000 articles", ["check", dir1000], 1_000));
    console.log(
      cliRow("`musgo build` reference constitution", ["build", REFERENCE_DIR, "-o", join(scratch, "ref.wasm")], 1_500, {
        path: join(scratch, "ref.wasm"),
        limitKb: 64,
      }),
    );
    console.log(
      cliRow("`musgo build` 1,000 articles", ["build", dir1000, "-o", join(scratch, "g1000.wasm")], 5_000, {
        path: join(scratch, "g1000.wasm"),
      }),
    );
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

await main();
