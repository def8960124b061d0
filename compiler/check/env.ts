// What an expression can see while it is typed: the constitution-wide names (enums, schema roots,
// `let`s) and the local state (quantifier variables, the `has` guards established so far, which
// part of the input may be read).

import type { Span } from "../diagnostics/span.js";
import type { Reporter } from "./reporter.js";
import type { EnumType, RecordType } from "./type-ops.js";
import type { Type } from "../ast/types.js";

export interface Globals {
  readonly reporter: Reporter;
  readonly enums: ReadonlyMap<string, EnumType>;
  readonly schema: RecordType;
  /** The type of a `let` (typing it on first use), or undefined when no such `let` exists. */
  letType(name: string, use: Span): Type | undefined;
  hasLet(name: string): boolean;
  letNames(): string[];
  /** The text of a source file, to point inside string literals (regex errors). */
  sourceText(file: string): string | undefined;
}

/** Which schema roots an expression may read. */
export type InputAccess =
  | { kind: "all" } // rule conditions and templates
  | { kind: "agentOnly" } // registration conditions: the request holds only `agent`
  | { kind: "none"; letName: string }; // `let` values are compile-time constants

export interface Env {
  readonly globals: Globals;
  readonly variables: ReadonlyMap<string, Type>;
  /** Dotted paths (`action.target`, `x.note`) known present here. */
  readonly guards: ReadonlySet<string>;
  readonly input: InputAccess;
}

export function rootEnv(globals: Globals, input: InputAccess): Env {
  return { globals, variables: new Map(), guards: new Set(), input };
}

export function withGuards(env: Env, facts: Iterable<string>): Env {
  const guards = new Set(env.guards);
  for (const fact of facts) guards.add(fact);
  return guards.size === env.guards.size ? env : { ...env, guards };
}

export function withVariable(env: Env, name: string, type: Type): Env {
  return { ...env, variables: new Map(env.variables).set(name, type) };
}

export function schemaRoot(env: Env, name: string): RecordType["fields"][number] | undefined {
  return env.globals.schema.fields.find((f) => f.name === name);
}
