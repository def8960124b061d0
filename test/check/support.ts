// Helpers for checker tests: compile in-memory sources through the real parser and checker.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { compileSources, type CompileResult } from "../../compiler/pipeline.js";
import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.js";

export const BROKEN_DIR = "test/fixtures/broken";

/** A small valid constitution to extend in tests. */
export const PRELUDE = `constitution t version "1.0.0"
enum Clearance { public < internal < secret }
enum Kind { human, bot }
schema {
  agent: { id: string, kind: Kind, clearance: Clearance, tags: set<string> },
  action: { type: string, target?: string, amount?: number },
  output?: { text: string, meta?: { lang: string } },
}
`;

export function compile(files: Record<string, string>): CompileResult {
  return compileSources(Object.entries(files).map(([path, text]) => ({ path, text })));
}

/** Compiles PRELUDE + `body` as one file named `t.constitution`. */
export function diagnosticsOf(body: string): Diagnostic[] {
  return compile({ "t.constitution": PRELUDE + body }).diagnostics;
}

export function readFixture(dir: string, name: string): { path: string; text: string } {
  const path = join(dir, name);
  return { path, text: readFileSync(path, "utf8") };
}

/** `MG2001 12:9` for compact assertions. */
export function brief(d: Diagnostic): string {
  return `${d.code} ${d.span.start.line}:${d.span.start.column}`;
}
