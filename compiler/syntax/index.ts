// The syntax stage: source text → FileNode + diagnostics (lexer.ts → parser.ts → to-ast.ts).
// It never throws: a bug in this stage becomes an MG9001 diagnostic at this boundary.

import type { FileNode } from "../ast/nodes.js";
import { error, sortDiagnostics, type Diagnostic } from "../diagnostics/diagnostic.js";
import { LineMap, type SourceFile } from "../diagnostics/span.js";
import { CstReader } from "./cst-reader.js";
import { lex } from "./lexer.js";
import { parseTokens } from "./parser.js";
import { syntaxErrorDiagnostic } from "./syntax-errors.js";
import { buildFile } from "./to-ast.js";

export interface ParseResult {
  /** With errors, it holds the declarations that survived error recovery. */
  file: FileNode;
  diagnostics: Diagnostic[];
}

export function parseFile(source: SourceFile): ParseResult {
  const lines = new LineMap(source.path, source.text);
  try {
    const lexed = lex(source.text, lines);
    const parsed = parseTokens(lexed.tokens);
    const syntax = parsed.errors.map((e) => syntaxErrorDiagnostic(e.token, e.message, lines, source.text.length));
    const reader = new CstReader(lines);
    const file = buildFile(parsed.cst, source.path, source.text.length, lexed.comments, reader);
    const lexical = withoutSuperseded(lexed.diagnostics, reader.diagnostics);
    return { file, diagnostics: sortDiagnostics([...lexical, ...syntax, ...reader.diagnostics]) };
  } catch (e) {
    const bug = error(
      "MG9001",
      lines.span(0, 0),
      "internal compiler error while parsing",
      `please report this bug: ${e instanceof Error ? e.message : String(e)}`,
    );
    return {
      file: {
        kind: "File",
        path: source.path,
        declarations: [],
        comments: [],
        span: lines.span(0, source.text.length),
      },
      diagnostics: [bug],
    };
  }
}

/** `article 007` is one mistake: the invalid article number (MG1020) replaces the malformed number (MG1004). */
function withoutSuperseded(lexical: Diagnostic[], fromTree: Diagnostic[]): Diagnostic[] {
  const articleNumbers = new Set(fromTree.filter((d) => d.code === "MG1020").map((d) => d.span.start.offset));
  return lexical.filter((d) => !(d.code === "MG1004" && articleNumbers.has(d.span.start.offset)));
}
