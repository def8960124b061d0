// The IR interpreter: runs a plan statement by statement, exactly as ./ir.ts describes. It is the
// semantics oracle for the WASM backend (every statement has a direct JS meaning here) and is held
// equal to the reference interpreter (compiler/interp) by test/ir.
//
// Values are in IR form: strings, numbers, bools, enum ordinals, arrays for sets and lists, and
// records as objects holding only schema fields (absent optional fields are missing).

import {
  ACTION_TAKEN,
  NO_APPLICABLE_PERMIT,
  invalidInputVerdict,
  invalidRegistration,
  makeRegistration,
  makeVerdict,
  type RegistrationResult,
  type Verdict,
  type Violation,
} from "../../contract/verdict.js";
import { validateInput } from "../../contract/validate-input.js";
import type { RecordSchema, SchemaType } from "../../contract/schema.js";
import { compareCodePoints, orderSatisfies } from "../interp/values.js";
import { automatonSearch } from "../regex/dfa-search.js";
import {
  applyOperation,
  operation,
  type CallName,
  type CollectionInfo,
  type OperationResult,
  type StringTestName,
} from "../operations/registry.js";
import type { CompareOp, IrPlan, IrPolicy, IrType, Operand, Stmt } from "./ir.js";

type IrValue = string | number | boolean | IrValue[] | IrRecord;
interface IrRecord {
  [field: string]: IrValue;
}

/** `execStmt`/`execBody` return how many block levels to leave: CONTINUE, or n ≥ 0 (leave n + 1 levels). */
const CONTINUE = -1;
/** Unwinds every level: the plan returned. */
const RETURNED = Infinity;

export function evaluatePlan(policy: IrPolicy, planId: number, input: unknown): Verdict | RegistrationResult {
  const plan = policy.plans[planId];
  if (plan === undefined) throw new Error(`the IR has no plan ${planId}`);
  return new PlanRun(policy, plan, input).run();
}

export function evaluateDecisionIr(policy: IrPolicy, input: unknown): Verdict {
  return evaluatePlan(policy, 0, input) as Verdict;
}

export function evaluateRegistrationIr(policy: IrPolicy, input: unknown): RegistrationResult {
  return evaluatePlan(policy, 1, input) as RegistrationResult;
}

class PlanRun {
  private readonly locals: (IrValue | undefined)[] = [];
  private readonly violations: Violation[] = [];
  private readonly permits: string[] = [];
  private namespace: string | null = null;
  private readonly permissions: string[] = [];
  private result: Verdict | RegistrationResult | null = null;

  constructor(
    private readonly policy: IrPolicy,
    private readonly plan: IrPlan,
    private readonly input: unknown,
  ) {}

  run(): Verdict | RegistrationResult {
    this.execBody(this.plan.body);
    if (this.result === null) throw new Error(`plan ${this.plan.name} ended without a Return statement`);
    return this.result;
  }

  private execBody(body: readonly Stmt[]): number {
    for (const stmt of body) {
      const leave = this.execStmt(stmt);
      if (leave !== CONTINUE) return leave;
    }
    return CONTINUE;
  }

