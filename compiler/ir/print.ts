// A stable, human-readable dump of the IR (`musgo build --emit ir` prints the JSON; this is the text
// form used by golden tests and debugging). One statement per line, nested bodies indented, each
// line ending in its source location `@file:line:col`.

import type { IrPlan, IrPolicy, IrRegex, IrRule, Loc, Operand, Stmt } from "./ir.js";
import { typeToString } from "../ast/types.js";

export function printPolicy(policy: IrPolicy): string {
  return new IrPrinter(policy).print();
}

class IrPrinter {
  private readonly lines: string[] = [];

  constructor(private readonly policy: IrPolicy) {}

  print(): string {
    const { constitution: c, static: s } = this.policy;
    this.lines.push(
      `ir ${this.policy.irVersion} constitution ${c.name} version ${JSON.stringify(c.version)} ${c.digest}`,
    );
    this.section(
      "files",
      s.files.map((f) => JSON.stringify(f)),
    );
    this.section(
      "strings",
      s.strings.map((str) => JSON.stringify(str)),
    );
    this.section(
      "collections",
      s.collections.map(
        (col) =>
          `${col.collection}<${typeToString(col.element)}> [${col.items.map((i) => this.operand(i)).join(", ")}]`,
      ),
    );
    const sizes = (dfas: IrRegex["dfas"]): string => dfas.map((dfa) => `${dfa.stateCount}x${dfa.classCount}`).join(",");
    this.section(
      "regexes",
      s.regexes.map((r) => `/${r.pattern}/ dfas=${sizes(r.dfas)}`),
    );
    this.section(
      "templates",
      s.templates.map((t) =>
        JSON.stringify(
          t.parts.map((part) => (part.kind === "text" ? part.text : `{${typeToString(part.type)}}`)).join(""),
        ),
      ),
    );
    this.section(
      "rules",
      s.rules.map((r) => this.rule(r)),
    );
    this.section(
      "limits",
      this.policy.limits.map(
        (l) =>
          `${l.name} per ${l.keyPath.join(".")} to ${l.count} per ${l.windowSeconds}s remedy ${l.remedy} article ${l.article} ${l.enforcement}`,
      ),
    );
    for (const plan of this.policy.plans) this.plan(plan);
    return `${this.lines.join("\n")}\n`;
  }

  private section(title: string, entries: string[]): void {
    this.lines.push(`${title}:`);
    entries.forEach((entry, i) => this.lines.push(`  ${i} ${entry}`));
  }

  private rule(r: IrRule): string {
    const parts = [r.kind, r.code, `article ${r.article} (${r.articleLabel})`, `#${r.position}`, r.enforcement];
    if (r.kind === "forbid")
      parts.push(
        `remedy ${r.remedy} (${r.actionTaken})`,
        `appeal ${JSON.stringify(r.appeal)}`,
        `template ${r.template ?? "none"}`,
      );
    return `${parts.join(" ")} ${this.loc(r.loc)}`;
  }

  private plan(plan: IrPlan): void {
    this.lines.push(`plan ${plan.id} ${plan.name}:`);
    this.lines.push(
      `  locals: ${plan.locals.map((t, i) => `l${i}: ${i === 0 ? "input" : typeToString(t)}`).join(", ")}`,
    );
    this.body(plan.body, 1);
  }

  private body(stmts: readonly Stmt[], depth: number): void {
    for (const stmt of stmts) {
      const pad = "  ".repeat(depth);
      this.lines.push(`${pad}${this.stmt(stmt)}  ${this.loc(stmt.loc)}`);
      if (stmt.kind === "Block" || stmt.kind === "Not" || stmt.kind === "Scan") {
        this.body(stmt.body, depth + 1);
        this.lines.push(`${pad}}`);
      }
    }
  }

  private stmt(s: Stmt): string {
    const o = (x: Operand): string => this.operand(x);
    switch (s.kind) {
      case "ValidateInput":
        return `ValidateInput fields=${s.fields === null ? "*" : `[${s.fields.join(", ")}]`} error=l${s.error}`;
      case "Dot":
        return `l${s.target} = Dot l${s.source}.${s.path.join(".")}`;
      case "Assign":
        return `l${s.target} = Assign ${o(s.source)}`;
      case "Arith":
        return `l${s.target} = Arith ${o(s.a)} ${s.op} ${o(s.b)}`;
      case "Compare":
        return `Compare ${s.type} ${o(s.a)} ${s.op} ${o(s.b)}`;
      case "IsTrue":
        return `IsTrue ${o(s.operand)}`;
      case "Member":
        return `Member ${o(s.element)} in ${o(s.collection)}`;
      case "StringTest":
        return `StringTest ${s.test} ${o(s.subject)} ${o(s.needle)}`;
      case "Matches":
        return `Matches ${o(s.subject)} r${s.regex} /${this.policy.static.regexes[s.regex]?.pattern ?? "?"}/`;
      case "Call":
        return `l${s.target} = Call ${s.func}(${o(s.arg)})`;
      case "MakeCollection":
        return `l${s.target} = MakeCollection ${s.collection} [${s.elements.map(o).join(", ")}]`;
      case "Block":
        return "Block {";
      case "Not":
        return "Not {";
      case "Break":
        return `Break ${s.depth}`;
      case "Scan":
        return `Scan l${s.element} in ${o(s.source)} {`;
      case "FormatMessage":
        return `l${s.target} = FormatMessage t${s.template}(${s.holes.map(o).join(", ")})`;
      case "AppendViolation":
        return `AppendViolation ${this.ruleRef(s.rule)} message=${s.message === null ? "null" : `l${s.message}`}`;
      case "AppendPermit":
        return `AppendPermit ${this.ruleRef(s.rule)}`;
      case "ReturnDecision":
        return `ReturnDecision ${s.outcome}${s.rule === null ? "" : ` ${this.ruleRef(s.rule)}`}`;
      case "ReturnInvalidInput":
        return `ReturnInvalidInput l${s.error}`;
      case "SetNamespace":
        return `SetNamespace ${JSON.stringify(this.policy.static.strings[s.namespace])}`;
      case "AddPermission":
        return `AddPermission ${JSON.stringify(this.policy.static.strings[s.permission])}`;
      case "ReturnRegistration":
        return "ReturnRegistration";
    }
  }

  private ruleRef(index: number): string {
    return `rule ${index} (${this.policy.static.rules[index]?.code ?? "?"})`;
  }

  private operand(x: Operand): string {
    switch (x.kind) {
      case "local":
        return `l${x.local}`;
      case "string":
        return JSON.stringify(this.policy.static.strings[x.index]);
      case "number":
      case "bool":
        return String(x.value);
      case "enum":
        return `${x.enum}.${this.policy.enums.find((e) => e.name === x.enum)?.members[x.ordinal] ?? `#${x.ordinal}`}`;
      case "collection":
        return `c${x.index}`;
    }
  }

  private loc(loc: Loc): string {
    return `@${loc.file}:${loc.line}:${loc.col}`;
  }
}
