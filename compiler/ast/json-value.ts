// JSON written inside test blocks keeps spans in the AST; engines want plain JavaScript values.

import type { JsonValue } from "./nodes.js";

export function jsonValueToJs(value: JsonValue): unknown {
  switch (value.kind) {
    case "JsonObject": {
      const result: Record<string, unknown> = {};
      for (const entry of value.entries) result[entry.key.value] = jsonValueToJs(entry.value);
      return result;
    }
    case "JsonArray":
      return value.elements.map(jsonValueToJs);
    case "JsonNull":
      return null;
    default:
      return value.value;
  }
}
