// Maps an offset inside a string literal's value back to source text, so that a regex error can
// underline the offending character rather than the whole literal. String literals use JSON escapes.

import type { StringLiteral } from "../ast/nodes.js";
import { LineMap, type Span } from "../diagnostics/span.js";

/** The span of the value's UTF-16 unit at `valueOffset`; the literal's span when the source is unavailable. */
export function spanInStringLiteral(literal: StringLiteral, valueOffset: number, text: string | undefined): Span {
  const start = literal.span.start.offset;
  if (text === undefined || text[start] !== '"') return literal.span;
  let raw = start + 1;
  for (let unit = 0; unit < valueOffset && raw < literal.span.end.offset; unit++) raw += rawLength(text, raw);
  if (raw >= literal.span.end.offset - 1) return literal.span;
  const lines = new LineMap(literal.span.file, text);
  return { file: literal.span.file, start: lines.position(raw), end: lines.position(raw + rawLength(text, raw)) };
}

/** How many source characters spell the value's next UTF-16 unit (`\u00e9` is six). */
function rawLength(text: string, at: number): number {
  if (text[at] !== "\\") return 1;
  return text[at + 1] === "u" ? 6 : 2;
}
