// The builtin functions as the checker sees them: their types, from the operation registry
// (compiler/operations/registry.ts; docs/language.md, "Expressions").

import { OPERATIONS, type ParamKind, type ResultKind } from "../operations/registry.js";
import { BOOL, NUMBER, STRING } from "./type-ops.js";
import type { Type } from "../ast/types.js";

export type { ParamKind };

export interface Builtin {
  params: readonly ParamKind[];
  result: Type;
  /** How the hint spells the call. */
  signature: string;
}

const RESULT_TYPES: Record<ResultKind, Type> = { bool: BOOL, string: STRING, number: NUMBER };

export const BUILTINS: ReadonlyMap<string, Builtin> = new Map(
  OPERATIONS.map((op) => [op.name, { params: op.params, result: RESULT_TYPES[op.result], signature: op.signature }]),
);

export function acceptsParam(kind: ParamKind, type: Type): boolean {
  if (type.kind === "error" || type.kind === "string") return true;
  return kind === "countable" && (type.kind === "set" || type.kind === "list");
}

export function paramName(kind: ParamKind): string {
  return kind === "string" ? "string" : "set, list or string";
}
