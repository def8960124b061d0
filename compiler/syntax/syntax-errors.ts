// Turns chevrotain's recognition errors into musgo diagnostics. The parser's error-message provider
// builds only the hint ("expected one of: `when`, `remedy`"); the message itself is always
// "unexpected token `x`" (MG1010) or "unexpected end of file" (MG1011).

import type { IParserErrorMessageProvider, IToken, TokenType } from "chevrotain";
import { EOF, tokenLabel } from "./chevrotain.js";
import { error, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { LineMap } from "../diagnostics/span.js";
import { Identifier, Kw, NumberLiteral, P, Reserved, StringLiteral } from "./tokens.js";

/** More alternatives than this read as noise; the list is cut with "…". */
const MAX_LISTED = 6;

const DECLARATION_HINT =
  "expected a declaration: `constitution`, `enum`, `schema`, `let`, `article`, `registration` or `test`";

/** Tokens that can start an expression (or a JSON value): listed one by one they read as noise. */
const EXPRESSION_STARTS = new Set<TokenType>([
  NumberLiteral,
  StringLiteral,
  Identifier,
  Kw.true,
  Kw.false,
  Kw.null,
  Kw.not,
  Kw.has,
  Kw.any,
  Kw.all,
  P.minus,
  P.lcurly,
  P.lbracket,
  P.lparen,
]);

function describe(types: readonly TokenType[]): string[] {
  // A reserved word is accepted where a name belongs only to report it (MG1013): never suggest one.
  const unique = [...new Set(types)].filter((t) => t !== Reserved);
  const summary = unique.includes(Identifier) ? "an expression" : "a JSON value";
  const collapse =
    unique.includes(NumberLiteral) &&
    unique.includes(StringLiteral) &&
    (unique.includes(P.lparen) || unique.includes(P.lbracket));
  const rest = collapse ? unique.filter((t) => !EXPRESSION_STARTS.has(t)) : unique;
  return [...(collapse ? [summary] : []), ...rest.map((t) => (t === EOF ? "end of file" : tokenLabel(t)))];
}

function expectedHint(types: readonly TokenType[]): string {
  const labels = [...new Set(describe(types))];
  if (labels.length === 1) return `expected ${labels[0]}`;
  const listed = labels.slice(0, MAX_LISTED).join(", ");
  return `expected one of: ${listed}${labels.length > MAX_LISTED ? ", …" : ""}`;
}

export const syntaxErrorMessages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: ({ expected, ruleName }) =>
    expected === EOF && ruleName === "file" ? DECLARATION_HINT : expectedHint([expected]),
  buildNotAllInputParsedMessage: () => DECLARATION_HINT,
  buildNoViableAltMessage: ({ expectedPathsPerAlt }) =>
    expectedHint(expectedPathsPerAlt.flatMap((paths) => paths.map((path) => path[0]!))),
  buildEarlyExitMessage: ({ expectedIterationPaths }) => expectedHint(expectedIterationPaths.map((path) => path[0]!)),
};

export function syntaxErrorDiagnostic(token: IToken, hint: string, lines: LineMap, textLength: number): Diagnostic {
  if (token.tokenType === EOF || Number.isNaN(token.startOffset)) {
    return error("MG1011", lines.span(textLength, textLength), "unexpected end of file", hint);
  }
  return error(
    "MG1010",
    lines.span(token.startOffset, token.startOffset + token.image.length),
    `unexpected token \`${token.image}\``,
    hint,
  );
}
