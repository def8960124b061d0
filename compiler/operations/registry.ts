// The operation registry: every builtin function of the language (docs/language.md, "Expressions"),
// declared once. Each entry drives every stage that knows the builtin:
// - the checker (check/builtins.ts) takes its parameter kinds, result type and signature;
// - constant folding (check/fold.ts), the reference interpreter (interp/evaluate.ts) and the IR
//   interpreter (ir/eval.ts) all run its one JS `apply`, so they cannot diverge;
// - the planner (lower/planner.ts) picks its IR statement (`StringTest` or `Call`), and ir/ir.ts
//   derives the statements' `test`/`func` unions from the entries (test/ir checks schema.json too);
// - the WASM emitter (codegen/emit-plan.ts) lowers the call as `module` says, and
//   codegen/runtime-link.ts links the module primitives the entries name.
// Adding a builtin: docs/internals.md, "Adding a builtin".

import { scalarSet } from "./scalar-set.js";

/** `string`: a string; `countable`: a set, a list or a string. */
export type ParamKind = "string" | "countable";

/** The result type; the checker maps it onto its own types. */
export type ResultKind = "bool" | "string" | "number";

/** An argument once its kind was checked: a string, or (a `countable` one) a string or an array. */
export type OperationArg = string | readonly unknown[];

export type OperationResult = boolean | string | number;

/** What an evaluator knows about a collection argument that its JS value does not say. */
export interface CollectionInfo {
  /** A set, not a list: equal elements count once. */
  readonly isSet: boolean;
  /** Structural equality of two elements, in the evaluator's own value form. */
  sameElement(a: unknown, b: unknown): boolean;
}

/** The collection facts of argument `index` (asked only of collection arguments). */
export type CollectionLookup = (index: number) => CollectionInfo;

/**
 * How the emitter lowers a call: `primitive` pushes the operands, then `constants` as i32s, and
 * calls the module primitive `musgo_<primitive>`; `custom` names emitter code keyed by this entry,
 * for a builtin that needs instructions of its own, and lists every primitive that code calls.
 */
export type ModuleLowering =
  | { readonly kind: "primitive"; readonly primitive: string; readonly constants?: readonly number[] }
  | { readonly kind: "custom"; readonly custom: string; readonly primitives: readonly string[] };

export interface OperationSpec {
  readonly name: string;
  readonly params: readonly ParamKind[];
  readonly result: ResultKind;
  /** How hints spell the call. */
  readonly signature: string;
  /**
   * The IR statement a call plans to: `StringTest` (a binary string predicate, defined when it
   * holds) or `Call` (a unary function whose value goes to a local).
   */
  readonly ir: "StringTest" | "Call";
  /** The JS meaning; `args` fit `params` (applyOperation checks them first). */
  readonly apply: (args: readonly OperationArg[], collection: CollectionLookup) => OperationResult;
  readonly module: ModuleLowering;
}

/** A builtin over strings only; `applyOperation` has checked every argument is a string. */
function strings<R extends OperationResult>(f: (...args: string[]) => R): OperationSpec["apply"] {
  return (args) => f(...(args as string[]));
}

/** `count`: code points of a string, elements of a list, distinct elements of a set. */
function count(args: readonly OperationArg[], collection: CollectionLookup): number {
  // applyOperation checked the argument's shape: one string, list or set.
  const value = args[0]!;
  if (typeof value === "string") return [...value].length;
  const info = collection(0);
  if (!info.isSet) return value.length;
  const scalars = scalarSet(value);
  if (scalars !== null) return scalars.items.size + scalars.nans;
  const distinct: unknown[] = [];
  for (const item of value) if (!distinct.some((kept) => info.sameElement(kept, item))) distinct.push(item);
  return distinct.length;
}

