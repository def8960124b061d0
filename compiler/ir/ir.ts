// The musgo IR: what the planner (compiler/lower) produces from a checked constitution and what
// the backends consume (the WASM code generator, the JS IR interpreter in ./eval.ts).
//
// Modelled on OPA's IR (internal/ir): a small, closed, JSON-serialisable union of statements
// discriminated on `kind`, numeric locals, a static pool, and blocks with `break(depth)`.
//
// Execution model (the same for every backend):
// - A plan is a list of statements run in order. Every statement is either *defined* (execution
//   continues with the next statement) or *undefined* (execution leaves the innermost enclosing
//   block, as if by `Break { depth: 0 }`). Predicates (`Compare`, `Member`, `Matches`, …) are
//   defined exactly when they hold; `Dot` is undefined when an optional field is absent.
// - `Block`, `Not` and each iteration of `Scan` open one block level; `Break { depth: n }` leaves
//   n + 1 enclosing levels (a `Scan` counts as two levels: its body, then the loop itself). That maps
//   one-to-one onto WebAssembly `block`/`br n`.
// - A plan ends with a `Return…` statement on every path; the planner never leaves a statement
//   that can be undefined at the top level of a plan.
// - Values are typed and the types are static: every local has an `IrType` in its plan's `locals`
//   table. Enum values are ordinals (declaration order, 0-based); strings are Unicode strings;
//   numbers are IEEE-754 doubles; sets and lists hold scalars or records.
//
// Policy semantics are spelt out in the statements the planner emits, not hidden in backends:
// fail-closed validation (`ValidateInput` + `ReturnInvalidInput`), one fired flag per rule, the
// verdict lists (`AppendViolation` in article order, `AppendPermit` in source order), forbid
// overrides permit and the severity ordering (one `ReturnDecision deny` block per mandatory forbid,
// most severe first), permits, and default deny (a final `ReturnDecision default_deny`).
//
// Stability: this file is a contract with the WASM backend. Changes are additive only and are
// listed here.
//   IR_VERSION 1 — initial version. A builtin added to the operation registry adds a value to
//   `Call.func` or `StringTest.test` (additive; test/ir keeps schema.json's enums equal to the registry).

import type { SchemaType, RecordSchema } from "../../contract/schema.js";
import type { LimitDeclaration } from "../../contract/engine.js";
import type { ConstitutionId, Enforcement, Remedy } from "../../contract/verdict.js";
import type { Dfa } from "../regex/automaton.js";
import type { CallName, StringTestName } from "../operations/registry.js";

export const IR_VERSION = 1;

/** A local variable: an index into its plan's `locals` table. Local 0 is always the input document. */
export type Local = number;

/** The static type of a local or operand; the input schema's own types. */
export type IrType = SchemaType;

/** The source position a statement was planned from: `static.files[file]`, 1-based line and column. */
export interface Loc {
  file: number;
  line: number;
  col: number;
}

/** A value a statement reads: a local or a constant. */
export type Operand =
  | { kind: "local"; local: Local }
  /** `static.strings[index]`. */
  | { kind: "string"; index: number }
  /** A finite double (non-finite constants are never planned: the checker folds `let`s to finite values). */
  | { kind: "number"; value: number }
  | { kind: "bool"; value: boolean }
  /** An enum member as its ordinal in `enums[enum].members` (by enum name). */
  | { kind: "enum"; enum: string; ordinal: number }
  /** A constant set or list: `static.collections[index]`. */
  | { kind: "collection"; index: number };

/** The operand types `Compare` distinguishes; codegen picks the instruction from it. */
export type CompareType = "number" | "string" | "bool" | "enum" | "collection" | "record";

export type CompareOp = "==" | "!=" | "<" | "<=" | ">" | ">=";

/** A constant set or list, e.g. `let classified = {"a", "b"}`. Items are constant operands. */
export interface IrCollection {
  collection: "set" | "list";
  element: IrType;
  items: Operand[];
}

/** A compiled regex: the pattern as written and its search automaton (compiler/regex/automaton.ts). */
export interface IrRegex {
  pattern: string;
  dfa: Dfa;
}

/** A `message` template. Holes are filled, in order, by `FormatMessage.holes`. */
export interface IrTemplate {
  parts: ({ kind: "text"; text: string } | { kind: "hole"; type: IrType })[];
}

/**
 * One forbid or permit rule, with every verdict constant it contributes precomputed, so a backend
 * can embed them as data. Indexed by `AppendViolation.rule`, `AppendPermit.rule`, `ReturnDecision.rule`.
 */
export interface IrRule {
  kind: "forbid" | "permit";
  code: string;
  /** Article number as written (`VII`), its numeric value and its label (`Article_VII_Data_Protection`). */
  article: string;
  articleValue: number;
  articleLabel: string;
  /** 1-based position among the forbid/permit rules of the article. */
  position: number;
  enforcement: Enforcement;
  /** Forbids only; `none` for permits. */
  remedy: Remedy;
  /** `ACTION_TAKEN[remedy]`. */
  actionTaken: string;
  appeal: string | null;
  /** Index into `static.templates`, or null when the rule has no message. */
  template: number | null;
  loc: Loc;
}

