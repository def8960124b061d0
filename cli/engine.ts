// Turns the paths a command was given into a DecisionEngine: sources are compiled and run by the
// WASM module (default) or the reference interpreter; a `.wasm` file is loaded as it is.

import { readFile } from "node:fs/promises";
import { hasErrors } from "../compiler/diagnostics/diagnostic.js";
import { compilePaths } from "../compiler/pipeline.js";
import type { CheckedConstitution } from "../compiler/check/model.js";
import { createInterpreterEngine } from "../compiler/interp/index.js";
import type { DecisionEngine } from "../contract/engine.js";
import { UsageError, UserError } from "./io.js";
import { diagnosticsText } from "./report.js";

export type EngineKind = "interp" | "wasm";

export function parseEngineKind(value: string | undefined): EngineKind {
  if (value === undefined) return "wasm";
  if (value === "interp" || value === "wasm") return value;
  throw new UsageError(`--engine must be \`wasm\` or \`interp\`, got \`${value}\``);
}

export interface EngineOptions {
  engine: EngineKind;
  /** Keep `*_test.constitution` files (musgo test needs their test blocks). */
  includeTests?: boolean;
}

/** A compiled `.wasm` file, loaded through the Node fast path. */
async function loadWasmFile(path: string): Promise<DecisionEngine> {
  const { loadConstitution } = await import("../runtime/index.js");
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw new UserError(`cannot read \`${path}\`: ${(e as Error).message}`);
  }
  try {
    return loadConstitution(bytes);
  } catch (e) {
    throw new UserError(`\`${path}\` is not a musgo module: ${(e as Error).message}`);
  }
}

/** An engine for a checked constitution; the WASM toolchain is imported only when asked for. */
export async function engineFor(constitution: CheckedConstitution, kind: EngineKind): Promise<DecisionEngine> {
  if (kind === "interp") return createInterpreterEngine(constitution);
  const [{ buildConstitution }, { loadConstitution }] = await Promise.all([import("../compiler/build.js"), import("../runtime/index.js")]);
  return loadConstitution(buildConstitution(constitution).wasm);
}

/** Compiles the sources at `paths`; throws a UserError carrying every diagnostic when they have errors. */
export async function compileOrFail(paths: readonly string[], includeTests: boolean): Promise<CheckedConstitution> {
  const compiled = await compilePaths(paths, { includeTests });
  if (compiled.constitution === null || hasErrors(compiled.diagnostics)) {
    throw new UserError(`the constitution has errors:\n${diagnosticsText(compiled.diagnostics, compiled.sources)}`);
  }
  return compiled.constitution;
}

export async function loadEngine(paths: readonly string[], options: EngineOptions): Promise<DecisionEngine> {
  const wasm = paths.filter((p) => p.endsWith(".wasm"));
  if (wasm.length > 0) {
    if (paths.length > 1) throw new UsageError("give either one .wasm file or constitution sources, not both");
    return loadWasmFile(wasm[0]!);
  }
  return engineFor(await compileOrFail(paths, options.includeTests ?? false), options.engine);
}
