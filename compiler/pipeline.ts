// The front end as the CLI's check, test and eval use it: sources → ASTs → checked constitution,
// two thin calls into the driver (compiler/driver.ts) that stop after `check`.

import type { FileNode } from "./ast/nodes.js";
import type { CheckedConstitution } from "./check/model.js";
import type { Diagnostic } from "./diagnostics/diagnostic.js";
import { DiagnosticSink } from "./diagnostics/sink.js";
import type { SourceFile } from "./diagnostics/span.js";
import { runPaths, runStages, type DriverRun } from "./driver.js";
import type { ReadOptions } from "./sources.js";

export interface CompileResult {
  constitution: CheckedConstitution | null;
  files: FileNode[];
  diagnostics: Diagnostic[];
}

function compileResult({ products, sink }: DriverRun): CompileResult {
  return { constitution: products.check ?? null, files: products.parse?.files ?? [], diagnostics: sink.diagnostics() };
}

/** Parses and checks in-memory sources. */
export function compileSources(sources: readonly SourceFile[], sink = new DiagnosticSink()): CompileResult {
  return compileResult(runStages("parse", sources, { stopAfter: "check", sink }));
}

/** Reads, parses and checks the constitution at `paths`. */
export async function compilePaths(
  paths: readonly string[],
  options: ReadOptions,
): Promise<CompileResult & { sources: SourceFile[] }> {
  const run = await runPaths(paths, { ...options, stopAfter: "check" });
  return { ...compileResult(run), sources: run.sources };
}