export interface IrStatic {
  /** Source file paths, indexed by `Loc.file`. */
  files: string[];
  /** Interned string constants, indexed by `Operand.string.index` and statements' string indices. */
  strings: string[];
  collections: IrCollection[];
  regexes: IrRegex[];
  templates: IrTemplate[];
  rules: IrRule[];
}

export interface IrEnum {
  name: string;
  members: string[];
  ordered: boolean;
}

export const DECISION_PLAN_ID = 0;
export const REGISTRATION_PLAN_ID = 1;

export interface IrPlan {
  /** 0 for `constitution/decision`, 1 for `constitution/registration` (the module's entrypoint ids). */
  id: number;
  name: "constitution/decision" | "constitution/registration";
  /** The type of every local; `locals[0]` is the input schema. */
  locals: IrType[];
  body: Stmt[];
}

export interface IrPolicy {
  irVersion: typeof IR_VERSION;
  constitution: ConstitutionId;
  /** The input schema `ValidateInput` checks against and `Dot` reads through. */
  schema: RecordSchema;
  enums: IrEnum[];
  /** Rate-limit declarations (docs/language.md, "Rate limits"), exported for the host; no statement reads them. */
  limits: LimitDeclaration[];
  static: IrStatic;
  /** Indexed by plan id. */
  plans: IrPlan[];
}

// ---------------------------------------------------------------------------------------------
// Statements

interface StmtBase {
  loc: Loc;
}

/**
 * Fail-closed input validation (docs/language.md, "Verdicts", step 1). Checks the input (local 0) against `schema`,
 * restricted to the root fields named in `fields` (null: every field), exactly as
 * contract/validate-input.ts does. Defined when the input does NOT match: then `error` receives the
 * first problem as `<path>: <reason>`. Undefined (leaves the block) when the input is valid.
 */
export interface ValidateInputStmt extends StmtBase {
  kind: "ValidateInput";
  fields: string[] | null;
  error: Local;
}

/**
 * Reads `source.path[0].path[1]…` into `target`. Undefined when an optional field along the path is
 * absent (or JSON null). Input validation guarantees required fields are present with their types.
 */
export interface DotStmt extends StmtBase {
  kind: "Dot";
  source: Local;
  path: string[];
  target: Local;
}

/** `target = source`. Always defined. */
export interface AssignStmt extends StmtBase {
  kind: "Assign";
  source: Operand;
  target: Local;
}

/** `target = a op b` on doubles (IEEE-754). Always defined. */
export interface ArithStmt extends StmtBase {
  kind: "Arith";
  op: "+" | "-" | "*";
  a: Operand;
  b: Operand;
  target: Local;
}

/**
 * Defined when `a op b` holds. `type` says what is compared: numbers by IEEE-754, strings by code
 * point, enums by ordinal (ordering only for ordered enums), bools (equality only); collections
 * (equality only: sets as sets, lists element-wise) and records (field-wise) structurally.
 */
export interface CompareStmt extends StmtBase {
  kind: "Compare";
  op: CompareOp;
  type: CompareType;
  a: Operand;
  b: Operand;
}

/** Defined when the bool operand is true. */
export interface IsTrueStmt extends StmtBase {
  kind: "IsTrue";
  operand: Operand;
}

/** Defined when `element` is an element of the set or list `collection` (structural equality). */
export interface MemberStmt extends StmtBase {
  kind: "Member";
  element: Operand;
  collection: Operand;
}

/**
 * Defined when the string test holds: a registry builtin planned as a test (`contains`, also for
 * `sub in s`; `starts_with`, `ends_with`). Strings are compared by code point.
 */
export interface StringTestStmt extends StmtBase {
  kind: "StringTest";
  test: StringTestName;
  subject: Operand;
  needle: Operand;
}

/** Defined when `static.regexes[regex]` matches anywhere in the string `subject` (unanchored search). */
export interface MatchesStmt extends StmtBase {
  kind: "Matches";
  subject: Operand;
  regex: number;
}

/**
 * `target = func(arg)`: a unary builtin of the operation registry (compiler/operations/registry.ts,
 * `ir: "Call"`), whose `apply` is its meaning, e.g. `lower` (JavaScript's full-Unicode
 * `toLowerCase`) or `count` (distinct elements of a set, elements of a list, code points of a
 * string). Always defined.
 */
export interface CallStmt extends StmtBase {
  kind: "Call";
  func: CallName;
  arg: Operand;
  target: Local;
}

/** Builds a set or list from non-constant elements, e.g. `{action.type, "x"}`. Always defined. */
export interface MakeCollectionStmt extends StmtBase {
  kind: "MakeCollection";
  collection: "set" | "list";
  elements: Operand[];
  target: Local;
}

