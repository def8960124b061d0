// CST → AST for declarations, rules and test blocks. The checks that need the whole construct
// (enum separators, Roman numerals, repeated clauses, duplicate JSON keys) report here.

import type { CstNode, IToken } from "chevrotain";
import type {
  ArticleDecl,
  ArticleItem,
  ArticleNumber,
  Comment,
  Declaration,
  EnumDecl,
  Expectation,
  FieldDecl,
  FileNode,
  ForbidRule,
  JsonValue,
  LimitDecl,
  OutcomeExpectation,
  PermitRule,
  RegistrationItem,
  RemedyRef,
  TestDecl,
  TypeExpr,
} from "../ast/nodes.js";
import type { Span } from "../diagnostics/span.js";
import { readArticleNumber } from "./article-number.js";
import { Incomplete, type CstReader } from "./cst-reader.js";
import { parseTemplate } from "./template.js";
import { buildExpr, buildPath } from "./to-ast-expr.js";
import { Kw, NumberLiteral, StringLiteral } from "./tokens.js";

export function buildFile(cst: CstNode, path: string, textLength: number, comments: Comment[], r: CstReader): FileNode {
  const declarations = keepComplete(r.elements(cst, "declaration"), (d) => buildDeclaration(r.asNode(d), r));
  return { kind: "File", path, declarations, comments, span: r.lines.span(0, textLength) };
}

/** Builds each part, dropping those that error recovery left incomplete (their error is reported). */
function keepComplete<T, R>(parts: readonly T[], build: (part: T) => R): R[] {
  const built: R[] = [];
  for (const part of parts) {
    try {
      built.push(build(part));
    } catch (e) {
      if (!(e instanceof Incomplete)) throw e;
    }
  }
  return built;
}

function buildDeclaration(node: CstNode, r: CstReader): Declaration {
  const [kind, children] = Object.entries(node.children)[0] ?? [];
  const inner = r.asNode(children?.[0]);
  switch (kind) {
    case "header":
      return {
        kind: "Header",
        name: r.identifier(r.name(inner, "name")),
        version: r.stringLiteral(r.token(inner, "version")),
        span: r.nodeSpan(inner),
      };
    case "enumDecl":
      return buildEnum(inner, r);
    case "schemaDecl":
      return { kind: "Schema", fields: buildRecordFields(r.node(inner, "recordBody"), r), span: r.nodeSpan(inner) };
    case "letDecl":
      return {
        kind: "Let",
        name: r.identifier(r.name(inner, "name")),
        value: buildExpr(r.node(inner, "expr"), r),
        span: r.nodeSpan(inner),
      };
    case "article":
      return buildArticle(inner, r);
    case "registration":
      return {
        kind: "Registration",
        items: keepComplete(r.elements(inner, "registrationItem"), (i) => buildRegistrationItem(r.asNode(i), r)),
        span: r.nodeSpan(inner),
      };
    case "testDecl":
      return buildTest(inner, r);
    default:
      throw new Incomplete();
  }
}

function buildEnum(node: CstNode, r: CstReader): EnumDecl {
  const separators = r.tokens(node, "separator");
  const first = separators[0];
  const mixed = separators.find((s) => s.image !== first?.image);
  if (first && mixed) {
    r.report(
      "MG1021",
      r.tokenSpan(mixed),
      `enum mixes \`${first.image}\` and \`${mixed.image}\` separators`,
      "separate members with `<` for an ordered enum or with `,` for an unordered one",
    );
  }
  return {
    kind: "Enum",
    name: r.identifier(r.name(node, "name")),
    ordered: first?.image === "<",
    members: r.names(node, "member").map((m) => r.identifier(m)),
    span: r.nodeSpan(node),
  };
}

function buildRecordFields(node: CstNode, r: CstReader): FieldDecl[] {
  return r.nodes(node, "field").map((field) => ({
    kind: "Field",
    name: r.identifier(r.name(field, "name")),
    optional: r.has(field, "Question"),
    type: buildType(r.node(field, "typeExpr"), r),
    span: r.nodeSpan(field),
  }));
}

