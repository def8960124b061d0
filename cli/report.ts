// How commands print diagnostics: rendered text on stderr, or a JSON array on stdout.

import type { Diagnostic } from "../compiler/diagnostics/diagnostic.js";
import type { SourceFile } from "../compiler/diagnostics/span.js";
import { diagnosticsToJson, renderDiagnostics } from "../compiler/diagnostics/render.js";
import { UsageError, type CliIO } from "./io.js";

export type OutputFormat = "text" | "json";

export function parseFormat(value: string | undefined): OutputFormat {
  if (value === undefined || value === "text") return "text";
  if (value === "json") return "json";
  throw new UsageError(`--format must be \`text\` or \`json\`, got \`${value}\``);
}

export function reportDiagnostics(
  diagnostics: readonly Diagnostic[],
  sources: readonly SourceFile[],
  format: OutputFormat,
  io: CliIO,
): void {
  if (format === "json") {
    io.stdout(`${diagnosticsToJson(diagnostics)}\n`);
    return;
  }
  const text = new Map(sources.map((s) => [s.path, s.text]));
  io.stderr(renderDiagnostics(diagnostics, (path) => text.get(path)));
}

/** Text form of diagnostics for embedding in an error message (used when loading an engine). */
export function diagnosticsText(diagnostics: readonly Diagnostic[], sources: readonly SourceFile[]): string {
  const text = new Map(sources.map((s) => [s.path, s.text]));
  return renderDiagnostics(diagnostics, (path) => text.get(path)).trimEnd();
}
