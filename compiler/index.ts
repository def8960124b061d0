// musgo and musgo/compiler: the library API of the compiler (docs/api.md). Sources are given as text
// (`{sources}`) or as files and folders to read (`{paths}`); every function reports diagnostics instead
// of throwing, except the `OrThrow` variant, which throws a CompileError carrying them.

import * as nodeFs from "node:fs/promises";
import { buildConstitution } from "./build.js";
import type { CheckedConstitution } from "./check/model.js";
import { hasErrors, type Diagnostic } from "./diagnostics/diagnostic.js";
import { diagnosticsToJson, renderDiagnostics } from "./diagnostics/render.js";
import type { SourceFile } from "./diagnostics/span.js";
import { formatSource } from "./format/index.js";
import { createInterpreterEngine } from "./interp/index.js";
import type { IrPolicy } from "./ir/ir.js";
import { compilePaths, compileSources } from "./pipeline.js";
import type { SourceFileSystem } from "./sources.js";
import type { DecisionEngine, Entrypoint } from "../contract/engine.js";
import type { RegistrationResult, Verdict } from "../contract/verdict.js";

export type { Diagnostic, Severity } from "./diagnostics/diagnostic.js";
export type { SourceFile, Span } from "./diagnostics/span.js";
export type { CheckedConstitution } from "./check/model.js";
export type { IrPolicy } from "./ir/ir.js";
export type { DecisionEngine, Entrypoint, LimitDeclaration } from "../contract/engine.js";
export type {
  Verdict,
  Violation,
  RegistrationResult,
  ConstitutionId,
  Remedy,
  Enforcement,
} from "../contract/verdict.js";
export { DECISION_ENTRYPOINT, REGISTRATION_ENTRYPOINT } from "../contract/engine.js";

/** In-memory sources, or files and folders (their `.constitution` files) to read. */
export type CompileInput = { sources: readonly SourceFile[] } | PathsInput;

/** Files and folders; relative ones are resolved against `cwd` (default: the process's directory). */
export interface PathsInput {
  paths: readonly string[];
  cwd?: string;
  /** Where files are read from (default: node:fs; the compiler itself never touches the disk). */
  fs?: SourceFileSystem;
}

export interface CheckOptions {
  /** Keep `*_test.constitution` files and their test blocks (default false). */
  includeTests?: boolean;
}

export interface CheckResult {
  /** null when the sources have errors. */
  constitution: CheckedConstitution | null;
  diagnostics: Diagnostic[];
  sources: SourceFile[];
}

export interface CompileResult extends CheckResult {
  /** The OPA ABI 1.3 WebAssembly module; null when the sources have errors. */
  module: Uint8Array | null;
  /** The planned IR the module was emitted from; null when the sources have errors. */
  ir: IrPolicy | null;
}

/** Parses and type-checks a constitution. */
export async function check(input: CompileInput, options: CheckOptions = {}): Promise<CheckResult> {
  if ("sources" in input) {
    const sources = [...input.sources];
    const { constitution, diagnostics } = compileSources(sources);
    return { constitution: hasErrors(diagnostics) ? null : constitution, diagnostics, sources };
  }
  const root = { fs: input.fs ?? nodeFs, cwd: input.cwd ?? process.cwd() };
  const includeTests = options.includeTests ?? false;
  const { constitution, diagnostics, sources } = await compilePaths(input.paths, { ...root, includeTests });
  return { constitution: hasErrors(diagnostics) ? null : constitution, diagnostics, sources };
}

/** Checks and compiles a constitution to a WebAssembly module (test files are never compiled in). */
export async function compile(input: CompileInput): Promise<CompileResult> {
  const checked = await check(input);
  if (checked.constitution === null) return { ...checked, module: null, ir: null };
  const built = buildConstitution(checked.constitution);
  return { ...checked, module: built.wasm, ir: built.policy };
}

/** A constitution's sources have errors; `diagnostics` holds every one, `message` them rendered. */
export class CompileError extends Error {
  override readonly name = "CompileError";
  constructor(
    readonly diagnostics: readonly Diagnostic[],
    readonly sources: readonly SourceFile[],
  ) {
    super(formatDiagnostics(diagnostics, sources).trimEnd());
  }
}

/** `compile`, throwing a CompileError when the sources have errors. */
export async function compileOrThrow(
  input: CompileInput,
): Promise<{ module: Uint8Array; ir: IrPolicy; diagnostics: Diagnostic[] }> {
  const result = await compile(input);
  if (result.module === null || result.ir === null) throw new CompileError(result.diagnostics, result.sources);
  return { module: result.module, ir: result.ir, diagnostics: result.diagnostics };
}

export interface FormatResult {
  /** The canonical text; null when the file has syntax errors (a broken file is never formatted). */
  text: string | null;
  diagnostics: Diagnostic[];
}

/** Formats one file's text in the canonical layout (docs/grammar.md). */
export function format(text: string, path = "<input>.constitution"): FormatResult {
  return formatSource({ path, text });
}

/** The reference interpreter as a DecisionEngine (the executable specification the module is tested against). */
export function interpreter(constitution: CheckedConstitution): DecisionEngine {
  return createInterpreterEngine(constitution);
}

/** Judges one input with the reference interpreter. */
export function interpret(
  constitution: CheckedConstitution,
  input: unknown,
  entrypoint?: Entrypoint,
): Verdict | RegistrationResult {
  const engine = createInterpreterEngine(constitution);
  return entrypoint === "constitution/registration" ? engine.register(input) : engine.decide(input);
}

/** Diagnostics as the CLI prints them: `file:line:col: severity[code]: message`, the excerpt and the hint. */
export function formatDiagnostics(diagnostics: readonly Diagnostic[], sources: readonly SourceFile[]): string {
  const text = new Map(sources.map((s) => [s.path, s.text]));
  return renderDiagnostics(diagnostics, (path) => text.get(path));
}

/** Diagnostics as the JSON array `musgo check --format json` prints. */
export function diagnosticsJson(diagnostics: readonly Diagnostic[]): string {
  return diagnosticsToJson(diagnostics);
}
