// The compiler driver: a table of stages, each a function from the previous stage's product to its
// own, all reporting to one DiagnosticSink.
//
//   sources ──parse──▶ ASTs ──check──▶ checked constitution ──plan──▶ IR ──emit──▶ .wasm bytes
//
// A stage runs only when the ones before it reported no errors, so users see root causes rather
// than cascades. Only parse and check report diagnostics: plan and emit work on a constitution the
// checker accepted, and a failure there is an InternalCompilerError (a musgo bug), tagged with the
// stage it escaped from. `musgo build --stop-after/--dump-after STAGE` runs a prefix of the table.

import type { FileNode } from "./ast/nodes.js";
import { checkConstitution } from "./check/index.js";
import type { CheckedConstitution } from "./check/model.js";
import { compileToWasm } from "./codegen/index.js";
import { InternalCompilerError } from "./diagnostics/internal-error.js";
import { DiagnosticSink } from "./diagnostics/sink.js";
import type { SourceFile } from "./diagnostics/span.js";
import type { IrPolicy } from "./ir/ir.js";
import { planConstitution } from "./lower/planner.js";
import { readSources, type ReadOptions } from "./sources.js";
import { parseFile } from "./syntax/index.js";

/** The stages in order, named as `--stop-after` and `--dump-after` take them. */
export const STAGE_NAMES = ["parse", "check", "plan", "emit"] as const;
export type StageName = (typeof STAGE_NAMES)[number];

export function isStageName(name: string): name is StageName {
  return (STAGE_NAMES as readonly string[]).includes(name);
}

/** The parse stage's product: every file's AST (with errors, what survived recovery), in path order. */
export interface ParsedSources {
  sources: readonly SourceFile[];
  files: FileNode[];
}

/** What each stage takes. */
export interface StageInputs {
  parse: readonly SourceFile[];
  check: ParsedSources;
  plan: CheckedConstitution;
  emit: IrPolicy;
}

/** What each stage makes; check makes null when the constitution has errors. */
export interface StageProducts {
  parse: ParsedSources;
  check: CheckedConstitution | null;
  plan: IrPolicy;
  emit: Uint8Array;
}

type Stage<S extends StageName> = (input: StageInputs[S], sink: DiagnosticSink) => StageProducts[S];

const STAGES: { [S in StageName]: Stage<S> } = {
  parse(sources, sink) {
    const parsed = sources.map((source) => parseFile(source));
    for (const p of parsed) sink.reportAll(p.diagnostics);
    return { sources, files: parsed.map((p) => p.file) };
  },
  check({ sources, files }, sink) {
    const checked = checkConstitution(files, [...sources]);
    sink.reportAll(checked.diagnostics);
    return checked.constitution;
  },
  plan: (constitution) => planConstitution(constitution),
  emit: (policy) => compileToWasm(policy),
};

export interface DriverOptions {
  /** The last stage to run (default: emit). */
  stopAfter?: StageName;
  /** Where diagnostics go (default: a new sink with the default error limit). */
  sink?: DiagnosticSink;
  /** Called with each product as soon as its stage returns, before a later stage can annotate it. */
  onProduct?: <S extends StageName>(stage: S, product: StageProducts[S]) => void;
}

export interface DriverRun {
  /** The product of every stage that ran. */
  products: Partial<StageProducts>;
  sink: DiagnosticSink;
}

/** Runs the stages from `from` through `options.stopAfter`, stopping early at the first with errors. */
export function runStages<S extends StageName>(from: S, input: StageInputs[S], options: DriverOptions = {}): DriverRun {
  const sink = options.sink ?? new DiagnosticSink();
  const first = STAGE_NAMES.indexOf(from);
  const last = STAGE_NAMES.indexOf(options.stopAfter ?? "emit");
  if (last < first) throw new RangeError(`cannot stop after \`${STAGE_NAMES[last]}\` when starting at \`${from}\``);
  const products: Partial<StageProducts> = {};
  let next: unknown = input;
  for (const stage of STAGE_NAMES.slice(first, last + 1)) {
    const product = runStage(stage, next, sink);
    (products as Record<StageName, unknown>)[stage] = product;
    options.onProduct?.(stage, product as StageProducts[typeof stage]);
    if (product === null || sink.hasErrors()) break;
    next = product;
  }
  return { products, sink };
}

function runStage(stage: StageName, input: unknown, sink: DiagnosticSink): unknown {
  try {
    return (STAGES[stage] as Stage<StageName>)(input as never, sink);
  } catch (e) {
    if (e instanceof InternalCompilerError) e.stage ??= stage;
    throw e;
  }
}

export interface PathRun extends DriverRun {
  /** Every source read (diagnostics are rendered against them). */
  sources: SourceFile[];
}

/** Reads the sources at `paths` (problems go to the sink too), then runs the stages from parse. */
export async function runPaths(paths: readonly string[], options: ReadOptions & DriverOptions): Promise<PathRun> {
  const sink = options.sink ?? new DiagnosticSink();
  const sources = await readSources(paths, options, sink);
  if (sink.hasErrors()) return { products: {}, sink, sources };
  return { ...runStages("parse", sources, { ...options, sink }), sources };
}
