// fast-check generators of random well-formed syntax trees: every tree they produce can be printed
// and parsed back (the formatter's round-trip properties rely on that). Spans are a fixed dummy;
// compare trees with `astEqual`, which ignores spans. Names avoid reserved and contextual keywords.

import fc from "fast-check";
import type {
  ArticleDecl,
  ArticleItem,
  ArticleNumber,
  BinaryOp,
  Declaration,
  EnumDecl,
  Expectation,
  Expr,
  FieldDecl,
  FileNode,
  Identifier,
  JsonValue,
  NumberLiteral,
  RegistrationItem,
  RemedyRef,
  StringLiteral,
  Template,
  TemplatePart,
  TestDecl,
  TypeExpr,
} from "../../compiler/ast/nodes.js";
import type { Span } from "../../compiler/diagnostics/span.js";
import { toRoman } from "../../compiler/syntax/article-number.js";

export const GENERATED_PATH = "generated.constitution";
const at = { offset: 0, line: 1, column: 1 };
export const NO_SPAN: Span = { file: GENERATED_PATH, start: at, end: at };

const NAMES = [
  "a",
  "b",
  "agent",
  "action",
  "clearance",
  "x1",
  "_y",
  "inputs",
  "settings",
  "Clearance",
  "to_do",
  "denying",
];
const UNSIGNED_RAWS = ["0", "7", "12", "3.5", "1e3", "2.5E-3", "10000.5", "100"];
const RAWS = [...UNSIGNED_RAWS, "-12", "-0.5", "-1e3"];

export const nameArb = fc.constantFrom(...NAMES);
export const identifierArb: fc.Arbitrary<Identifier> = nameArb.map((name) => ({
  kind: "Identifier",
  name,
  span: NO_SPAN,
}));

/** Any text, including non-ASCII, control characters and quotes. */
export const textArb = fc.oneof(fc.string({ maxLength: 12 }), fc.string({ unit: "binary", maxLength: 6 }));
export const stringLiteralArb: fc.Arbitrary<StringLiteral> = textArb.map((value) => ({
  kind: "String",
  value,
  span: NO_SPAN,
}));

function numberLiteral(raws: string[]): fc.Arbitrary<NumberLiteral> {
  return fc.constantFrom(...raws).map((raw) => ({ kind: "Number", value: Number(raw), raw, span: NO_SPAN }));
}

/** `a`, `a.b`, `a.b.c` as Name / FieldAccess nodes. */
export const pathArb: fc.Arbitrary<Expr> = fc
  .array(identifierArb, { minLength: 1, maxLength: 3 })
  .map(([first, ...rest]) =>
    rest.reduce<Expr>((object, field) => ({ kind: "FieldAccess", object, field, span: NO_SPAN }), {
      kind: "Name",
      name: first!.name,
      span: NO_SPAN,
    }),
  );

const leafExprArb: fc.Arbitrary<Expr> = fc.oneof(
  nameArb.map((name): Expr => ({ kind: "Name", name, span: NO_SPAN })),
  stringLiteralArb,
  numberLiteral(RAWS),
  fc.boolean().map((value): Expr => ({ kind: "Bool", value, span: NO_SPAN })),
  fc.constant<Expr>({ kind: "Null", span: NO_SPAN }),
  pathArb,
);

const BINARY_OPS = ["or", "and", "==", "!=", "<", "<=", ">", ">=", "in", "+", "-", "*"] as const;

export const exprArb: fc.Arbitrary<Expr> = fc.letrec<{ expr: Expr }>((tie) => {
  const sub = tie("expr");
  return {
    expr: fc.oneof(
      { maxDepth: 4, depthSize: "small", withCrossShrink: true },
      leafExprArb,
      fc
        .record({ op: fc.constantFrom(...BINARY_OPS), left: sub, right: sub })
        .map((b): Expr => ({ kind: "Binary", ...b, span: NO_SPAN })),
      sub.map((operand): Expr => ({ kind: "Not", operand, span: NO_SPAN })),
      pathArb.map((path): Expr => ({ kind: "Has", path, span: NO_SPAN })),
      fc
        .record({ subject: sub, pattern: stringLiteralArb })
        .map((m): Expr => ({ kind: "Matches", ...m, span: NO_SPAN })),
      fc
        .record({ callee: identifierArb, args: fc.array(sub, { maxLength: 3 }) })
        .map((c): Expr => ({ kind: "Call", ...c, span: NO_SPAN })),
      fc
        .record({
          collection: fc.constantFrom("set" as const, "list" as const),
          elements: fc.array(sub, { maxLength: 3 }),
        })
        .map((c): Expr => ({ kind: "Collection", ...c, span: NO_SPAN })),
      fc.record({ object: sub, field: identifierArb }).map((f): Expr => ({ kind: "FieldAccess", ...f, span: NO_SPAN })),
      fc
        .record({
          quantifier: fc.constantFrom("any" as const, "all" as const),
          variable: identifierArb,
          collection: sub,
          body: sub,
        })
        .map((q): Expr => ({ kind: "Quantifier", ...q, span: NO_SPAN })),
    ),
  };
}).expr;