function buildType(node: CstNode, r: CstReader): TypeExpr {
  const span = r.nodeSpan(node);
  const name = r.optionalToken(node, "name");
  if (name) return { kind: "NamedType", name: r.identifier(name), span };
  const record = r.optionalNode(node, "recordBody");
  if (record) return { kind: "RecordType", fields: buildRecordFields(record, r), span };
  return {
    kind: "CollectionType",
    collection: r.token(node, "collection").image === "set" ? "set" : "list",
    element: buildType(r.node(node, "typeExpr"), r),
    span,
  };
}

function buildArticle(node: CstNode, r: CstReader): ArticleDecl {
  const level = r.optionalToken(node, "level");
  const itemNodes = ["forbid", "permit", "limit"]
    .flatMap((kind) => r.elements(node, kind))
    .filter(
      (item): item is CstNode => !("image" in item) && !item.recoveredNode && !Number.isNaN(item.location?.startOffset),
    )
    .sort((a, b) => a.location!.startOffset - b.location!.startOffset);
  const article: ArticleDecl = {
    kind: "Article",
    number: buildArticleNumber(r.node(node, "articleNumber"), r),
    title: r.stringLiteral(r.token(node, "title")),
    items: keepComplete(itemNodes, (item) => buildArticleItem(item, r)),
    span: r.nodeSpan(node),
  };
  if (level) article.enforcement = level.tokenType === Kw.advisory ? "advisory" : "mandatory";
  return article;
}

function buildArticleNumber(node: CstNode, r: CstReader): ArticleNumber {
  const token = r.token(node, "number");
  const reading = readArticleNumber(token.image);
  const span = r.tokenSpan(token);
  if (!reading.ok) r.report("MG1020", span, `invalid article number \`${token.image}\``, reading.hint);
  return { kind: "ArticleNumber", text: token.image, value: reading.ok ? reading.value : 0, span };
}

function buildArticleItem(node: CstNode, r: CstReader): ArticleItem {
  if (node.name === "forbid") return buildForbid(node, r);
  if (node.name === "permit") return buildPermit(node, r);
  return buildLimit(node, r);
}

/** A clause written more than once is reported at its second occurrence. */
function atMostOnce<T>(found: T[], keyword: string, span: (item: T) => Span, r: CstReader): T | undefined {
  if (found.length > 1)
    r.report(
      "MG1010",
      span(found[1]!),
      `unexpected token \`${keyword}\``,
      `the \`${keyword}\` clause may appear only once`,
    );
  return found[0];
}

function buildForbid(node: CstNode, r: CstReader): ForbidRule {
  const rule: ForbidRule = {
    kind: "Forbid",
    code: r.identifier(r.name(node, "code")),
    when: buildExpr(r.node(node, "expr"), r),
    span: r.nodeSpan(node),
  };
  const remedy = atMostOnce(r.nodes(node, "remedyClause"), "remedy", (n) => r.nodeSpan(n), r);
  if (remedy) rule.remedy = buildRemedy(remedy, r);
  atMostOnce(r.tokens(node, Kw.appeal.name), "appeal", (t) => r.tokenSpan(t), r);
  const appeal = r.optionalToken(node, "appeal");
  if (appeal) rule.appeal = r.stringLiteral(appeal);
  atMostOnce(r.tokens(node, Kw.message.name), "message", (t) => r.tokenSpan(t), r);
  const message = r.optionalToken(node, "message");
  if (message) rule.message = parseTemplate(message, r);
  return rule;
}

function buildRemedy(node: CstNode, r: CstReader): RemedyRef {
  const name = r.token(node, "name");
  return { kind: "Remedy", name: name.image, span: r.tokenSpan(name) };
}

function buildPermit(node: CstNode, r: CstReader): PermitRule {
  const rule: PermitRule = { kind: "Permit", when: buildExpr(r.node(node, "expr"), r), span: r.nodeSpan(node) };
  const code = r.optionalName(node, "code");
  if (code) rule.code = r.identifier(code);
  return rule;
}