/** Runs `body` as one block. Always defined (an undefined statement inside only leaves the block). */
export interface BlockStmt extends StmtBase {
  kind: "Block";
  body: Stmt[];
}

/** Runs `body` as one block; defined when the body is undefined, undefined when it runs to its end. */
export interface NotStmt extends StmtBase {
  kind: "Not";
  body: Stmt[];
}

/** Leaves `depth + 1` enclosing block levels (see the execution model at the top of this file). */
export interface BreakStmt extends StmtBase {
  kind: "Break";
  depth: number;
}

/**
 * For each element of the set or list `source` in order (a set's duplicates included), assigns it to
 * `element` and runs `body` as one block; an undefined statement or `Break 0` moves on to the next
 * element, `Break 1` leaves the loop. Always defined.
 */
export interface ScanStmt extends StmtBase {
  kind: "Scan";
  source: Operand;
  element: Local;
  body: Stmt[];
}

/**
 * Renders `static.templates[template]` into the string `target`, hole i taking `holes[i]`: strings
 * as they are, numbers as JavaScript's `String(n)`, bools as `true`/`false`, enums by member name.
 */
export interface FormatMessageStmt extends StmtBase {
  kind: "FormatMessage";
  template: number;
  holes: Operand[];
  target: Local;
}

/**
 * Appends the violation of forbid `rule` to the verdict's `violations`: its article, code, remedy,
 * enforcement, and `message` (a string local, or null when the rule has no message).
 */
export interface AppendViolationStmt extends StmtBase {
  kind: "AppendViolation";
  rule: number;
  message: Local | null;
}

/** Appends permit `rule`'s code to the verdict's `permits`. */
export interface AppendPermitStmt extends StmtBase {
  kind: "AppendPermit";
  rule: number;
}

/**
 * Ends the decision plan with a verdict built from the appended violations and permits and the
 * policy's `constitution`:
 * - `deny`: `permitted: false`, determined by forbid `rule` (its code, article label, action taken, appeal);
 * - `permit`: `permitted: true`, `violation`/`constitutional_article`/`appeal_process` null, action `none`;
 * - `default_deny`: `permitted: false`, violation `no_applicable_permit`, article/appeal null, action `none`.
 */
export interface ReturnDecisionStmt extends StmtBase {
  kind: "ReturnDecision";
  outcome: "deny" | "permit" | "default_deny";
  /** The determining forbid for `deny`; null otherwise. */
  rule: number | null;
}

/**
 * Ends the plan with the fail-closed result for an invalid input: the `invalid_input` verdict
 * (decision plan) or `{namespace: null, permissions: [], error}` (registration plan).
 */
export interface ReturnInvalidInputStmt extends StmtBase {
  kind: "ReturnInvalidInput";
  error: Local;
}

/** Sets the registration result's namespace to `static.strings[namespace]` (the first match wins by planning). */
export interface SetNamespaceStmt extends StmtBase {
  kind: "SetNamespace";
  namespace: number;
}

/** Appends `static.strings[permission]` to the registration result's permissions unless already there. */
export interface AddPermissionStmt extends StmtBase {
  kind: "AddPermission";
  permission: number;
}

/** Ends the registration plan with `{namespace, permissions}` as set so far (namespace null if never set). */
export interface ReturnRegistrationStmt extends StmtBase {
  kind: "ReturnRegistration";
}

export type Stmt =
  | ValidateInputStmt
  | DotStmt
  | AssignStmt
  | ArithStmt
  | CompareStmt
  | IsTrueStmt
  | MemberStmt
  | StringTestStmt
  | MatchesStmt
  | CallStmt
  | MakeCollectionStmt
  | BlockStmt
  | NotStmt
  | BreakStmt
  | ScanStmt
  | FormatMessageStmt
  | AppendViolationStmt
  | AppendPermitStmt
  | ReturnDecisionStmt
  | ReturnInvalidInputStmt
  | SetNamespaceStmt
  | AddPermissionStmt
  | ReturnRegistrationStmt;

export type StmtKind = Stmt["kind"];

/** Every statement kind, in the order the printer and schema.json list them. */
export const STMT_KINDS: readonly StmtKind[] = [
  "ValidateInput",
  "Dot",
  "Assign",
  "Arith",
  "Compare",
  "IsTrue",
  "Member",
  "StringTest",
  "Matches",
  "Call",
  "MakeCollection",
  "Block",
  "Not",
  "Break",
  "Scan",
  "FormatMessage",
  "AppendViolation",
  "AppendPermit",
  "ReturnDecision",
  "ReturnInvalidInput",
  "SetNamespace",
  "AddPermission",
  "ReturnRegistration",
];

/** The nested statement lists of a statement (the bodies of `Block`, `Not` and `Scan`). */
export function childBodies(stmt: Stmt): Stmt[][] {
  switch (stmt.kind) {
    case "Block":
    case "Not":
    case "Scan":
      return [stmt.body];
    default:
      return [];
  }
}
