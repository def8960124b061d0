// The formatter: FileNode → canonical text (layout rules in docs/grammar.md). It prints from the
// AST, re-attaching the file's comments by position, so every comment survives a reformat.

import type { Declaration, FileNode } from "../ast/nodes.js";
import { hasErrors, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { SourceFile } from "../diagnostics/span.js";
import { parseFile } from "../syntax/index.js";
import { placeComments } from "./comments.js";
import { DeclarationPrinter } from "./declarations.js";
import { printBlock } from "./layout.js";

/**
 * Declarations are separated by one blank line, except within a run of `let`s or of `enum`s,
 * which keeps the source's choice (so related constants can stay together).
 */
function separateDeclarations(previous: Declaration, next: Declaration): boolean | undefined {
  const groupable = previous.kind === next.kind && (next.kind === "Let" || next.kind === "Enum");
  return groupable ? undefined : true;
}

export function formatFile(file: FileNode): string {
  const placement = placeComments(file);
  const printer = new DeclarationPrinter(placement);
  const lines = printBlock(
    { items: file.declarations, block: file, indent: "", print: printer.declaration, separate: separateDeclarations },
    placement,
  );
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}

export interface FormatResult {
  /** null when the file has syntax errors: a broken file is never formatted. */
  text: string | null;
  diagnostics: Diagnostic[];
}

export function formatSource(source: SourceFile): FormatResult {
  const { file, diagnostics } = parseFile(source);
  return { text: hasErrors(diagnostics) ? null : formatFile(file), diagnostics };
}
