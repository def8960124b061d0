// The planner: a checked constitution → the IR (compiler/ir/ir.ts). One `Planner` holds the static
// pools, the plan being built (its locals and current statement list) and the current source
// location; one `planX` method per construct, in the manner of OPA's internal/planner.
//
// Reads of required input paths are hoisted into a prologue right after validation (validation
// guarantees them), so each is read once per plan. Conditions are planned as statement sequences that run to their end exactly when the condition
// holds (an undefined statement leaves the enclosing block). Values are planned into operands.
// The policy semantics are planned out in the open by `planDecision`: validation, one fired flag
// per rule, the verdict lists, forbid-overrides-permit in severity order, then default deny.

import type { CallExpr, Expr, QuantifierExpr, Template } from "../ast/nodes.js";
import type { Span } from "../diagnostics/span.js";
import type { CheckedArticle, CheckedConstitution, CheckedForbid, CheckedPermit, ConstValue } from "../check/model.js";
import type { Type } from "../ast/types.js";
import { pathSegments } from "../check/guards.js";
import type { LimitDeclaration } from "../../contract/engine.js";
import type { RecordSchema, SchemaField, SchemaType } from "../../contract/schema.js";
import { ACTION_TAKEN, remedyRank } from "../../contract/verdict.js";
import { patternAutomaton } from "../regex/automaton.js";
import { operation, type Operation } from "../operations/registry.js";
import {
  DECISION_PLAN_ID,
  IR_VERSION,
  REGISTRATION_PLAN_ID,
  type CompareType,
  type IrCollection,
  type IrPlan,
  type IrPolicy,
  type IrRegex,
  type IrRule,
  type IrTemplate,
  type IrType,
  type Local,
  type Loc,
  type Operand,
  type Stmt,
} from "../ir/ir.js";
import { InternalCompilerError } from "../diagnostics/internal-error.js";

export function planConstitution(c: CheckedConstitution): IrPolicy {
  return new Planner(c).plan();
}

type AnyRule = CheckedForbid | CheckedPermit;

class Planner {
  private readonly files: string[] = [];
  private readonly strings: string[] = [];
  private readonly stringIndex = new Map<string, number>();
  private readonly collections: IrCollection[] = [];
  private readonly collectionIndex = new Map<string, number>();
  private readonly regexes: IrRegex[] = [];
  private readonly regexIndex = new Map<string, number>();
  private readonly templates: IrTemplate[] = [];
  private readonly rules: IrRule[] = [];

  /** Per plan: local types, the statement list being filled, quantifier variables in scope. */
  private locals: IrType[] = [];
  private current: Stmt[] = [];
  private variables = new Map<string, Local>();
  /** Paths already read by a `Dot` that is known to have been defined at this point, by `source:path`. */
  private dots = new Map<string, Local>();
  /**
   * Reads of required input paths, hoisted to right after validation: validation guarantees they
   * are defined, so each is read once per plan however many rules use it.
   */
  private prologue: Stmt[] = [];
  private hoisted = new Map<string, Local>();
  private loc: Loc = { file: 0, line: 1, col: 1 };

  constructor(private readonly c: CheckedConstitution) {}

  plan(): IrPolicy {
    const decision = this.planDecision();
    const registration = this.planRegistration();
    return {
      irVersion: IR_VERSION,
      constitution: { name: this.c.name, version: this.c.version, digest: this.c.digest },
      schema: this.c.schema,
      enums: this.c.enums.map((e) => ({ name: e.name, members: [...e.members], ordered: e.ordered })),
      limits: this.c.articles.flatMap((a) => this.planLimits(a)),
      static: {
        files: this.files,
        strings: this.strings,
        collections: this.collections,
        regexes: this.regexes,
        templates: this.templates,
        rules: this.rules,
      },
      plans: [decision, registration],
    };
  }

  // ---- plans ---------------------------------------------------------------------------------

