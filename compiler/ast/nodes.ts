// The abstract syntax tree of a constitution file.
//
// Every node carries a `span`. Fields whose name starts with `$` are filled in by later stages
// (the checker's `$type` and `$ref`); `astEqual` ignores spans and `$` fields, so two trees that
// differ only in layout or annotations compare equal (parse ∘ format ≡ id is tested that way).

import type { Span } from "../diagnostics/span.js";
import type { Type } from "./types.js";

export interface Node {
  readonly kind: string;
  span: Span;
}

export interface Identifier extends Node {
  kind: "Identifier";
  name: string;
}

export interface Comment extends Node {
  kind: "Comment";
  /** The comment's full source text, `//…` or `/*…*\/`. */
  text: string;
}

/** One parsed `.constitution` or `_test.constitution` file. */
export interface FileNode extends Node {
  kind: "File";
  path: string;
  declarations: Declaration[];
  /** Every comment of the file in source order; the formatter re-attaches them by position. */
  comments: Comment[];
}

export type Declaration = HeaderDecl | EnumDecl | SchemaDecl | LetDecl | ArticleDecl | RegistrationDecl | TestDecl;

/** `constitution musgo version "1.2.0"` */
export interface HeaderDecl extends Node {
  kind: "Header";
  name: Identifier;
  version: StringLiteral;
}

/** `enum Clearance { public < internal }` (ordered) or `enum T { a, b }` (unordered). */
export interface EnumDecl extends Node {
  kind: "Enum";
  name: Identifier;
  ordered: boolean;
  members: Identifier[];
}

export interface SchemaDecl extends Node {
  kind: "Schema";
  fields: FieldDecl[];
}

export interface FieldDecl extends Node {
  kind: "Field";
  name: Identifier;
  optional: boolean;
  type: TypeExpr;
}

export type TypeExpr = NamedTypeExpr | CollectionTypeExpr | RecordTypeExpr;

/** `string`, `number`, `bool` or an enum name. */
export interface NamedTypeExpr extends Node {
  kind: "NamedType";
  name: Identifier;
}

export interface CollectionTypeExpr extends Node {
  kind: "CollectionType";
  collection: "set" | "list";
  element: TypeExpr;
}

export interface RecordTypeExpr extends Node {
  kind: "RecordType";
  fields: FieldDecl[];
}

export interface LetDecl extends Node {
  kind: "Let";
  name: Identifier;
  value: Expr;
}

export interface ArticleNumber extends Node {
  kind: "ArticleNumber";
  /** As written: `VII` or `7`. */
  text: string;
  /** Numeric value used for ordering (VII → 7). 0 when the numeral is invalid (a diagnostic says so). */
  value: number;
}

export type Enforcement = "mandatory" | "advisory";

export interface ArticleDecl extends Node {
  kind: "Article";
  number: ArticleNumber;
  title: StringLiteral;
  /** Absent when the source does not say; the default is `mandatory`. */
  enforcement?: Enforcement;
  items: ArticleItem[];
}

export type ArticleItem = ForbidRule | PermitRule | LimitDecl;

/** A remedy name as written; the checker validates it against the remedy list. */
export interface RemedyRef extends Node {
  kind: "Remedy";
  name: string;
}

export interface ForbidRule extends Node {
  kind: "Forbid";
  code: Identifier;
  when: Expr;
  remedy?: RemedyRef;
  appeal?: StringLiteral;
  message?: Template;
}

export interface PermitRule extends Node {
  kind: "Permit";
  code?: Identifier;
  when: Expr;
}

/** `limit api_calls per agent.id to 100 per minute remedy quarantine` */
export interface LimitDecl extends Node {
  kind: "Limit";
  name: Identifier;
  key: Expr;
  count: NumberLiteral;
  window: "second" | "minute" | "hour";
  remedy?: RemedyRef;
}

export interface RegistrationDecl extends Node {
  kind: "Registration";
  items: RegistrationItem[];
}

export interface RegistrationItem extends Node {
  kind: "Namespace" | "Grant";
  value: StringLiteral;
  when: Expr;
}

/** `message "agent {agent.id} may not read {action.target}"`, split into text and holes. */
export interface Template extends Node {
  kind: "Template";
  /** The literal exactly as written, quotes included, for faithful re-printing. */
  raw: string;
  parts: TemplatePart[];
}

export type TemplatePart = { kind: "Text"; text: string } | { kind: "Hole"; expr: Expr };

