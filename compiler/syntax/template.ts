// `message "agent {agent.id} may not read {action.target}"`: splits a string token into text and
// `{path}` holes. `{{` and `}}` are literal braces. Hole spans come from the raw token text, so they
// point at the right columns even when the literal contains escapes.

import type { IToken } from "chevrotain";
import type { Expr, Template, TemplatePart } from "../ast/nodes.js";
import type { Span } from "../diagnostics/span.js";
import type { CstReader } from "./cst-reader.js";
import { decodeString } from "./string-literal.js";

const HOLE_PATH = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const BRACE_HINT = "a hole is a dotted path such as `{agent.id}`; write `{{` and `}}` for literal braces";

export function parseTemplate(token: IToken, reader: CstReader): Template {
  const decoded = decodeString(token.image);
  const text = decoded.value;
  const at = (from: number, to: number) =>
    reader.lines.span(
      token.startOffset + (decoded.rawStart[from] ?? 0),
      token.startOffset + (decoded.rawEnd[to - 1] ?? token.image.length),
    );
  const parts: TemplatePart[] = [];
  let literal = "";
  const flush = (): void => {
    if (literal !== "") parts.push({ kind: "Text", text: literal });
    literal = "";
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if ((c === "{" || c === "}") && text[i + 1] === c) {
      literal += c;
      i += 2;
    } else if (c === "}") {
      reader.report("MG1022", at(i, i + 1), "unmatched `}` in message template", BRACE_HINT);
      i += 1;
    } else if (c === "{") {
      const close = text.indexOf("}", i + 1);
      const end = close === -1 ? text.length : close + 1;
      const path = text.slice(i + 1, close === -1 ? text.length : close);
      if (close !== -1 && HOLE_PATH.test(path)) {
        flush();
        parts.push({ kind: "Hole", expr: holePath(path, i + 1, at) });
      } else {
        const message =
          close === -1 ? "unclosed `{` in message template" : `malformed hole \`{${path}}\` in message template`;
        reader.report("MG1022", at(i, end), message, BRACE_HINT);
      }
      i = end;
    } else {
      literal += c;
      i += 1;
    }
  }
  flush();
  return { kind: "Template", raw: token.image, parts, span: reader.tokenSpan(token) };
}

/** `agent.id` starting at decoded index `start` → Name / FieldAccess nodes with source spans. */
function holePath(path: string, start: number, at: (from: number, to: number) => Span): Expr {
  let expr: Expr | undefined;
  let segmentStart = start;
  for (const segment of path.split(".")) {
    const segmentEnd = segmentStart + segment.length;
    const field = { kind: "Identifier" as const, name: segment, span: at(segmentStart, segmentEnd) };
    expr =
      expr === undefined
        ? { kind: "Name", name: segment, span: field.span }
        : { kind: "FieldAccess", object: expr, field, span: at(start, segmentEnd) };
    segmentStart = segmentEnd + 1;
  }
  return expr!;
}
