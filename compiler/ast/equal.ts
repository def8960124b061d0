// Structural equality of syntax trees that ignores layout and annotations: `span`, every
// `$`-prefixed field (checker annotations) and `comments`. parse ∘ format ≡ id is tested with it.

import { isDeepStrictEqual } from "node:util";

function isIgnoredKey(key: string): boolean {
  return key === "span" || key === "comments" || key.startsWith("$");
}

/** A deep copy without spans, `$` fields, comments, and keys whose value is `undefined`. */
export function stripSpans<T>(node: T): T {
  if (Array.isArray(node)) return node.map((item: unknown) => stripSpans(item)) as T;
  if (node === null || typeof node !== "object") return node;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (!isIgnoredKey(key) && value !== undefined) copy[key] = stripSpans(value);
  }
  return copy as T;
}

export function astEqual(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(stripSpans(a), stripSpans(b));
}
