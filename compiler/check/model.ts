// The checked constitution: what the checker hands to the interpreter and the IR planner.
// Expressions are the AST's own nodes, annotated in place with `$type` and `$ref`.

import type {
  ArticleDecl,
  Expr,
  FileNode,
  ForbidRule,
  LimitDecl,
  PermitRule,
  Template,
  TestDecl,
} from "../ast/nodes.js";
import type { RecordSchema } from "../../contract/schema.js";
import type { Enforcement, Remedy } from "../../contract/verdict.js";

/** A compile-time value: the folded result of a `let` or a literal. Sets and lists are arrays. */
export type ConstValue = string | number | boolean | null | ConstValue[];

export interface CheckedEnum {
  name: string;
  members: string[];
  ordered: boolean;
}

export interface CheckedForbid {
  kind: "forbid";
  code: string;
  /** 1-based position among the forbid/permit rules of its article. */
  position: number;
  when: Expr;
  remedy: Remedy;
  appeal: string | null;
  message: Template | null;
  node: ForbidRule;
}

export interface CheckedPermit {
  kind: "permit";
  /** The declared code, or `<article number as written>.<position>` for an unnamed permit. */
  code: string;
  position: number;
  when: Expr;
  node: PermitRule;
}

export interface CheckedLimit {
  name: string;
  /** The dotted key path, e.g. ["agent", "id"]. */
  keyPath: string[];
  count: number;
  windowSeconds: 1 | 60 | 3600;
  remedy: Remedy;
  node: LimitDecl;
}

export interface CheckedArticle {
  number: string;
  numberValue: number;
  title: string;
  /** `Article_VII_Data_Protection` */
  label: string;
  enforcement: Enforcement;
  rules: (CheckedForbid | CheckedPermit)[];
  limits: CheckedLimit[];
  node: ArticleDecl;
}

export interface CheckedRegistrationRule {
  kind: "namespace" | "grant";
  value: string;
  when: Expr;
}

export interface CheckedConstitution {
  name: string;
  version: string;
  /** `sha256:<hex>` over the non-test source files (see docs/language.md). */
  digest: string;
  schema: RecordSchema;
  enums: CheckedEnum[];
  lets: Map<string, ConstValue>;
  /** Sorted by article number (ties impossible: duplicates are a compile error). */
  articles: CheckedArticle[];
  /** Every permit in source order (files in path order), as reported in `permits`. */
  permitsInSourceOrder: CheckedPermit[];
  registration: CheckedRegistrationRule[];
  files: FileNode[];
  tests: TestDecl[];
}