const LONG_PATHS = [
  "agent.clearance_level",
  "action.target_classification",
  "agent.department",
  "action.tool.name",
  "output.meta.lang",
];
const SHORT_VALUES = ["secret", "research_and_development", "shell", "public", "en"];

const stringOf = (value: string): Expr => ({ kind: "String", value, span: NO_SPAN });

function path(text: string): Expr {
  const [first, ...rest] = text.split(".");
  const root: Expr = { kind: "Name", name: first!, span: NO_SPAN };
  return rest.reduce<Expr>(
    (object, name) => ({
      kind: "FieldAccess",
      object,
      field: { kind: "Identifier", name, span: NO_SPAN },
      span: NO_SPAN,
    }),
    root,
  );
}

function binary(op: BinaryOp, left: Expr, right: Expr): Expr {
  return { kind: "Binary", op, left, right, span: NO_SPAN };
}

const longPathArb = fc.constantFrom(...LONG_PATHS).map(path);
const shortValueArb = fc.constantFrom(...SHORT_VALUES).map(stringOf);
const andOrArb = fc.constantFrom("and" as const, "or" as const);

/** A comparison, `has` or membership test of 18 to 60 columns: the unbreakable leaves of a long condition. */
const conditionAtomArb: fc.Arbitrary<Expr> = fc.oneof(
  fc
    .tuple(fc.constantFrom<BinaryOp>("==", "!=", "<", ">="), longPathArb, shortValueArb)
    .map(([op, left, right]) => binary(op, left, right)),
  longPathArb.map((p): Expr => ({ kind: "Has", path: p, span: NO_SPAN })),
  shortValueArb.map((value) => binary("in", value, path("agent.tags"))),
);

function chainOf(op: "and" | "or", operands: Expr[]): Expr {
  return operands.slice(1).reduce((left, right) => binary(op, left, right), operands[0]!);
}

/**
 * Parts of long conditions: atoms or (nested up to three deep) chains, `not`s and quantifiers.
 * Every `and`/`or` in them is a point where the formatter can break the line.
 */
const longConditionArb: fc.Arbitrary<Expr> = fc.letrec<{ condition: Expr }>((tie) => ({
  condition: fc.oneof(
    { maxDepth: 3, depthSize: "small", withCrossShrink: true },
    conditionAtomArb,
    fc
      .tuple(andOrArb, fc.array(tie("condition"), { minLength: 2, maxLength: 5 }))
      .map(([op, operands]) => chainOf(op, operands)),
    tie("condition").map((operand): Expr => ({ kind: "Not", operand, span: NO_SPAN })),
    fc
      .record({
        quantifier: fc.constantFrom("any" as const, "all" as const),
        variable: identifierArb,
        collection: longPathArb,
        body: tie("condition"),
      })
      .map((q): Expr => ({ kind: "Quantifier", ...q, span: NO_SPAN })),
  ),
})).condition;

/** A condition too long for one line (over 100 columns): an `and`/`or` chain of five to eight parts. */
export const longChainArb: fc.Arbitrary<Expr> = fc
  .tuple(andOrArb, fc.array(fc.oneof(conditionAtomArb, longConditionArb), { minLength: 5, maxLength: 8 }))
  .map(([op, operands]) => chainOf(op, operands));

/** Where a `when` or `let` value is generated: any expression, or a condition too long for one line. */
const conditionArb: fc.Arbitrary<Expr> = fc.oneof(exprArb, longChainArb);

