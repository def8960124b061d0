// Prints declarations and their items in the canonical layout (docs/grammar.md, "Layout").

import type {
  ArticleDecl,
  ArticleItem,
  Declaration,
  Expectation,
  FieldDecl,
  ForbidRule,
  LimitDecl,
  PermitRule,
  RecordTypeExpr,
  RegistrationDecl,
  RegistrationItem,
  SchemaDecl,
  TestDecl,
  TypeExpr,
} from "../ast/nodes.js";
import type { CommentPlacement } from "./comments.js";
import { condition } from "./condition.js";
import { printExpr, printString } from "./expr.js";
import { printJson } from "./json.js";
import { blockHasComments, INDENT, MAX_WIDTH, printBlock } from "./layout.js";

export class DeclarationPrinter {
  constructor(private readonly placement: CommentPlacement) {}

  declaration = (decl: Declaration, indent: string): string[] => {
    switch (decl.kind) {
      case "Header":
        return [`${indent}constitution ${decl.name.name} version ${printString(decl.version.value)}`];
      case "Enum":
        return [
          `${indent}enum ${decl.name.name} { ${decl.members.map((m) => m.name).join(decl.ordered ? " < " : ", ")} }`,
        ];
      case "Let":
        return condition(`${indent}let ${decl.name.name} = `, decl.value);
      case "Schema":
        return this.schema(decl, indent);
      case "Article":
        return this.article(decl, indent);
      case "Registration":
        return this.registration(decl, indent);
      case "Test":
        return this.test(decl, indent);
    }
  };

  /** Opens `header {`, prints the items one level deeper, closes with `}`; `header {}` when empty. */
  private braced(header: string, indent: string, body: string[]): string[] {
    return body.length === 0 ? [`${header} {}`] : [`${header} {`, ...body, `${indent}}`];
  }

  private schema(decl: SchemaDecl, indent: string): string[] {
    const body = printBlock(
      { items: decl.fields, block: decl, indent: indent + INDENT, print: this.field },
      this.placement,
    );
    return this.braced(`${indent}schema`, indent, body);
  }

  private field = (field: FieldDecl, indent: string): string[] => {
    const lines = this.type(field.type, indent);
    lines[0] = `${indent}${field.name.name}${field.optional ? "?" : ""}: ${lines[0]}`;
    lines[lines.length - 1] += ",";
    return lines;
  };

  /** The type's lines; the first carries no indentation (it follows `name: `). */
  private type(type: TypeExpr, indent: string): string[] {
    switch (type.kind) {
      case "NamedType":
        return [type.name.name];
      case "CollectionType": {
        const lines = this.type(type.element, indent);
        lines[0] = `${type.collection}<${lines[0]}`;
        lines[lines.length - 1] += ">";
        return lines;
      }
      case "RecordType":
        return this.record(type, indent);
    }
  }

  /** A record with one plain field (and no comments) stays inline: `{ text: string }`. */
  private record(record: RecordTypeExpr, indent: string): string[] {
    const only = record.fields[0];
    const inline =
      record.fields.length <= 1 &&
      !blockHasComments(record, record.fields, this.placement) &&
      (only === undefined || !containsRecord(only.type));
    if (inline) return [only === undefined ? "{}" : `{ ${this.field(only, "")[0]!.slice(0, -1)} }`];
    const body = printBlock(
      { items: record.fields, block: record, indent: indent + INDENT, print: this.field },
      this.placement,
    );
    return ["{", ...body, `${indent}}`];
  }

  private article(decl: ArticleDecl, indent: string): string[] {
    const enforcement = decl.enforcement === undefined ? "" : ` enforcement ${decl.enforcement}`;
    const header = `${indent}article ${decl.number.text} ${printString(decl.title.value)}${enforcement}`;
    const body = printBlock(
      { items: decl.items, block: decl, indent: indent + INDENT, print: this.articleItem },
      this.placement,
    );
    return this.braced(header, indent, body);
  }

  private articleItem = (item: ArticleItem, indent: string): string[] => {
    switch (item.kind) {
      case "Forbid":
        return this.forbid(item, indent);
      case "Permit":
        return this.permit(item, indent);
      case "Limit":
        return [`${indent}${limitText(item)}`];
    }
  };

