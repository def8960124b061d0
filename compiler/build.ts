// Sources → checked constitution → IR → WebAssembly: what `musgo build` runs. Every stage before
// codegen reports diagnostics; codegen failures are internal errors.

import type { CheckedConstitution } from "./check/model.js";
import { hasErrors, type Diagnostic } from "./diagnostics/diagnostic.js";
import type { SourceFile } from "./diagnostics/span.js";
import type { IrPolicy } from "./ir/ir.js";
import { planConstitution } from "./lower/planner.js";
import { compilePaths } from "./pipeline.js";
import { compileToWasm } from "./codegen/index.js";

export interface CompiledModule {
  policy: IrPolicy;
  wasm: Uint8Array;
}

/** Plans and compiles a checked constitution. */
export function buildConstitution(constitution: CheckedConstitution): CompiledModule {
  const policy = planConstitution(constitution);
  return { policy, wasm: compileToWasm(policy) };
}

export type BuildResult =
  | ({ ok: true; diagnostics: Diagnostic[]; sources: SourceFile[] } & CompiledModule)
  | { ok: false; diagnostics: Diagnostic[]; sources: SourceFile[] };

/** Reads, checks and compiles the constitution at `paths` (test files are never compiled in). */
export async function buildPaths(paths: readonly string[]): Promise<BuildResult> {
  const compiled = await compilePaths(paths, { includeTests: false });
  if (compiled.constitution === null || hasErrors(compiled.diagnostics)) {
    return { ok: false, diagnostics: compiled.diagnostics, sources: compiled.sources };
  }
  return { ok: true, diagnostics: compiled.diagnostics, sources: compiled.sources, ...buildConstitution(compiled.constitution) };
}