  /** `constitution/decision`: the steps of docs/language.md, "Verdicts". */
  private planDecision(): IrPlan {
    return this.planEntrypoint(DECISION_PLAN_ID, "constitution/decision", () => {
      this.planValidation(null);
      const fired = new Map<string, Local>();
      const messages = new Map<CheckedForbid, Local>();
      for (const article of this.c.articles) {
        for (const rule of article.rules) fired.set(ruleKey(rule), this.planRule(article, rule, messages));
      }
      const flag = (rule: AnyRule): Local => fired.get(ruleKey(rule))!;
      const index = (rule: AnyRule): number => this.ruleIndexOf(rule);
      const forbids = this.c.articles.flatMap((a) => a.rules.filter(isForbid));
      // `violations`: every forbid that held, mandatory and advisory, by article number then source order.
      for (const rule of forbids) {
        this.at(rule.node.span);
        this.whenFired(flag(rule), {
          kind: "AppendViolation",
          loc: this.loc,
          rule: index(rule),
          message: messages.get(rule) ?? null,
        });
      }
      // `permits`: every permit that held, in source order.
      for (const rule of this.c.permitsInSourceOrder) {
        this.at(rule.node.span);
        this.whenFired(flag(rule), { kind: "AppendPermit", loc: this.loc, rule: index(rule) });
      }
      // Forbid overrides permit: the most severe mandatory violation determines the verdict
      // (remedy descending; ties by article number, then source order). Advisory ones never deny.
      const determining = this.c.articles.flatMap((a) =>
        a.enforcement === "mandatory" ? a.rules.filter(isForbid) : [],
      );
      determining.sort((a, b) => remedyRank(b.remedy) - remedyRank(a.remedy));
      for (const rule of determining) {
        this.at(rule.node.span);
        this.whenFired(flag(rule), { kind: "ReturnDecision", loc: this.loc, outcome: "deny", rule: index(rule) });
      }
      // No mandatory violation: any permit that held permits.
      for (const rule of this.c.permitsInSourceOrder) {
        this.at(rule.node.span);
        this.whenFired(flag(rule), { kind: "ReturnDecision", loc: this.loc, outcome: "permit", rule: null });
      }
      // Default deny.
      this.emit({ kind: "ReturnDecision", loc: this.loc, outcome: "default_deny", rule: null });
    });
  }

  /** `constitution/registration`: docs/language.md, "Registration". */
  private planRegistration(): IrPlan {
    return this.planEntrypoint(REGISTRATION_PLAN_ID, "constitution/registration", () => {
      this.planValidation(["agent"]);
      const namespaces = this.c.registration.filter((r) => r.kind === "namespace");
      // The first matching namespace wins: each match leaves the enclosing block.
      if (namespaces.length > 0) {
        this.at(namespaces[0]!.when.span);
        this.block(() => {
          for (const rule of namespaces) {
            this.at(rule.when.span);
            this.block(() => {
              this.planCondition(rule.when);
              this.emit({ kind: "SetNamespace", loc: this.loc, namespace: this.string(rule.value) });
              this.emit({ kind: "Break", loc: this.loc, depth: 1 });
            });
          }
        });
      }
      for (const rule of this.c.registration.filter((r) => r.kind === "grant")) {
        this.at(rule.when.span);
        this.block(() => {
          this.planCondition(rule.when);
          this.emit({ kind: "AddPermission", loc: this.loc, permission: this.string(rule.value) });
        });
      }
      this.emit({ kind: "ReturnRegistration", loc: this.loc });
    });
  }

  private planEntrypoint(id: number, name: IrPlan["name"], body: () => void): IrPlan {
    this.locals = [this.c.schema];
    this.variables = new Map();
    this.dots = new Map();
    this.prologue = [];
    this.hoisted = new Map();
    this.current = [];
    this.atFileStart();
    body();
    const [validation, ...rest] = this.current;
    return { id, name, locals: this.locals, body: [validation!, ...this.prologue, ...rest] };
  }

