// Turns what a host was given into a DecisionEngine: constitution sources are compiled and run by the
// WASM module (default) or the reference interpreter; a built `.wasm` module is loaded as it is.
// Compiler and runtime are imported only when needed: loading a module never loads the compiler.

import * as nodeFs from "node:fs/promises";
import { resolve } from "node:path";
import type { DecisionEngine } from "../contract/engine.js";
import type { CheckedConstitution } from "../compiler/check/model.js";
import type { Diagnostic } from "../compiler/diagnostics/diagnostic.js";
import type { SourceFile } from "../compiler/diagnostics/span.js";
import type { SourceFileSystem, SourceRoot } from "../compiler/sources.js";
import { GuardSetupError } from "./errors.js";
import { fileErrorReason } from "../contract/file-errors.js";

export type EngineKind = "interp" | "wasm";
export const ENGINE_KINDS: readonly EngineKind[] = ["wasm", "interp"];

/** The constitution's sources have errors; `diagnostics` says which (hosts render them). */
export class ConstitutionError extends Error {
  override readonly name = "ConstitutionError";
  constructor(
    readonly diagnostics: readonly Diagnostic[],
    readonly sources: readonly SourceFile[],
  ) {
    super(`the constitution has ${diagnostics.length} diagnostic(s)`);
  }
}

export interface EngineSource {
  /** Constitution sources (files or folders), or one built `.wasm` file. */
  paths?: readonly string[];
  /** A built module's bytes. */
  module?: Uint8Array;
  /** Which engine judges sources (default `wasm`); a built module is always judged by the module. */
  engine?: EngineKind;
  /** Keep `*_test.constitution` files (policy tests need their test blocks). */
  includeTests?: boolean;
  /** Relative paths are resolved against it (default: the process's working directory). */
  cwd?: string;
  /** Where sources and modules are read from (default: node:fs). */
  fs?: SourceFileSystem;
}

/** The file system and directory `source` reads from, defaulted to the process's. */
function sourceRoot(source: Pick<EngineSource, "cwd" | "fs">): SourceRoot {
  return { fs: source.fs ?? nodeFs, cwd: source.cwd ?? process.cwd() };
}

export function isModulePath(path: string): boolean {
  return path.endsWith(".wasm");
}

/** The engine for `source`: a module (bytes or one `.wasm` path) or compiled sources. */
export async function loadEngine(source: EngineSource): Promise<DecisionEngine> {
  if (source.module !== undefined) return loadModule(source.module, "the module");
  const paths = source.paths ?? [];
  const modules = paths.filter(isModulePath);
  if (modules.length > 0) {
    if (paths.length > 1) throw new GuardSetupError("give either one .wasm file or constitution sources, not both");
    if (source.engine === "interp") {
      throw new GuardSetupError("a built .wasm module is judged by the module: --engine interp needs the sources");
    }
    return loadModule(await readModuleFile(modules[0]!, sourceRoot(source)), `\`${modules[0]}\``);
  }
  const constitution = await compileOrThrow(paths, source.includeTests ?? false, sourceRoot(source));
  return engineFor(constitution, source.engine ?? "wasm");
}

async function readModuleFile(relative: string, root: SourceRoot): Promise<Uint8Array> {
  const path = resolve(root.cwd, relative);
  try {
    return await root.fs.readFile(path);
  } catch (e) {
    throw new GuardSetupError(`cannot read module \`${path}\`: ${fileErrorReason(e)}`);
  }
}

async function loadModule(bytes: Uint8Array, what: string): Promise<DecisionEngine> {
  const { loadConstitution } = await import("../runtime/index.js");
  try {
    return loadConstitution(bytes);
  } catch (e) {
    throw new GuardSetupError(`${what} is not a musgo module: ${(e as Error).message}`);
  }
}

/** An engine for a checked constitution; the WASM toolchain is imported only when asked for. */
export async function engineFor(constitution: CheckedConstitution, kind: EngineKind): Promise<DecisionEngine> {
  if (kind === "interp") {
    const { createInterpreterEngine } = await import("../compiler/interp/index.js");
    return createInterpreterEngine(constitution);
  }
  const [{ buildConstitution }, { loadConstitution }] = await Promise.all([
    import("../compiler/build.js"),
    import("../runtime/index.js"),
  ]);
  return loadConstitution(buildConstitution(constitution).wasm);
}

/** Compiles the sources at `paths`; throws a ConstitutionError carrying every diagnostic when they have errors. */
export async function compileOrThrow(
  paths: readonly string[],
  includeTests: boolean,
  root: SourceRoot = sourceRoot({}),
): Promise<CheckedConstitution> {
  const [{ compilePaths }, { hasErrors }] = await Promise.all([
    import("../compiler/pipeline.js"),
    import("../compiler/diagnostics/diagnostic.js"),
  ]);
  const compiled = await compilePaths(paths, { ...root, includeTests });
  if (compiled.constitution === null || hasErrors(compiled.diagnostics)) {
    throw new ConstitutionError(compiled.diagnostics, compiled.sources);
  }
  return compiled.constitution;
}
