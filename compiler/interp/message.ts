// Message templates (docs/language.md, "Articles and rules"): text as written, holes rendered as scalars. Strings are
// themselves, numbers are JavaScript's `String(n)` (`20000`, `10000.5`), booleans `true`/`false`,
// enum members their names. An absent hole renders empty (the checker normally forbids it).

import type { Template } from "../ast/nodes.js";
import { evaluate, type Scope } from "./evaluate.js";
import type { MaybeValue } from "./values.js";

export function renderMessage(template: Template, scope: Scope): string {
  return template.parts
    .map((part) => (part.kind === "Text" ? part.text : renderScalar(evaluate(part.expr, scope))))
    .join("");
}

function renderScalar(value: MaybeValue): string {
  switch (typeof value) {
    case "string":
      return value;
    case "number":
    case "boolean":
      return String(value);
    default:
      // Holes are scalars (checked); absent and anything else render as nothing.
      return "";
  }
}