  /** Fail closed: an input that does not match the schema returns the invalid-input result at once. */
  private planValidation(fields: string[] | null): void {
    this.block(() => {
      const error = this.newLocal({ kind: "string" });
      this.emit({ kind: "ValidateInput", loc: this.loc, fields, error });
      this.emit({ kind: "ReturnInvalidInput", loc: this.loc, error });
    });
  }

  // ---- rules ---------------------------------------------------------------------------------

  /** Registers the rule and plans `fired = false; { when…; [message]; fired = true }`; returns `fired`. */
  private planRule(article: CheckedArticle, rule: AnyRule, messages: Map<CheckedForbid, Local>): Local {
    this.at(rule.node.span);
    const template = this.rules[this.ruleIndexOf(rule, article)]!.template;
    const fired = this.newLocal({ kind: "bool" });
    this.emit({ kind: "Assign", loc: this.loc, source: { kind: "bool", value: false }, target: fired });
    this.block(() => {
      this.planCondition(rule.when);
      if (rule.kind === "forbid" && rule.message !== null)
        messages.set(rule, this.planMessage(rule.message, template!));
      this.emit({ kind: "Assign", loc: this.loc, source: { kind: "bool", value: true }, target: fired });
    });
    return fired;
  }

  private readonly ruleIndices = new Map<string, number>();

  /** The rule's index in `static.rules`, registering it (with its article) on first sight. */
  private ruleIndexOf(rule: AnyRule, article?: CheckedArticle): number {
    const key = ruleKey(rule);
    const known = this.ruleIndices.get(key);
    if (known !== undefined) return known;
    if (article === undefined)
      throw new InternalCompilerError(`rule \`${rule.code}\` was referenced before it was planned`);
    const forbid = rule.kind === "forbid" ? rule : null;
    const remedy = forbid?.remedy ?? "none";
    this.rules.push({
      kind: rule.kind,
      code: rule.code,
      article: article.number,
      articleValue: article.numberValue,
      articleLabel: article.label,
      position: rule.position,
      enforcement: article.enforcement,
      remedy,
      actionTaken: ACTION_TAKEN[remedy],
      appeal: forbid?.appeal ?? null,
      template: forbid?.message ? this.planTemplate(forbid.message) : null,
      loc: this.loc,
    });
    this.ruleIndices.set(key, this.rules.length - 1);
    return this.rules.length - 1;
  }

  /** `{ IsTrue fired; stmt }` */
  private whenFired(fired: Local, stmt: Stmt): void {
    this.block(() => {
      this.emit({ kind: "IsTrue", loc: this.loc, operand: { kind: "local", local: fired } });
      this.emit(stmt);
    });
  }

  private planTemplate(template: Template): number {
    this.templates.push({
      parts: template.parts.map((part) =>
        part.kind === "Text" ? { kind: "text", text: part.text } : { kind: "hole", type: this.irType(part.expr.$type) },
      ),
    });
    return this.templates.length - 1;
  }

  /** Renders the rule's message (its holes read what the condition guarded) into a string local. */
  private planMessage(template: Template, index: number): Local {
    const holes = template.parts.flatMap((part) => (part.kind === "Hole" ? [this.planValue(part.expr)] : []));
    const target = this.newLocal({ kind: "string" });
    this.at(template.span);
    this.emit({ kind: "FormatMessage", loc: this.loc, template: index, holes, target });
    return target;
  }

  private planLimits(article: CheckedArticle): LimitDeclaration[] {
    return article.limits.map((limit) => ({
      name: limit.name,
      article: article.number,
      articleValue: article.numberValue,
      articleLabel: article.label,
      enforcement: article.enforcement,
      keyPath: [...limit.keyPath],
      count: limit.count,
      windowSeconds: limit.windowSeconds,
      remedy: limit.remedy,
    }));
  }

  // ---- conditions ----------------------------------------------------------------------------