export interface TestDecl extends Node {
  kind: "Test";
  name: StringLiteral;
  input: JsonValue;
  expect: Expectation;
}

export type Expectation = OutcomeExpectation | VerdictExpectation | RegistrationExpectation;

/** `expect permit` / `expect deny [code] [action_taken "…"] [article N]` (docs/language.md, "Tests"). */
export interface OutcomeExpectation extends Node {
  kind: "ExpectOutcome";
  outcome: "permit" | "deny";
  code?: Identifier;
  actionTaken?: StringLiteral;
  article?: ArticleNumber;
}

/** Extension: `expect verdict { … }`: every listed top-level field equals the verdict's. */
export interface VerdictExpectation extends Node {
  kind: "ExpectVerdict";
  fields: JsonValue;
}

/** Extension: `expect registration { "namespace": …, "permissions": [...] }` (exact). */
export interface RegistrationExpectation extends Node {
  kind: "ExpectRegistration";
  result: JsonValue;
}

/** A JSON value written inside a test block, with spans for error reporting. */
export type JsonValue =
  | { kind: "JsonObject"; span: Span; entries: { key: StringLiteral; value: JsonValue }[] }
  | { kind: "JsonArray"; span: Span; elements: JsonValue[] }
  | { kind: "JsonString"; span: Span; value: string }
  | { kind: "JsonNumber"; span: Span; value: number; raw: string }
  | { kind: "JsonBool"; span: Span; value: boolean }
  | { kind: "JsonNull"; span: Span };

// ---------------------------------------------------------------------------------------------
// Expressions

export type Expr =
  | NameExpr
  | FieldExpr
  | StringLiteral
  | NumberLiteral
  | BoolLiteral
  | NullLiteral
  | CollectionLiteral
  | BinaryExpr
  | NotExpr
  | HasExpr
  | MatchesExpr
  | CallExpr
  | QuantifierExpr;

/** Filled in by the checker on every expression node. */
export interface Typed {
  $type?: Type;
}

/** What a bare name or a dotted path denotes, resolved by the checker. */
export type Resolution =
  | { kind: "input" } // a root schema field (`agent`), or a field below one
  | { kind: "let"; name: string }
  | { kind: "enumMember"; enumName: string; member: string }
  | { kind: "enumType"; enumName: string } // the `Clearance` in `Clearance.secret`
  | { kind: "variable"; name: string }; // a quantifier variable

export interface NameExpr extends Node, Typed {
  kind: "Name";
  name: string;
  $ref?: Resolution;
}

/** `object.field`; `$ref` is set when the whole path denotes an enum member (`Clearance.secret`). */
export interface FieldExpr extends Node, Typed {
  kind: "FieldAccess";
  object: Expr;
  field: Identifier;
  $ref?: Resolution;
}

export interface StringLiteral extends Node, Typed {
  kind: "String";
  value: string;
}

export interface NumberLiteral extends Node, Typed {
  kind: "Number";
  /** Negative literals (`-12`) are folded into the literal by the parser. */
  value: number;
  raw: string;
}

export interface BoolLiteral extends Node, Typed {
  kind: "Bool";
  value: boolean;
}

export interface NullLiteral extends Node, Typed {
  kind: "Null";
}

/** `{a, b}` (set) or `[a, b]` (list). */
export interface CollectionLiteral extends Node, Typed {
  kind: "Collection";
  collection: "set" | "list";
  elements: Expr[];
}

export type BinaryOp = "or" | "and" | "==" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "+" | "-" | "*";

export interface BinaryExpr extends Node, Typed {
  kind: "Binary";
  op: BinaryOp;
  left: Expr;
  right: Expr;
}

export interface NotExpr extends Node, Typed {
  kind: "Not";
  operand: Expr;
}

/** `has path`: the path must name an optional field (or lie below one). */
export interface HasExpr extends Node, Typed {
  kind: "Has";
  path: Expr;
}

export interface MatchesExpr extends Node, Typed {
  kind: "Matches";
  subject: Expr;
  pattern: StringLiteral;
}

export interface CallExpr extends Node, Typed {
  kind: "Call";
  callee: Identifier;
  args: Expr[];
}

export interface QuantifierExpr extends Node, Typed {
  kind: "Quantifier";
  quantifier: "any" | "all";
  variable: Identifier;
  collection: Expr;
  body: Expr;
}
