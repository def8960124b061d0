// Stage 1 of the front end: text → tokens + comments. Every lexical problem becomes a diagnostic;
// malformed literals still yield a token so the parser can carry on without cascading errors.

import type { IToken } from "chevrotain";
import { Lexer } from "./chevrotain.js";
import type { Comment } from "../ast/nodes.js";
import { error, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { LineMap } from "../diagnostics/span.js";
import { decodeString, isPlainString } from "./string-literal.js";
import { allTokens, BlockComment, NumberLiteral, StringLiteral } from "./tokens.js";

const lexer = new Lexer(allTokens, { positionTracking: "full", ensureOptimizations: true });

const JSON_NUMBER = /^(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

export interface LexResult {
  tokens: IToken[];
  comments: Comment[];
  diagnostics: Diagnostic[];
}

export function lex(text: string, lines: LineMap): LexResult {
  const result = lexer.tokenize(text);
  const diagnostics: Diagnostic[] = result.errors.map((e) => unexpectedCharacter(text, e.offset, lines));
  for (const token of result.tokens) {
    const problem = literalProblem(token, lines);
    if (problem) diagnostics.push(problem);
  }
  const commentTokens = result.groups["comments"] ?? [];
  for (const token of commentTokens) {
    if (token.tokenType === BlockComment && !token.image.endsWith("*/")) {
      diagnostics.push(
        error(
          "MG1003",
          lines.span(token.startOffset, token.startOffset + 2),
          "unterminated block comment",
          "close it with `*/`; block comments do not nest",
        ),
      );
    }
  }
  const comments: Comment[] = commentTokens.map((t) => ({
    kind: "Comment",
    text: t.image,
    span: lines.span(t.startOffset, t.startOffset + t.image.length),
  }));
  return { tokens: result.tokens, comments, diagnostics };
}

function unexpectedCharacter(text: string, offset: number, lines: LineMap): Diagnostic {
  const char = String.fromCodePoint(text.codePointAt(offset) ?? 0);
  const shown = char.trim() === "" ? `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}` : char;
  return error(
    "MG1001",
    lines.span(offset, offset + char.length),
    `unexpected character \`${shown}\``,
    "identifiers are ASCII letters, digits and `_`; other text belongs in a string or a comment",
  );
}

function literalProblem(token: IToken, lines: LineMap): Diagnostic | undefined {
  if (token.tokenType === StringLiteral) {
    if (isPlainString(token.image)) return undefined;
    const problem = decodeString(token.image).problem;
    if (!problem) return undefined;
    const start = token.startOffset + problem.offset;
    return error("MG1002", lines.span(start, start + problem.length), problem.message, problem.hint);
  }
  if (token.tokenType === NumberLiteral && !JSON_NUMBER.test(token.image)) {
    return error(
      "MG1004",
      lines.span(token.startOffset, token.startOffset + token.image.length),
      `malformed number \`${token.image}\``,
      "numbers are written as in JSON: no leading zeros, digits after `.` and after the exponent",
    );
  }
  return undefined;
}