  /** Emits statements that run to their end exactly when the bool expression `expr` is true. */
  private planCondition(expr: Expr): void {
    this.at(expr.span);
    switch (expr.kind) {
      case "Binary":
        return this.planBinaryCondition(expr);
      case "Not":
        return this.emit({ kind: "Not", loc: this.loc, body: this.capture(() => this.planCondition(expr.operand)) });
      case "Has":
        this.planValue(expr.path);
        return;
      case "Matches":
        return this.planMatches(expr.subject, expr.pattern.value);
      case "Call":
        if (this.planStringTest(expr)) return;
        break;
      case "Quantifier":
        return this.planQuantifier(expr);
      default:
        break;
    }
    this.emit({ kind: "IsTrue", loc: this.loc, operand: this.planValue(expr) });
  }

  private planBinaryCondition(expr: Extract<Expr, { kind: "Binary" }>): void {
    const { op, left, right } = expr;
    switch (op) {
      case "and":
        this.planCondition(left);
        this.planCondition(right);
        return;
      case "or":
        // a or b ≡ not (not a and not b): short-circuits, and b runs only when a is false.
        return this.emit({
          kind: "Not",
          loc: this.loc,
          body: this.capture(() => {
            this.emit({ kind: "Not", loc: this.loc, body: this.capture(() => this.planCondition(left)) });
            this.emit({ kind: "Not", loc: this.loc, body: this.capture(() => this.planCondition(right)) });
          }),
        });
      case "in":
        return this.planIn(left, right);
      case "+":
      case "-":
      case "*":
        throw new InternalCompilerError(`arithmetic \`${op}\` used as a condition`);
      default: {
        const type = this.operandTypeOf(left, right);
        const a = this.planValue(left, type);
        const b = this.planValue(right, type);
        this.at(expr.span);
        return this.emit({ kind: "Compare", loc: this.loc, op, type: compareType(type), a, b });
      }
    }
  }

  /** `x in collection` (membership) or `sub in s` (substring). */
  private planIn(element: Expr, container: Expr): void {
    if (container.$type?.kind === "string") {
      const needle = this.planValue(element);
      const subject = this.planValue(container);
      return this.emit({ kind: "StringTest", loc: this.loc, test: "contains", subject, needle });
    }
    const collectionType = this.irType(
      container.$type,
      element.$type === undefined ? undefined : { kind: "set", element: this.irType(element.$type) },
    );
    const elementValue = this.planValue(element, elementOf(collectionType));
    const collection = this.planValue(container, collectionType);
    this.emit({ kind: "Member", loc: this.loc, element: elementValue, collection });
  }

  /** A builtin planned as a test (registry `ir: "StringTest"`); false for the others. */
  private planStringTest(expr: CallExpr): boolean {
    const op = builtinOf(expr);
    if (op.ir !== "StringTest") return false;
    const [subject, needle] = expr.args.map((arg) => this.planValue(arg));
    this.emit({ kind: "StringTest", loc: this.loc, test: op.name, subject: subject!, needle: needle! });
    return true;
  }

  private planMatches(subject: Expr, pattern: string): void {
    const value = this.planValue(subject);
    this.emit({ kind: "Matches", loc: this.loc, subject: value, regex: this.regex(pattern) });
  }

  /**
   * `any x in c: body` → `flag = false; Scan c x { body; flag = true; Break 1 }; IsTrue flag`;
   * `all x in c: body` → `flag = true; Scan c x { Not { body }; flag = false; Break 1 }; IsTrue flag`.
   */
  private planQuantifier(expr: QuantifierExpr): void {
    const isAny = expr.quantifier === "any";
    const collectionType = this.irType(expr.collection.$type);
    const source = this.planValue(expr.collection, collectionType);
    const flag = this.newLocal({ kind: "bool" });
    const element = this.newLocal(elementOf(collectionType) ?? { kind: "string" });
    this.at(expr.span);
    this.emit({ kind: "Assign", loc: this.loc, source: { kind: "bool", value: !isAny }, target: flag });
    const outer = this.variables;
    this.variables = new Map(outer).set(expr.variable.name, element);
    const body = this.capture(() => {
      if (isAny) this.planCondition(expr.body);
      else this.emit({ kind: "Not", loc: this.loc, body: this.capture(() => this.planCondition(expr.body)) });
      this.emit({ kind: "Assign", loc: this.loc, source: { kind: "bool", value: isAny }, target: flag });
      this.emit({ kind: "Break", loc: this.loc, depth: 1 });
    });
    this.variables = outer;
    this.emit({ kind: "Scan", loc: this.loc, source, element, body });
    this.emit({ kind: "IsTrue", loc: this.loc, operand: { kind: "local", local: flag } });
  }

