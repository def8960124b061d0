// JSON written inside test blocks keeps spans in the AST; engines want plain JavaScript values.

import type { JsonValue } from "./nodes.js";

export function jsonValueToJs(value: JsonValue): unknown {
  switch (value.kind) {
    case "JsonObject": {
      const result: Record<string, unknown> = {};
      // defineProperty: a `"__proto__"` key is an own key (as JSON.parse and the strict reader make it),
      // where assigning it would set the prototype.
      for (const entry of value.entries) {
        const field = { value: jsonValueToJs(entry.value), writable: true, enumerable: true, configurable: true };
        Object.defineProperty(result, entry.key.value, field);
      }
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