  /** Runs one statement; an undefined statement returns 0 (leave the current block). */
  private execStmt(s: Stmt): number {
    const holds = (condition: boolean): number => (condition ? CONTINUE : 0);
    switch (s.kind) {
      case "ValidateInput":
        return this.validate(s.fields, s.error);
      case "Dot":
        return this.dot(s.source, s.path, s.target);
      case "Assign":
        return this.set(s.target, this.value(s.source));
      case "Arith":
        return this.set(s.target, arith(s.op, this.value(s.a) as number, this.value(s.b) as number));
      case "Compare":
        return holds(this.compare(s.op, s.a, s.b));
      case "IsTrue":
        return holds(this.value(s.operand) === true);
      case "Member":
        return holds(this.member(s.element, s.collection));
      case "StringTest":
        return holds(this.apply(s.test, [s.subject, s.needle]) === true);
      case "Matches":
        return holds(automatonSearch(this.policy.static.regexes[s.regex]!.dfas, this.value(s.subject) as string));
      case "Call":
        return this.set(s.target, this.apply(s.func, [s.arg]) as IrValue);
      case "MakeCollection":
        return this.set(
          s.target,
          s.elements.map((e) => this.value(e)),
        );
      case "Block": {
        const leave = this.execBody(s.body);
        return leave <= 0 ? CONTINUE : leave - 1;
      }
      case "Not": {
        const leave = this.execBody(s.body);
        if (leave === CONTINUE) return 0;
        return leave === 0 ? CONTINUE : leave - 1;
      }
      case "Break":
        return s.depth;
      case "Scan":
        return this.scan(s.source, s.element, s.body);
      case "FormatMessage":
        return this.set(s.target, this.format(s.template, s.holes));
      case "AppendViolation":
        return this.appendViolation(s.rule, s.message);
      case "AppendPermit":
        this.permits.push(this.policy.static.rules[s.rule]!.code);
        return CONTINUE;
      case "ReturnDecision":
        return this.returnDecision(s.outcome, s.rule);
      case "ReturnInvalidInput":
        return this.returnInvalid(this.locals[s.error] as string);
      case "SetNamespace":
        this.namespace = this.policy.static.strings[s.namespace]!;
        return CONTINUE;
      case "AddPermission": {
        const permission = this.policy.static.strings[s.permission]!;
        if (!this.permissions.includes(permission)) this.permissions.push(permission);
        return CONTINUE;
      }
      case "ReturnRegistration":
        this.result = makeRegistration(this.namespace, [...this.permissions]);
        return RETURNED;
    }
  }

  private set(target: number, value: IrValue): number {
    this.locals[target] = value;
    return CONTINUE;
  }

  private validate(fields: string[] | null, error: number): number {
    const schema = restrictSchema(this.policy.schema, fields);
    const problem = validateInput(schema, this.input);
    if (problem === null) {
      this.locals[0] = project(schema, this.input);
      return 0;
    }
    return this.set(error, problem);
  }

  private dot(source: number, path: string[], target: number): number {
    let value = this.locals[source];
    for (const field of path) {
      value = (value as IrRecord | undefined)?.[field];
      if (value === undefined) return 0;
    }
    return this.set(target, value!);
  }

  private value(operand: Operand): IrValue {
    switch (operand.kind) {
      case "local":
        return this.locals[operand.local]!;
      case "string":
        return this.policy.static.strings[operand.index]!;
      case "number":
      case "bool":
        return operand.value;
      case "enum":
        return operand.ordinal;
      case "collection":
        return this.policy.static.collections[operand.index]!.items.map((item) => this.value(item));
    }
  }

  /** The static type of an operand (constants carry theirs; locals are typed by the plan). */
  private typeOf(operand: Operand): IrType {
    switch (operand.kind) {
      case "local":
        return this.plan.locals[operand.local]!;
      case "string":
      case "number":
      case "bool":
        return { kind: operand.kind };
      case "enum": {
        const e = this.policy.enums.find((candidate) => candidate.name === operand.enum)!;
        return { kind: "enum", name: e.name, members: e.members, ordered: e.ordered };
      }
      case "collection": {
        const c = this.policy.static.collections[operand.index]!;
        return { kind: c.collection, element: c.element };
      }
    }
  }

  private compare(op: CompareOp, a: Operand, b: Operand): boolean {
    const x = this.value(a);
    const y = this.value(b);
    if (op === "==" || op === "!=") return valuesEqual(x, y, this.typeOf(a)) === (op === "==");
    return orderSatisfies(
      op,
      typeof x === "string" ? compareCodePoints(x, y as string) : numberOrder(x as number, y as number),
    );
  }

  private member(element: Operand, collection: Operand): boolean {
    const type = this.typeOf(collection);
    const item = this.value(element);
    return (this.value(collection) as IrValue[]).some((candidate) => valuesEqual(item, candidate, elementOf(type)));
  }

  /** A builtin: the operation registry's one JS implementation, shared with compiler/interp. */
  private apply(name: StringTestName | CallName, operands: Operand[]): OperationResult | undefined {
    const collection = (i: number): CollectionInfo => {
      const type = this.typeOf(operands[i]!);
      const sameElement = (a: unknown, b: unknown) => valuesEqual(a as IrValue, b as IrValue, elementOf(type));
      return { isSet: type.kind === "set", sameElement };
    };
    return applyOperation(
      operation(name)!,
      operands.map((o) => this.value(o)),
      collection,
    );
  }

