// Renders diagnostics like a modern compiler:
//
//   constitution/a.constitution:12:9: error[MG2001]: unknown field `clearence` on `agent`
//      |
//   12 |     and agent.clearence < secret
//      |               ^^^^^^^^^
//      = hint: did you mean `clearance`?

import type { Diagnostic } from "./diagnostic.js";

/** Looks up the text of a file by path (the CLI passes the sources it read). */
export type SourceLookup = (path: string) => string | undefined;

export function renderDiagnostic(d: Diagnostic, source: SourceLookup): string {
  const { file, start } = d.span;
  const header = `${file}:${start.line}:${start.column}: ${d.severity}[${d.code}]: ${d.message}`;
  const lines = [header, ...renderSnippet(d, source(file))];
  if (d.hint !== undefined) lines.push(`${" ".repeat(gutterWidth(start.line))} = hint: ${d.hint}`);
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
  const line = sourceLine.replace(/\r$/, "").replace(/\t/g, " ");
  const pad = " ".repeat(gutterWidth(start.line));
  const lastColumn = end.line === start.line ? Math.max(end.column, start.column + 1) : line.length + 1;
  const width = Math.max(1, Math.min(lastColumn, line.length + 1) - start.column);
  return [
    `${pad}|`,
    `${start.line} | ${line}`,
    `${pad}| ${" ".repeat(Math.max(0, start.column - 1))}${"^".repeat(width)}`,
  ];
}

export function renderDiagnostics(diagnostics: readonly Diagnostic[], source: SourceLookup): string {
  if (diagnostics.length === 0) return "";
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const warnings = diagnostics.length - errors;
  const summary = `${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}`;
  return `${diagnostics.map((d) => renderDiagnostic(d, source)).join("\n\n")}\n\n${summary}\n`;
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
