// Renders diagnostics like a modern compiler:
//
//   constitution/a.constitution:12:9: error[MG2001]: unknown field `clearence` on `agent`
//      |
//   12 |     and agent.clearence < secret
//      |               ^^^^^^^^^
//      = hint: did you mean `clearance`?
//
// Source text never reaches the terminal raw: control characters are shown as `\u001b` escapes.
// At most DIAGNOSTICS_SHOWN_PER_FILE diagnostics per file are shown, then a count of the rest.

import type { Diagnostic } from "./diagnostic.js";

export const DIAGNOSTICS_SHOWN_PER_FILE = 100;

/**
 * What must not reach a terminal raw: C0 controls except tab and line feed, DEL, C1 controls (0x9B
 * is a CSI), the line and paragraph separators, and the bidirectional controls ("Trojan Source").
 */
const UNSAFE_CHARACTERS =
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function escapeUnsafe(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`;
}

/** `text` with every unsafe character written as a `\uXXXX` escape. */
export function escapeControlCharacters(text: string): string {
  return text.replace(UNSAFE_CHARACTERS, escapeUnsafe);
}

/** Looks up the text of a file by path (the CLI passes the sources it read). */
export type SourceLookup = (path: string) => string | undefined;

export function renderDiagnostic(d: Diagnostic, source: SourceLookup): string {
  const { file, start } = d.span;
  const header = `${file}:${start.line}:${start.column}: ${d.severity}[${d.code}]: ${d.message}`;
  const lines = [escapeControlCharacters(header), ...renderSnippet(d, source(file))];
  if (d.hint !== undefined) {
    lines.push(`${" ".repeat(gutterWidth(start.line))} = hint: ${escapeControlCharacters(d.hint)}`);
  }
  return lines.join("\n");
}

function gutterWidth(line: number): number {
  return String(line).length + 1;
}

function renderSnippet(d: Diagnostic, text: string | undefined): string[] {
  if (text === undefined) return [];
  const { start, end } = d.span;
  const sourceLine = text.split("\n")[start.line - 1];
  if (sourceLine === undefined) return [];
  const line = sourceLine.replace(/\r$/, "");
  const shown = displayLine(line);
  const pad = " ".repeat(gutterWidth(start.line));
  const first = Math.min(start.column, line.length + 1);
  const lastColumn = end.line === start.line ? Math.max(end.column, first + 1) : line.length + 1;
  const last = Math.min(lastColumn, line.length + 1);
  const from = shown.columns[first - 1]!;
  const width = Math.max(1, shown.columns[last - 1]! - from);
  return [`${pad}|`, `${start.line} | ${shown.text}`, `${pad}| ${" ".repeat(from)}${"^".repeat(width)}`];
}

/**
 * A source line as shown: tabs become one space and unsafe characters escapes. `columns[i]` is
 * where the line's code unit `i` starts in the shown text (and `columns[length]` its end), so the
 * caret still lands under the right characters.
 */
function displayLine(line: string): { text: string; columns: number[] } {
  let text = "";
  const columns: number[] = [];
  for (const char of line) {
    for (let unit = 0; unit < char.length; unit++) columns.push(text.length);
    text += char === "\t" ? " " : escapeControlCharacters(char);
  }
  columns.push(text.length);
  return { text, columns };
}

export function renderDiagnostics(diagnostics: readonly Diagnostic[], source: SourceLookup): string {
  if (diagnostics.length === 0) return "";
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const warnings = diagnostics.length - errors;
  const summary = `${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}`;
  const { shown, notShown } = capPerFile(diagnostics, DIAGNOSTICS_SHOWN_PER_FILE);
  const notes = [...notShown].map(([file, count]) =>
    escapeControlCharacters(`… and ${count} more in ${file} (the first ${DIAGNOSTICS_SHOWN_PER_FILE} are shown)`),
  );
  return `${[...shown.map((d) => renderDiagnostic(d, source)), ...notes].join("\n\n")}\n\n${summary}\n`;
}

/**
 * The first `cap` diagnostics of each file, and how many of each file are left out. The sink's
 * MG4090 summary (compiler/diagnostics/sink.ts) already counts what it left out: it is always shown.
 */
export function capPerFile(
  diagnostics: readonly Diagnostic[],
  cap: number,
): { shown: Diagnostic[]; notShown: Map<string, number> } {
  const seen = new Map<string, number>();
  const notShown = new Map<string, number>();
  const shown: Diagnostic[] = [];
  for (const d of diagnostics) {
    if (d.code === "MG4090") {
      shown.push(d);
      continue;
    }
    const count = (seen.get(d.span.file) ?? 0) + 1;
    seen.set(d.span.file, count);
    if (count <= cap) shown.push(d);
    else notShown.set(d.span.file, (notShown.get(d.span.file) ?? 0) + 1);
  }
  return { shown, notShown };
}

/** The `--format json` form: one JSON array, spans with 1-based line/column. */
export function diagnosticsToJson(diagnostics: readonly Diagnostic[]): string {
  return JSON.stringify(
    diagnostics.map((d) => ({
      code: d.code,
      severity: d.severity,
      message: d.message,
      file: d.span.file,
      line: d.span.start.line,
      column: d.span.start.column,
      endLine: d.span.end.line,
      endColumn: d.span.end.column,
      hint: d.hint ?? null,
    })),
    null,
    2,
  );
}
