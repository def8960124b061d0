// The front-end pipeline as named stages: read → parse → check. Every stage returns diagnostics
// instead of throwing; a later stage runs only when the earlier ones reported no errors, so users
// see root causes rather than cascades.

import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { CONSTITUTION_EXTENSION, isTestFile } from "./source-kinds.js";
import type { FileNode } from "./ast/nodes.js";
import { error, hasErrors, sortDiagnostics, type Diagnostic } from "./diagnostics/diagnostic.js";
import type { SourceFile, Span } from "./diagnostics/span.js";
import { decodeSource } from "./diagnostics/source-text.js";
import { parseFile } from "./syntax/index.js";
import { checkConstitution } from "./check/index.js";
import type { CheckedConstitution } from "./check/model.js";


export interface ReadOptions {
  /** Keep `*_test.constitution` files (check and test do; eval and build never compile them). */
  includeTests: boolean;
}

export interface ReadResult {
  sources: SourceFile[];
  diagnostics: Diagnostic[];
}

function fileSpan(file: string): Span {
  const at = { offset: 0, line: 1, column: 1 };
  return { file, start: at, end: at };
}

/** Expands directories (their `.constitution` files, not recursive) and reads every file, sorted by path. */
export async function readSources(paths: readonly string[], options: ReadOptions): Promise<ReadResult> {
  const diagnostics: Diagnostic[] = [];
  const files = new Set<string>();
  for (const path of paths) {
    try {
      if ((await stat(path)).isDirectory()) {
        for (const name of await readdir(path)) if (name.endsWith(CONSTITUTION_EXTENSION)) files.add(join(path, name));
      } else files.add(path);
    } catch (e) {
      diagnostics.push(error("MG4001", fileSpan(path), `cannot read \`${path}\``, (e as NodeJS.ErrnoException).code === "ENOENT" ? "check the path: no such file or directory" : String((e as Error).message)));
    }
  }
  const wanted = [...files].filter((f) => options.includeTests || !isTestFile(f)).sort();
  const sources: SourceFile[] = [];
  for (const path of wanted) {
    try {
      const decoded = decodeSource(await readFile(path), path);
      if (decoded.text !== null) sources.push({ path, text: decoded.text });
      if (decoded.diagnostic !== null) diagnostics.push(decoded.diagnostic);
    } catch (e) {
      diagnostics.push(error("MG4001", fileSpan(path), `cannot read \`${path}\``, String((e as Error).message)));
    }
  }
  if (sources.length === 0 && diagnostics.length === 0) {
    const where = paths.join(", ") || ".";
    diagnostics.push(error("MG4002", fileSpan(where), `no constitution files found in \`${where}\``, "constitutions are files ending in `.constitution`"));
  }
  return { sources, diagnostics };
}

export interface CompileResult {
  constitution: CheckedConstitution | null;
  files: FileNode[];
  diagnostics: Diagnostic[];
}

/** Parses and checks in-memory sources. */
export function compileSources(sources: readonly SourceFile[]): CompileResult {
  const parsed = sources.map((source) => parseFile(source));
  const files = parsed.map((p) => p.file);
  const syntax = parsed.flatMap((p) => p.diagnostics);
  if (hasErrors(syntax)) return { constitution: null, files, diagnostics: sortDiagnostics(syntax) };
  const checked = checkConstitution(files, [...sources]);
  return { constitution: checked.constitution, files, diagnostics: sortDiagnostics([...syntax, ...checked.diagnostics]) };
}

/** Reads, parses and checks the constitution at `paths`. */
export async function compilePaths(paths: readonly string[], options: ReadOptions): Promise<CompileResult & { sources: SourceFile[] }> {
  const read = await readSources(paths, options);
  if (hasErrors(read.diagnostics)) return { constitution: null, files: [], diagnostics: read.diagnostics, sources: read.sources };
  return { ...compileSources(read.sources), sources: read.sources };
}
