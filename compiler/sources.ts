// Finding and reading constitution sources. The compiler does no disk I/O of its own: the caller
// hands it a SourceFileSystem (the CLI's is node:fs/promises itself) and the directory that
// relative paths are resolved against. Paths keep the spelling the user gave them, so diagnostics
// say `constitution/a.constitution`, not an absolute path.

import { join, resolve } from "node:path";
import { error, type Diagnostic } from "./diagnostics/diagnostic.js";
import type { DiagnosticSink } from "./diagnostics/sink.js";
import { decodeSource } from "./diagnostics/source-text.js";
import type { SourceFile, Span } from "./diagnostics/span.js";
import { CONSTITUTION_EXTENSION, isTestFile } from "./source-kinds.js";

/** The three file operations the compiler needs; `node:fs/promises` satisfies it as it is. */
export interface SourceFileSystem {
  readFile(path: string): Promise<Uint8Array>;
  readdir(path: string): Promise<string[]>;
  stat(path: string): Promise<{ isDirectory(): boolean }>;
}

/** Where sources are read from: a file system and the directory relative paths start at. */
export interface SourceRoot {
  fs: SourceFileSystem;
  cwd: string;
}

export interface ReadOptions extends SourceRoot {
  /** Keep `*_test.constitution` files (check and test do; eval and build never compile them). */
  includeTests: boolean;
}

function fileSpan(file: string): Span {
  const at = { offset: 0, line: 1, column: 1 };
  return { file, start: at, end: at };
}

function unreadable(path: string, e: unknown): Diagnostic {
  const missing = (e as NodeJS.ErrnoException).code === "ENOENT";
  const hint = missing ? "check the path: no such file or directory" : String((e as Error).message);
  return error("MG4001", fileSpan(path), `cannot read \`${path}\``, hint);
}

/**
 * Reads one file as a source. Problems go to `sink`: an unreadable or binary file yields null; a
 * file with malformed UTF-8 is reported and still returned (its excerpt shows where).
 */
export async function readSourceFile(path: string, root: SourceRoot, sink: DiagnosticSink): Promise<SourceFile | null> {
  let bytes: Uint8Array;
  try {
    bytes = await root.fs.readFile(resolve(root.cwd, path));
  } catch (e) {
    sink.report(unreadable(path, e));
    return null;
  }
  const decoded = decodeSource(bytes, path);
  if (decoded.diagnostic !== null) sink.report(decoded.diagnostic);
  return decoded.text === null ? null : { path, text: decoded.text };
}

/** Directories become their `.constitution` files (not recursive); everything else is kept as given. */
async function expandPaths(paths: readonly string[], root: SourceRoot, sink: DiagnosticSink): Promise<Set<string>> {
  const files = new Set<string>();
  for (const path of paths) {
    try {
      if (!(await root.fs.stat(resolve(root.cwd, path))).isDirectory()) {
        files.add(path);
        continue;
      }
      for (const name of await root.fs.readdir(resolve(root.cwd, path))) {
        if (name.endsWith(CONSTITUTION_EXTENSION)) files.add(join(path, name));
      }
    } catch (e) {
      sink.report(unreadable(path, e));
    }
  }
  return files;
}

/** Expands directories and reads every file, sorted by path; problems go to `sink`. */
export async function readSources(
  paths: readonly string[],
  options: ReadOptions,
  sink: DiagnosticSink,
): Promise<SourceFile[]> {
  const expanded = await expandPaths(paths, options, sink);
  const wanted = [...expanded].filter((f) => options.includeTests || !isTestFile(f)).sort();
  const sources: SourceFile[] = [];
  for (const path of wanted) {
    const source = await readSourceFile(path, options, sink);
    if (source !== null) sources.push(source);
  }
  if (sources.length === 0 && !sink.hasErrors()) {
    const where = paths.join(", ") || ".";
    const hint = "constitutions are files ending in `.constitution`";
    sink.report(error("MG4002", fileSpan(where), `no constitution files found in \`${where}\``, hint));
  }
  return sources;
}