export const OPERATIONS = [
  {
    name: "contains",
    params: ["string", "string"],
    result: "bool",
    signature: "contains(s, sub) → bool",
    ir: "StringTest",
    apply: strings((s, sub) => s.includes(sub)),
    module: { kind: "primitive", primitive: "contains" },
  },
  {
    name: "starts_with",
    params: ["string", "string"],
    result: "bool",
    signature: "starts_with(s, prefix) → bool",
    ir: "StringTest",
    apply: strings((s, prefix) => s.startsWith(prefix)),
    module: { kind: "primitive", primitive: "starts_with" },
  },
  {
    name: "ends_with",
    params: ["string", "string"],
    result: "bool",
    signature: "ends_with(s, suffix) → bool",
    ir: "StringTest",
    apply: strings((s, suffix) => s.endsWith(suffix)),
    module: { kind: "primitive", primitive: "ends_with" },
  },
  {
    name: "lower",
    params: ["string"],
    result: "string",
    signature: "lower(s) → string",
    ir: "Call",
    apply: strings((s) => s.toLowerCase()),
    module: { kind: "primitive", primitive: "change_case", constants: [0] },
  },
  {
    name: "upper",
    params: ["string"],
    result: "string",
    signature: "upper(s) → string",
    ir: "Call",
    apply: strings((s) => s.toUpperCase()),
    module: { kind: "primitive", primitive: "change_case", constants: [1] },
  },
  {
    name: "trim",
    params: ["string"],
    result: "string",
    signature: "trim(s) → string",
    ir: "Call",
    apply: strings((s) => s.trim()),
    module: { kind: "primitive", primitive: "trim" },
  },
  {
    name: "count",
    params: ["countable"],
    result: "number",
    signature: "count(set | list | string) → number",
    ir: "Call",
    apply: count,
    // A list's length is a load; strings and sets call the primitive for their argument's type.
    module: { kind: "custom", custom: "count", primitives: ["count_code_points", "count_distinct"] },
  },
] as const satisfies readonly OperationSpec[];

/** One registry entry, its literal types kept (so `op.ir === "Call"` narrows `op.name`). */
export type Operation = (typeof OPERATIONS)[number];

/** The builtins a `StringTest` statement runs (its `test`). */
export type StringTestName = Extract<Operation, { ir: "StringTest" }>["name"];
/** The builtins a `Call` statement runs (its `func`). */
export type CallName = Extract<Operation, { ir: "Call" }>["name"];
/** The emitter code of the builtins lowered by hand, by `module.custom`. */
export type CustomLowering = Extract<Operation["module"], { kind: "custom" }>["custom"];

type PrimitivesOf<L> = L extends { kind: "primitive"; primitive: infer P }
  ? P
  : L extends { kind: "custom"; primitives: readonly (infer P)[] }
    ? P
    : never;
/** The module primitives (`musgo_<name>`) the builtins call. */
export type OperationPrimitive = PrimitivesOf<Operation["module"]>;

const BY_NAME: ReadonlyMap<string, Operation> = new Map(OPERATIONS.map((op) => [op.name, op]));

/** The builtin named `name`, if there is one. */
export function operation(name: string): Operation | undefined {
  return BY_NAME.get(name);
}

/** Every module primitive the builtins call, once each, in registry order. */
export const OPERATION_PRIMITIVES: readonly OperationPrimitive[] = [
  ...new Set(OPERATIONS.flatMap((op): OperationPrimitive[] => primitivesOf(op.module))),
];

function primitivesOf(lowering: Operation["module"]): OperationPrimitive[] {
  return lowering.kind === "primitive" ? [lowering.primitive] : [...lowering.primitives];
}

function acceptsArg(kind: ParamKind, value: unknown): value is OperationArg {
  return typeof value === "string" || (kind === "countable" && Array.isArray(value));
}

/**
 * Applies a builtin to evaluated arguments. Never throws: an argument of the wrong shape (only an
 * unchecked constitution has one) makes a predicate false and any other builtin absent (undefined).
 */
export function applyOperation(
  op: OperationSpec,
  args: readonly unknown[],
  collection: CollectionLookup,
): OperationResult | undefined {
  const fits = args.length === op.params.length && op.params.every((kind, i) => acceptsArg(kind, args[i]));
  if (!fits) return op.result === "bool" ? false : undefined;
  return op.apply(args as OperationArg[], collection);
}