/** A message template whose `raw` is consistent with its parts (braces in text doubled). */
export const templateArb: fc.Arbitrary<Template> = fc
  .array(
    fc.oneof(
      textArb.filter((t) => t !== "").map((text): TemplatePart => ({ kind: "Text", text })),
      pathArb.map((expr): TemplatePart => ({ kind: "Hole", expr })),
    ),
    { maxLength: 4 },
  )
  .map((raw) => {
    const parts: TemplatePart[] = [];
    for (const part of raw) {
      const last = parts[parts.length - 1];
      if (part.kind === "Text" && last?.kind === "Text") last.text += part.text;
      else parts.push(part.kind === "Text" ? { ...part } : part);
    }
    const source = parts
      .map((p) => (p.kind === "Text" ? p.text.replace(/[{}]/g, (b) => b + b) : `{${pathText(p.expr)}}`))
      .join("");
    return { kind: "Template", raw: JSON.stringify(source), parts, span: NO_SPAN };
  });

function pathText(expr: Expr): string {
  return expr.kind === "FieldAccess"
    ? `${pathText(expr.object)}.${expr.field.name}`
    : expr.kind === "Name"
      ? expr.name
      : "";
}

const remedyArb: fc.Arbitrary<RemedyRef> = fc
  .constantFrom("none", "log", "warn", "suspend", "custom")
  .map((name) => ({ kind: "Remedy", name, span: NO_SPAN }));

export const articleNumberArb: fc.Arbitrary<ArticleNumber> = fc
  .tuple(fc.integer({ min: 1, max: 3999 }), fc.boolean())
  .map(([value, roman]) => ({
    kind: "ArticleNumber",
    text: roman ? toRoman(value) : String(value),
    value,
    span: NO_SPAN,
  }));

/** Builds an object, leaving out the optional keys whose value is undefined. */
function withOptional<T extends object>(base: T, optional: Record<string, unknown>): T {
  return Object.assign(base, Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)));
}

const articleItemArb: fc.Arbitrary<ArticleItem> = fc.oneof(
  fc
    .record({
      code: identifierArb,
      when: conditionArb,
      remedy: fc.option(remedyArb, { nil: undefined }),
      appeal: fc.option(stringLiteralArb, { nil: undefined }),
      message: fc.option(templateArb, { nil: undefined }),
    })
    .map(({ code, when, ...optional }): ArticleItem =>
      withOptional({ kind: "Forbid", code, when, span: NO_SPAN }, optional),
    ),
  fc
    .record({ code: fc.option(identifierArb, { nil: undefined }), when: conditionArb })
    .map(({ code, when }): ArticleItem => withOptional({ kind: "Permit", when, span: NO_SPAN }, { code })),
  fc
    .record({
      name: identifierArb,
      key: pathArb,
      count: numberLiteral(UNSIGNED_RAWS),
      window: fc.constantFrom("second" as const, "minute" as const, "hour" as const),
      remedy: fc.option(remedyArb, { nil: undefined }),
    })
    .map(({ remedy, ...limit }): ArticleItem => withOptional({ kind: "Limit", ...limit, span: NO_SPAN }, { remedy })),
);

const typeArb: fc.Arbitrary<TypeExpr> = fc.letrec<{ type: TypeExpr; field: FieldDecl }>((tie) => ({
  type: fc.oneof(
    { maxDepth: 3, depthSize: "small" },
    fc.constantFrom("string", "number", "bool", "Clearance").map((name): TypeExpr => ({
      kind: "NamedType",
      name: { kind: "Identifier", name, span: NO_SPAN },
      span: NO_SPAN,
    })),
    fc
      .record({ collection: fc.constantFrom("set" as const, "list" as const), element: tie("type") })
      .map((c): TypeExpr => ({ kind: "CollectionType", ...c, span: NO_SPAN })),
    fc.array(tie("field"), { maxLength: 3 }).map((fields): TypeExpr => ({ kind: "RecordType", fields, span: NO_SPAN })),
  ),
  field: fc
    .record({ name: identifierArb, optional: fc.boolean(), type: tie("type") })
    .map((f): FieldDecl => ({ kind: "Field", ...f, span: NO_SPAN })),
})).type;

const fieldArb: fc.Arbitrary<FieldDecl> = fc
  .record({ name: identifierArb, optional: fc.boolean(), type: typeArb })
  .map((f) => ({ kind: "Field", ...f, span: NO_SPAN }));

