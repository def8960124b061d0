// Sources → checked constitution → IR → WebAssembly: what `musgo build` runs, as thin calls into
// the driver (compiler/driver.ts). Every stage before codegen reports diagnostics; plan and emit
// failures are internal errors.

import type { CheckedConstitution } from "./check/model.js";
import type { Diagnostic } from "./diagnostics/diagnostic.js";
import { InternalCompilerError } from "./diagnostics/internal-error.js";
import type { SourceFile } from "./diagnostics/span.js";
import type { IrPolicy } from "./ir/ir.js";
import { runPaths, runStages, type DriverRun } from "./driver.js";
import type { SourceRoot } from "./sources.js";

export interface CompiledModule {
  policy: IrPolicy;
  wasm: Uint8Array;
}

function compiledModule({ products }: DriverRun): CompiledModule {
  const { plan, emit } = products;
  if (plan === undefined || emit === undefined) throw new InternalCompilerError("no module was emitted");
  return { policy: plan, wasm: emit };
}

/** Plans and compiles a checked constitution. */
export function buildConstitution(constitution: CheckedConstitution): CompiledModule {
  return compiledModule(runStages("plan", constitution));
}

export type BuildResult =
  | ({ ok: true; diagnostics: Diagnostic[]; sources: SourceFile[] } & CompiledModule)
  | { ok: false; diagnostics: Diagnostic[]; sources: SourceFile[] };

/** Reads, checks and compiles the constitution at `paths` (test files are never compiled in). */
export async function buildPaths(paths: readonly string[], root: SourceRoot): Promise<BuildResult> {
  const run = await runPaths(paths, { ...root, includeTests: false });
  const diagnostics = run.sink.diagnostics();
  if (run.sink.hasErrors()) return { ok: false, diagnostics, sources: run.sources };
  return { ok: true, diagnostics, sources: run.sources, ...compiledModule(run) };
}