  // ---- values --------------------------------------------------------------------------------

  /**
   * Plans `expr` into an operand. `context` types the elements of an empty literal (`{}` has
   * elements of type `nothing`; its element type is unobservable, so the other operand's is used).
   */
  private planValue(expr: Expr, context?: IrType): Operand {
    this.at(expr.span);
    switch (expr.kind) {
      case "String":
        return { kind: "string", index: this.string(expr.value) };
      case "Number":
        return { kind: "number", value: finite(expr.value) };
      case "Bool":
        return { kind: "bool", value: expr.value };
      case "Name":
      case "FieldAccess":
        return this.planPath(expr);
      case "Collection":
        return this.planCollection(expr, context);
      case "Binary":
        if (expr.op === "+" || expr.op === "-" || expr.op === "*")
          return this.planArith(expr.op, expr.left, expr.right);
        return this.planBoolValue(expr);
      case "Call":
        return this.planCall(expr);
      case "Not":
      case "Has":
      case "Matches":
      case "Quantifier":
        return this.planBoolValue(expr);
      case "Null":
        throw new InternalCompilerError("`null` reached the planner");
    }
  }

  /** A builtin's value: a `Call` statement, or a test's truth as a bool. */
  private planCall(expr: CallExpr): Operand {
    const op = builtinOf(expr);
    if (op.ir !== "Call") return this.planBoolValue(expr);
    const arg = this.planValue(expr.args[0]!);
    const target = this.newLocal(this.irType(expr.$type));
    this.emit({ kind: "Call", loc: this.loc, func: op.name, arg, target });
    return { kind: "local", local: target };
  }

  /** A bool-valued expression as a value: `v = false; { condition; v = true }`. */
  private planBoolValue(expr: Expr): Operand {
    const target = this.newLocal({ kind: "bool" });
    this.emit({ kind: "Assign", loc: this.loc, source: { kind: "bool", value: false }, target });
    this.block(() => {
      this.planCondition(expr);
      this.emit({ kind: "Assign", loc: this.loc, source: { kind: "bool", value: true }, target });
    });
    return { kind: "local", local: target };
  }

  private planArith(op: "+" | "-" | "*", left: Expr, right: Expr): Operand {
    const a = this.planValue(left);
    const b = this.planValue(right);
    const target = this.newLocal({ kind: "number" });
    this.emit({ kind: "Arith", loc: this.loc, op, a, b, target });
    return { kind: "local", local: target };
  }

  /** A name or dotted path: an enum member, a `let`, a quantifier variable or an input field. */
  private planPath(expr: Extract<Expr, { kind: "Name" | "FieldAccess" }>): Operand {
    const ref = expr.$ref;
    if (ref?.kind === "enumMember") return this.enumOperand(ref.enumName, ref.member);
    if (ref?.kind === "let") return this.constant(this.c.lets.get(ref.name)!, this.irType(expr.$type));
    const segments = pathSegments(expr);
    if (segments === null) throw new InternalCompilerError(`\`${expr.kind}\` is not a readable path`);
    const [root, ...fields] = segments;
    const variable = this.variables.get(root!);
    if (variable !== undefined && fields.length === 0) return { kind: "local", local: variable };
    if (variable === undefined && isRequiredPath(this.c.schema, segments)) return this.planHoistedRead(segments, expr);
    const source = variable ?? 0;
    const path = variable === undefined ? segments : fields;
    const key = `${source}:${path.join(".")}`;
    let target = this.dots.get(key);
    if (target === undefined) {
      target = this.newLocal(this.irType(expr.$type));
      this.emit({ kind: "Dot", loc: this.loc, source, path, target });
      this.dots.set(key, target);
    }
    return { kind: "local", local: target };
  }