  private forbid(rule: ForbidRule, indent: string): string[] {
    const clauseIndent = indent + INDENT;
    const lines = [`${indent}forbid ${rule.code.name}`, ...condition(`${clauseIndent}when `, rule.when)];
    if (rule.remedy) lines.push(`${clauseIndent}remedy ${rule.remedy.name}`);
    if (rule.appeal) lines.push(`${clauseIndent}appeal ${printString(rule.appeal.value)}`);
    if (rule.message) lines.push(`${clauseIndent}message ${rule.message.raw}`);
    return lines;
  }

  /**
   * `permit code when …` on one line when it fits and the source wrote it on one line; otherwise
   * `when` goes on the next line, as in a forbid.
   */
  private permit(rule: PermitRule, indent: string): string[] {
    const header = `${indent}permit${rule.code ? ` ${rule.code.name}` : ""}`;
    const oneLine = condition(`${header} when `, rule.when);
    const writtenOnOneLine = rule.when.span.start.line === rule.span.start.line;
    if (writtenOnOneLine && oneLine.length === 1 && oneLine[0]!.length <= MAX_WIDTH) return oneLine;
    return [header, ...condition(`${indent}${INDENT}when `, rule.when)];
  }

  /** Consecutive items of one kind align their `when`, as in the example of docs/language.md, "Registration". */
  private registration(decl: RegistrationDecl, indent: string): string[] {
    const inner = indent + INDENT;
    const width = new Map<RegistrationItem, number>();
    for (const run of runsOfSameKind(decl.items)) {
      const longest = Math.max(...run.map((item) => registrationHead(item).length));
      for (const item of run) width.set(item, longest);
    }
    const print = (item: RegistrationItem, at: string): string[] =>
      condition(`${at}${registrationHead(item).padEnd(width.get(item)!)} when `, item.when);
    return this.braced(
      `${indent}registration`,
      indent,
      printBlock({ items: decl.items, block: decl, indent: inner, print }, this.placement),
    );
  }

  private test(decl: TestDecl, indent: string): string[] {
    const inner = indent + INDENT;
    const [first, ...rest] = printJson(decl.input, inner, inner.length + "input ".length, "", true);
    return [
      `${indent}test ${printString(decl.name.value)} {`,
      `${inner}input ${first}`,
      ...rest,
      ...expectation(decl.expect, inner),
      `${indent}}`,
    ];
  }
}

function containsRecord(type: TypeExpr): boolean {
  return type.kind === "RecordType" || (type.kind === "CollectionType" && containsRecord(type.element));
}

function limitText(limit: LimitDecl): string {
  const remedy = limit.remedy ? ` remedy ${limit.remedy.name}` : "";
  return `limit ${limit.name.name} per ${printExpr(limit.key)} to ${limit.count.raw} per ${limit.window}${remedy}`;
}

function registrationHead(item: RegistrationItem): string {
  return `${item.kind === "Namespace" ? "namespace" : "grant"} ${printString(item.value.value)}`;
}

function runsOfSameKind(items: readonly RegistrationItem[]): RegistrationItem[][] {
  const runs: RegistrationItem[][] = [];
  for (const item of items) {
    const run = runs[runs.length - 1];
    if (run !== undefined && run[0]!.kind === item.kind) run.push(item);
    else runs.push([item]);
  }
  return runs;
}

function expectation(expect: Expectation, indent: string): string[] {
  switch (expect.kind) {
    case "ExpectVerdict":
    case "ExpectRegistration": {
      const head = `${indent}expect ${expect.kind === "ExpectVerdict" ? "verdict" : "registration"} `;
      const [first, ...rest] = printJson(
        expect.kind === "ExpectVerdict" ? expect.fields : expect.result,
        indent,
        head.length,
        "",
      );
      return [head + first, ...rest];
    }
    case "ExpectOutcome": {
      const parts = [`${indent}expect ${expect.outcome}`];
      if (expect.code) parts.push(expect.code.name);
      if (expect.actionTaken) parts.push(`action_taken ${printString(expect.actionTaken.value)}`);
      if (expect.article) parts.push(`article ${expect.article.text}`);
      return [parts.join(" ")];
    }
  }
}
