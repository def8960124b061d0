// The builtin functions of the language (docs/language.md, "Expressions") and the argument types they accept.

import { BOOL, NUMBER, STRING } from "./type-ops.js";
import type { Type } from "./types.js";

/** `string`: a string; `countable`: a set, a list or a string. */
export type ParamKind = "string" | "countable";

export interface Builtin {
  params: ParamKind[];
  result: Type;
  /** How the hint spells the call. */
  signature: string;
}

export const BUILTINS: ReadonlyMap<string, Builtin> = new Map([
  ["contains", { params: ["string", "string"], result: BOOL, signature: "contains(s, sub) → bool" }],
  ["starts_with", { params: ["string", "string"], result: BOOL, signature: "starts_with(s, prefix) → bool" }],
  ["ends_with", { params: ["string", "string"], result: BOOL, signature: "ends_with(s, suffix) → bool" }],
  ["lower", { params: ["string"], result: STRING, signature: "lower(s) → string" }],
  ["upper", { params: ["string"], result: STRING, signature: "upper(s) → string" }],
  ["count", { params: ["countable"], result: NUMBER, signature: "count(set | list | string) → number" }],
] satisfies [string, Builtin][]);

export function acceptsParam(kind: ParamKind, type: Type): boolean {
  if (type.kind === "error" || type.kind === "string") return true;
  return kind === "countable" && (type.kind === "set" || type.kind === "list");
}

export function paramName(kind: ParamKind): string {
  return kind === "string" ? "string" : "set, list or string";
}