  /** A required input path, read once in the plan's prologue. */
  private planHoistedRead(path: string[], expr: Expr): Operand {
    const key = path.join(".");
    let target = this.hoisted.get(key);
    if (target === undefined) {
      target = this.newLocal(this.irType(expr.$type));
      this.prologue.push({ kind: "Dot", loc: this.loc, source: 0, path, target });
      this.hoisted.set(key, target);
    }
    return { kind: "local", local: target };
  }

  private planCollection(expr: Extract<Expr, { kind: "Collection" }>, context: IrType | undefined): Operand {
    const type = this.irType(expr.$type, context);
    const element = elementOf(type)!;
    const items = expr.elements.map((e) => this.planValue(e, element));
    if (items.every((item) => item.kind !== "local"))
      return this.collectionOperand({ collection: expr.collection, element, items });
    const target = this.newLocal(type);
    this.emit({ kind: "MakeCollection", loc: this.loc, collection: expr.collection, elements: items, target });
    return { kind: "local", local: target };
  }

  /** A folded `let` value as a constant operand of its type. */
  private constant(value: ConstValue, type: IrType): Operand {
    switch (type.kind) {
      case "string":
        return { kind: "string", index: this.string(value as string) };
      case "number":
        return { kind: "number", value: finite(value as number) };
      case "bool":
        return { kind: "bool", value: value as boolean };
      case "enum":
        return this.enumOperand(type.name, value as string);
      case "set":
      case "list":
        return this.collectionOperand({
          collection: type.kind,
          element: type.element,
          items: (value as ConstValue[]).map((v) => this.constant(v, type.element)),
        });
      case "record":
        throw new InternalCompilerError("a record-typed `let` reached the planner");
    }
  }

  // ---- static pools and locals ---------------------------------------------------------------

  private string(value: string): number {
    let index = this.stringIndex.get(value);
    if (index === undefined) {
      index = this.strings.push(value) - 1;
      this.stringIndex.set(value, index);
    }
    return index;
  }

  private collectionOperand(collection: IrCollection): Operand {
    const key = JSON.stringify(collection);
    let index = this.collectionIndex.get(key);
    if (index === undefined) {
      index = this.collections.push(collection) - 1;
      this.collectionIndex.set(key, index);
    }
    return { kind: "collection", index };
  }

  private regex(pattern: string): number {
    const known = this.regexIndex.get(pattern);
    if (known !== undefined) return known;
    const compiled = patternAutomaton(pattern);
    if (!compiled.ok) throw new InternalCompilerError(`the checker accepted regex /${pattern}/: ${compiled.message}`);
    this.regexes.push({ pattern, dfas: compiled.dfas });
    this.regexIndex.set(pattern, this.regexes.length - 1);
    return this.regexes.length - 1;
  }

  private enumOperand(enumName: string, member: string): Operand {
    const ordinal = this.c.enums.find((e) => e.name === enumName)?.members.indexOf(member) ?? -1;
    if (ordinal < 0) throw new InternalCompilerError(`unknown enum member \`${enumName}.${member}\``);
    return { kind: "enum", enum: enumName, ordinal };
  }

  private newLocal(type: IrType): Local {
    return this.locals.push(type) - 1;
  }

