// The `--engine` flag and the paths a command was given, mapped onto the library's engine loader
// (guard/engines.ts); its user-facing errors become CLI errors here.

import type { DecisionEngine } from "../contract/engine.js";
import { ENGINE_KINDS, isModulePath, loadEngine as loadLibraryEngine, type EngineKind } from "../guard/engines.js";
import { UsageError, type CliIO } from "./io.js";

export type { EngineKind } from "../guard/engines.js";

export function parseEngineKind(value: string | undefined): EngineKind {
  if (value === undefined) return "wasm";
  if ((ENGINE_KINDS as readonly string[]).includes(value)) return value as EngineKind;
  throw new UsageError(`--engine must be \`wasm\` or \`interp\`, got \`${value}\``);
}

/** Rejects `--engine interp` for a built module up front: only the module can judge a module. */
export function checkEngineForPaths(paths: readonly string[], engine: string | undefined): void {
  if (engine === "interp" && paths.some(isModulePath)) {
    throw new UsageError(
      "--engine interp needs constitution sources: a built .wasm module is judged by the module itself",
    );
  }
}

export interface EngineOptions {
  engine: EngineKind;
  /** Keep `*_test.constitution` files (musgo test needs their test blocks). */
  includeTests?: boolean;
}

export async function loadEngine(
  paths: readonly string[],
  options: EngineOptions,
  io?: CliIO,
): Promise<DecisionEngine> {
  if (options.engine === "interp") checkEngineForPaths(paths, "interp");
  return loadLibraryEngine({
    paths,
    engine: options.engine,
    includeTests: options.includeTests ?? false,
    ...(io === undefined ? {} : { cwd: io.cwd, fs: io.fs }),
  });
}