const jsonNumberRaws = fc.constantFrom(...RAWS);
export const jsonValueArb: fc.Arbitrary<JsonValue> = fc.letrec<{ value: JsonValue }>((tie) => ({
  value: fc.oneof(
    { maxDepth: 3, depthSize: "small" },
    textArb.map((value): JsonValue => ({ kind: "JsonString", value, span: NO_SPAN })),
    jsonNumberRaws.map((raw): JsonValue => ({ kind: "JsonNumber", value: Number(raw), raw, span: NO_SPAN })),
    fc.boolean().map((value): JsonValue => ({ kind: "JsonBool", value, span: NO_SPAN })),
    fc.constant<JsonValue>({ kind: "JsonNull", span: NO_SPAN }),
    fc
      .array(tie("value"), { maxLength: 3 })
      .map((elements): JsonValue => ({ kind: "JsonArray", elements, span: NO_SPAN })),
    jsonObject(tie("value")),
  ),
})).value;

function jsonObject(value: fc.Arbitrary<JsonValue>): fc.Arbitrary<JsonValue> {
  return fc
    .uniqueArray(fc.tuple(textArb, value), { maxLength: 4, selector: ([key]) => key })
    .map((entries): JsonValue => ({
      kind: "JsonObject",
      entries: entries.map(([key, v]) => ({ key: { kind: "String", value: key, span: NO_SPAN }, value: v })),
      span: NO_SPAN,
    }));
}

const expectationArb: fc.Arbitrary<Expectation> = fc.oneof(
  fc.constant<Expectation>({ kind: "ExpectOutcome", outcome: "permit", span: NO_SPAN }),
  fc
    .record({
      code: fc.option(identifierArb, { nil: undefined }),
      actionTaken: fc.option(stringLiteralArb, { nil: undefined }),
      article: fc.option(articleNumberArb, { nil: undefined }),
    })
    .map((optional): Expectation => withOptional({ kind: "ExpectOutcome", outcome: "deny", span: NO_SPAN }, optional)),
  jsonObject(jsonValueArb).map((fields): Expectation => ({ kind: "ExpectVerdict", fields, span: NO_SPAN })),
  jsonObject(jsonValueArb).map((result): Expectation => ({ kind: "ExpectRegistration", result, span: NO_SPAN })),
);

const registrationItemArb: fc.Arbitrary<RegistrationItem> = fc
  .record({
    kind: fc.constantFrom("Namespace" as const, "Grant" as const),
    value: stringLiteralArb,
    when: conditionArb,
  })
  .map((item) => ({ ...item, span: NO_SPAN }));

export const declarationArb: fc.Arbitrary<Declaration> = fc.oneof(
  fc
    .record({ name: identifierArb, version: stringLiteralArb })
    .map((h): Declaration => ({ kind: "Header", ...h, span: NO_SPAN })),
  fc
    .record({
      name: identifierArb,
      ordered: fc.boolean(),
      members: fc.array(identifierArb, { minLength: 1, maxLength: 4 }),
    })
    .map((e): EnumDecl => ({ kind: "Enum", ...e, ordered: e.ordered && e.members.length > 1, span: NO_SPAN })),
  fc.array(fieldArb, { maxLength: 4 }).map((fields): Declaration => ({ kind: "Schema", fields, span: NO_SPAN })),
  fc
    .record({ name: identifierArb, value: conditionArb })
    .map((l): Declaration => ({ kind: "Let", ...l, span: NO_SPAN })),
  fc
    .record({
      number: articleNumberArb,
      title: stringLiteralArb,
      enforcement: fc.option(fc.constantFrom("mandatory" as const, "advisory" as const), { nil: undefined }),
      items: fc.array(articleItemArb, { maxLength: 3 }),
    })
    .map(({ enforcement, ...article }): ArticleDecl =>
      withOptional({ kind: "Article", ...article, span: NO_SPAN }, { enforcement }),
    ),
  fc
    .array(registrationItemArb, { maxLength: 4 })
    .map((items): Declaration => ({ kind: "Registration", items, span: NO_SPAN })),
  fc
    .record({ name: stringLiteralArb, input: jsonObject(jsonValueArb), expect: expectationArb })
    .map((t): TestDecl => ({ kind: "Test", ...t, span: NO_SPAN })),
);

export const fileArb: fc.Arbitrary<FileNode> = fc
  .array(declarationArb, { maxLength: 5 })
  .map((declarations) => ({ kind: "File", path: GENERATED_PATH, declarations, comments: [], span: NO_SPAN }));