  /** The checker's type as an IR type; `nothing` (an empty literal's element) takes `context`. */
  private irType(type: Type | undefined, context?: IrType): IrType {
    switch (type?.kind) {
      case "string":
      case "number":
      case "bool":
        return { kind: type.kind };
      case "enum":
        return { kind: "enum", name: type.name, members: type.members, ordered: type.ordered };
      case "set":
      case "list":
        return {
          kind: type.kind,
          element: this.irType(type.element, context === undefined ? undefined : elementOf(context)),
        };
      case "record":
        return {
          kind: "record",
          fields: type.fields.map((f) => ({ name: f.name, optional: f.optional, type: this.irType(f.type) })),
        };
      case "empty":
        return context ?? { kind: "string" };
      default:
        throw new InternalCompilerError(`an expression of type \`${type?.kind ?? "unknown"}\` reached the planner`);
    }
  }

  /** The more informative type of two compared operands (an empty literal's is not). */
  private operandTypeOf(left: Expr, right: Expr): IrType {
    const informative = (e: Expr): boolean =>
      e.$type !== undefined &&
      e.$type.kind !== "empty" &&
      !(isCollectionType(e.$type) && e.$type.element.kind === "empty");
    if (informative(left) || !informative(right))
      return this.irType(left.$type, informative(right) ? this.irType(right.$type) : undefined);
    return this.irType(right.$type);
  }

  // ---- statement lists -----------------------------------------------------------------------

  private emit(stmt: Stmt): void {
    this.current.push(stmt);
  }

  /**
   * Runs `fill` against a fresh statement list and returns it. Reads made inside may not have
   * happened once the nested body is left, so the `Dot` cache is restored afterwards.
   */
  private capture(fill: () => void): Stmt[] {
    const outer = { current: this.current, loc: this.loc, dots: this.dots };
    this.current = [];
    this.dots = new Map(outer.dots);
    fill();
    const body = this.current;
    ({ current: this.current, loc: this.loc, dots: this.dots } = outer);
    return body;
  }

  private block(fill: () => void): void {
    const loc = this.loc;
    this.emit({ kind: "Block", loc, body: this.capture(fill) });
  }

  private at(span: Span): void {
    let file = this.files.indexOf(span.file);
    if (file < 0) file = this.files.push(span.file) - 1;
    this.loc = { file, line: span.start.line, col: span.start.column };
  }

  private atFileStart(): void {
    const header = this.c.files.find((f) => f.declarations.some((d) => d.kind === "Header"));
    if (header !== undefined) this.at(header.span);
  }
}

/** True when no field along `path` (from the input root) is optional. */
function isRequiredPath(schema: RecordSchema, path: readonly string[]): boolean {
  let record: SchemaType = schema;
  for (const name of path) {
    const field: SchemaField | undefined =
      record.kind === "record" ? record.fields.find((f) => f.name === name) : undefined;
    if (field === undefined || field.optional) return false;
    record = field.type;
  }
  return true;
}

/** Rule codes are unique per kind; the permit objects of `permitsInSourceOrder` are matched by code. */
function ruleKey(rule: AnyRule): string {
  return `${rule.kind}:${rule.code}`;
}

/** The registry entry of a checked call (the checker rejected unknown functions). */
function builtinOf(expr: CallExpr): Operation {
  const op = operation(expr.callee.name);
  if (op === undefined) throw new InternalCompilerError(`unknown function \`${expr.callee.name}\` reached the planner`);
  return op;
}

function isForbid(rule: AnyRule): rule is CheckedForbid {
  return rule.kind === "forbid";
}

function isCollectionType(type: Type): type is Extract<Type, { kind: "set" | "list" }> {
  return type.kind === "set" || type.kind === "list";
}

function elementOf(type: IrType): IrType | undefined {
  return type.kind === "set" || type.kind === "list" ? type.element : undefined;
}

function compareType(type: IrType): CompareType {
  switch (type.kind) {
    case "set":
    case "list":
      return "collection";
    default:
      return type.kind;
  }
}

/** The IR is JSON: a constant must be a finite double (the checker only folds finite `let`s). */
function finite(value: number): number {
  if (!Number.isFinite(value))
    throw new InternalCompilerError(`the non-finite constant \`${value}\` reached the planner`);
  return value;
}