  private scan(source: Operand, element: number, body: Stmt[]): number {
    for (const item of this.value(source) as IrValue[]) {
      this.locals[element] = item;
      const leave = this.execBody(body);
      if (leave === 1) return CONTINUE;
      if (leave > 1) return leave - 2;
    }
    return CONTINUE;
  }

  private format(template: number, holes: Operand[]): string {
    let hole = 0;
    return this.policy.static.templates[template]!.parts.map((part) =>
      part.kind === "text" ? part.text : renderHole(this.value(holes[hole++]!), part.type),
    ).join("");
  }

  private appendViolation(rule: number, message: number | null): number {
    const r = this.policy.static.rules[rule]!;
    this.violations.push({
      article: r.article,
      code: r.code,
      remedy: r.remedy,
      enforcement: r.enforcement,
      message: message === null ? null : (this.locals[message] as string),
    });
    return CONTINUE;
  }

  private returnDecision(outcome: "deny" | "permit" | "default_deny", rule: number | null): number {
    const determining = rule === null ? null : this.policy.static.rules[rule]!;
    const decided = {
      permitted: outcome === "permit",
      violation: determining?.code ?? (outcome === "default_deny" ? NO_APPLICABLE_PERMIT : null),
      constitutional_article: determining?.articleLabel ?? null,
      action_taken: determining?.actionTaken ?? ACTION_TAKEN.none,
      appeal_process: determining?.appeal ?? null,
    };
    this.result = makeVerdict(decided, this.violations, this.permits, { ...this.policy.constitution });
    return RETURNED;
  }

  private returnInvalid(error: string): number {
    this.result =
      this.plan.name === "constitution/decision"
        ? invalidInputVerdict(error, { ...this.policy.constitution })
        : invalidRegistration(error);
    return RETURNED;
  }
}

/** -1, 0 or 1; NaN when unordered (then every ordering comparison is false, as IEEE-754 has it). */
function numberOrder(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : a === b ? 0 : NaN;
}

function arith(op: "+" | "-" | "*", a: number, b: number): number {
  return op === "+" ? a + b : op === "-" ? a - b : a * b;
}

function elementOf(type: IrType): IrType | undefined {
  return type.kind === "set" || type.kind === "list" ? type.element : undefined;
}

/** Structural equality: IEEE-754 numbers, sets as sets, lists element-wise, records field-wise. */
function valuesEqual(a: IrValue | undefined, b: IrValue | undefined, type: IrType | undefined): boolean {
  if (Array.isArray(a) && Array.isArray(b)) {
    const element = elementOf(type!);
    if (type?.kind === "set")
      return (
        a.every((x) => b.some((y) => valuesEqual(x, y, element))) &&
        b.every((y) => a.some((x) => valuesEqual(x, y, element)))
      );
    return a.length === b.length && a.every((x, i) => valuesEqual(x, b[i], element));
  }
  if (type?.kind === "record" && typeof a === "object" && typeof b === "object") {
    return type.fields.every((f) => valuesEqual((a as IrRecord)[f.name], (b as IrRecord)[f.name], f.type));
  }
  return a === b;
}

function renderHole(value: IrValue, type: IrType): string {
  return type.kind === "enum" ? type.members[value as number]! : String(value);
}

function restrictSchema(schema: RecordSchema, fields: string[] | null): RecordSchema {
  return fields === null ? schema : { kind: "record", fields: schema.fields.filter((f) => fields.includes(f.name)) };
}

/** A validated JSON input in IR form: schema fields only, null optionals dropped, enums as ordinals. */
function project(type: SchemaType, json: unknown): IrValue {
  switch (type.kind) {
    case "enum":
      return type.members.indexOf(json as string);
    case "set":
    case "list":
      return (json as unknown[]).map((item) => project(type.element, item));
    case "record": {
      const record = Object.create(null) as IrRecord;
      for (const field of type.fields) {
        const child = Object.prototype.hasOwnProperty.call(json, field.name)
          ? (json as Record<string, unknown>)[field.name]
          : undefined;
        if (child !== undefined && child !== null) record[field.name] = project(field.type, child);
      }
      return record;
    }
    default:
      return json as IrValue;
  }
}
