// Prints the JSON of test blocks: a value stays on one line when it fits, otherwise objects and
// arrays open one entry per line (recursively, each entry again on one line if it fits).

import type { JsonValue } from "../ast/nodes.js";
import { printString } from "./expr.js";
import { INDENT, MAX_WIDTH } from "./layout.js";

export function printJsonInline(value: JsonValue): string {
  switch (value.kind) {
    case "JsonObject":
      return `{${value.entries.map((e) => `${printString(e.key.value)}: ${printJsonInline(e.value)}`).join(", ")}}`;
    case "JsonArray":
      return `[${value.elements.map(printJsonInline).join(", ")}]`;
    case "JsonString":
      return printString(value.value);
    case "JsonNumber":
      return value.raw;
    case "JsonBool":
      return String(value.value);
    case "JsonNull":
      return "null";
  }
}

/**
 * Lines of `value` printed at `column` of a line indented by `indent`; `suffix` (a comma) follows
 * it. The first line carries no indentation, the following ones do. `expand` forces the outer
 * object or array onto several lines.
 */
export function printJson(value: JsonValue, indent: string, column: number, suffix: string, expand = false): string[] {
  const inline = printJsonInline(value);
  const isEmpty =
    (value.kind === "JsonObject" && value.entries.length === 0) ||
    (value.kind === "JsonArray" && value.elements.length === 0);
  if (
    isEmpty ||
    (!expand && column + inline.length + suffix.length <= MAX_WIDTH) ||
    (value.kind !== "JsonObject" && value.kind !== "JsonArray")
  ) {
    return [inline + suffix];
  }
  const inner = indent + INDENT;
  const entries =
    value.kind === "JsonObject"
      ? value.entries.map((e) => ({ prefix: `${printString(e.key.value)}: `, value: e.value }))
      : value.elements.map((element) => ({ prefix: "", value: element }));
  const lines = [value.kind === "JsonObject" ? "{" : "["];
  entries.forEach((entry, i) => {
    const comma = i < entries.length - 1 ? "," : "";
    const [first, ...rest] = printJson(entry.value, inner, inner.length + entry.prefix.length, comma);
    lines.push(`${inner}${entry.prefix}${first}`, ...rest);
  });
  lines.push(`${indent}${value.kind === "JsonObject" ? "}" : "]"}${suffix}`);
  return lines;
}