function buildLimit(node: CstNode, r: CstReader): LimitDecl {
  const count = r.token(node, "count");
  const limit: LimitDecl = {
    kind: "Limit",
    name: r.identifier(r.name(node, "name")),
    key: buildPath(r.node(node, "path"), r),
    count: { kind: "Number", value: Number(count.image), raw: count.image, span: r.tokenSpan(count) },
    window: r.token(node, "window").image as LimitDecl["window"],
    span: r.nodeSpan(node),
  };
  const remedy = r.optionalNode(node, "remedyClause");
  if (remedy) limit.remedy = buildRemedy(remedy, r);
  return limit;
}

function buildRegistrationItem(node: CstNode, r: CstReader): RegistrationItem {
  return {
    kind: r.token(node, "kind").tokenType === Kw.namespace ? "Namespace" : "Grant",
    value: r.stringLiteral(r.token(node, "value")),
    when: buildExpr(r.node(node, "expr"), r),
    span: r.nodeSpan(node),
  };
}

function buildTest(node: CstNode, r: CstReader): TestDecl {
  return {
    kind: "Test",
    name: r.stringLiteral(r.token(node, "name")),
    input: buildJson(r.node(node, "jsonObject"), r),
    expect: buildExpectation(r.node(node, "expectation"), r),
    span: r.nodeSpan(node),
  };
}

function buildExpectation(node: CstNode, r: CstReader): Expectation {
  const outcome = r.token(node, "outcome");
  const span = r.nodeSpan(node);
  if (outcome.tokenType === Kw.permit) return { kind: "ExpectOutcome", outcome: "permit", span };
  if (outcome.tokenType === Kw.registration)
    return { kind: "ExpectRegistration", result: buildJson(r.node(node, "jsonObject"), r), span };
  if (outcome.image === "verdict")
    return { kind: "ExpectVerdict", fields: buildJson(r.node(node, "jsonObject"), r), span };
  const expectation: OutcomeExpectation = { kind: "ExpectOutcome", outcome: "deny", span };
  const code = r.optionalToken(node, "code");
  if (code) expectation.code = r.identifier(code);
  const actionTaken = atMostOnce(r.tokens(node, "actionTaken"), "action_taken", (t) => r.tokenSpan(t), r);
  if (actionTaken) expectation.actionTaken = r.stringLiteral(actionTaken);
  const article = atMostOnce(r.nodes(node, "articleNumber"), "article", (n) => r.nodeSpan(n), r);
  if (article) expectation.article = buildArticleNumber(article, r);
  return expectation;
}

function buildJson(node: CstNode, r: CstReader): JsonValue {
  const span = r.nodeSpan(node);
  if (node.name === "jsonObject") return buildJsonObject(node, r);
  if (node.name === "jsonArray")
    return { kind: "JsonArray", elements: r.nodes(node, "jsonValue").map((v) => buildJson(v, r)), span };
  const nested = r.optionalNode(node, "jsonObject") ?? r.optionalNode(node, "jsonArray");
  if (nested) return buildJson(nested, r);
  return buildJsonLiteral(r.token(node, "literal"), r.has(node, "Minus"), span, r);
}

function buildJsonObject(node: CstNode, r: CstReader): JsonValue {
  const keys = r.tokens(node, "key").map((k) => r.stringLiteral(k));
  const values = r.nodes(node, "jsonValue");
  if (keys.length !== values.length) throw new Incomplete();
  const seen = new Set<string>();
  for (const key of keys) {
    if (seen.has(key.value))
      r.report(
        "MG1023",
        key.span,
        `duplicate key \`${key.value}\` in test input`,
        "each key may appear once in a JSON object",
      );
    seen.add(key.value);
  }
  return {
    kind: "JsonObject",
    entries: keys.map((key, i) => ({ key, value: buildJson(values[i]!, r) })),
    span: r.nodeSpan(node),
  };
}

function buildJsonLiteral(token: IToken, negative: boolean, span: Span, r: CstReader): JsonValue {
  if (token.tokenType === NumberLiteral) {
    const raw = negative ? `-${token.image}` : token.image;
    return { kind: "JsonNumber", value: Number(raw), raw, span };
  }
  if (token.tokenType === StringLiteral) return { kind: "JsonString", value: r.stringLiteral(token).value, span };
  if (token.tokenType === Kw.null) return { kind: "JsonNull", span };
  return { kind: "JsonBool", value: token.tokenType === Kw.true, span };
}
