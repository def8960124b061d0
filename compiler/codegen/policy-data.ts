// Lays out every constant a policy's generated code refers to (docs/wasm.md, "Verdict layout"):
// string and collection operands, type tables, DFA tables, message pieces, the verdict layout
// table, one verdict header per outcome and one prebuilt violation object per forbid.

import type { IrCollection, IrPolicy, IrRule, Operand } from "../ir/ir.js";
import { encodeAutomaton } from "../regex/automaton.js";
import type { SchemaType, RecordSchema } from "../../contract/schema.js";
import { INVALID_INPUT, NO_APPLICABLE_PERMIT, ACTION_TAKEN } from "../../contract/verdict.js";
import { StaticData } from "./static-data.js";
import { LAYOUT_KEYS, TAG_ARRAY, TAG_SET, VIOLATION_KEYS } from "../../contract/abi/layout.js";
import { InternalCompilerError } from "../diagnostics/internal-error.js";

export type EnumType = Extract<SchemaType, { kind: "enum" }>;

export class PolicyData {
  readonly data: StaticData;
  readonly layout: number;
  /** The verdict's `constitution` object. */
  readonly constitutionObject: number;
  readonly trueText: number;
  readonly falseText: number;

  constructor(
    readonly policy: IrPolicy,
    base: number,
  ) {
    this.data = new StaticData(base);
    const { constitution } = policy;
    const constitutionObject = (this.constitutionObject = this.data.object([
      ["name", this.data.string(constitution.name)],
      ["version", this.data.string(constitution.version)],
      ["digest", this.data.string(constitution.digest)],
    ]));
    this.layout = this.data.words([
      ...LAYOUT_KEYS.map((key) => this.data.string(key)),
      constitutionObject,
      this.data.null(),
    ]);
    this.trueText = this.data.utf8("true")[0];
    this.falseText = this.data.utf8("false")[0];
  }

  string(index: number): number {
    return this.data.string(this.policy.static.strings[index]!);
  }

  enumType(name: string): EnumType {
    const found = this.policy.enums.find((e) => e.name === name);
    if (found === undefined) throw new InternalCompilerError(`unknown enum \`${name}\``);
    return { kind: "enum", name: found.name, members: found.members, ordered: found.ordered };
  }

  /** The member name string values of an enum, as a table of u32 addresses. */
  enumMembers(type: EnumType): number {
    return this.data.words(type.members.map((m) => this.data.string(m)));
  }

  collectionType(index: number): SchemaType {
    const c = this.policy.static.collections[index]!;
    return { kind: c.collection, element: c.element };
  }

  collection(index: number): number {
    return this.collectionValue(this.policy.static.collections[index]!);
  }

  private collectionValue(c: IrCollection): number {
    return this.data.collection(
      c.collection === "set" ? TAG_SET : TAG_ARRAY,
      c.items.map((item) => this.constantValue(item)),
    );
  }

  /** A constant operand as a value cell (enum members by name, as input JSON spells them). */
  constantValue(operand: Operand): number {
    switch (operand.kind) {
      case "string":
        return this.string(operand.index);
      case "number":
        return this.data.number(operand.value);
      case "bool":
        return this.data.bool(operand.value);
      case "enum":
        return this.data.string(this.enumType(operand.enum).members[operand.ordinal]!);
      case "collection":
        return this.collection(operand.index);
      case "local":
        throw new InternalCompilerError("a local is not a constant");
    }
  }

  /** The schema restricted to the named root fields (all when null), as a type table. */
  schema(fields: string[] | null): number {
    const schema: RecordSchema =
      fields === null
        ? this.policy.schema
        : { kind: "record", fields: this.policy.schema.fields.filter((f) => fields.includes(f.name)) };
    return this.data.type(schema);
  }

  regex(index: number): number {
    return this.data.raw(encodeAutomaton(this.policy.static.regexes[index]!.dfas));
  }

  /** The static address of every schema field name's UTF-8 bytes (shared with lookups and type tables). */
  fieldNames(): Record<string, number> {
    const names: Record<string, number> = {};
    const visit = (type: SchemaType): void => {
      if (type.kind === "set" || type.kind === "list") visit(type.element);
      if (type.kind !== "record") return;
      for (const field of type.fields) {
        names[field.name] = this.data.utf8(field.name)[0];
        visit(field.type);
      }
    };
    visit(this.policy.schema);
    return names;
  }

  rule(index: number): IrRule {
    return this.policy.static.rules[index]!;
  }

  /** The prebuilt violation object of a forbid (`message` null; the runtime copies it to set one). */
  violation(index: number): number {
    const rule = this.rule(index);
    const d = this.data;
    const values = {
      article: d.string(rule.article),
      code: d.string(rule.code),
      remedy: d.string(rule.remedy),
      enforcement: d.string(rule.enforcement),
      message: d.null(),
    };
    return d.object(VIOLATION_KEYS.map((key) => [key, values[key]]));
  }

  /** The five leading verdict fields for an outcome, as a table of value addresses. */
  header(outcome: "deny" | "permit" | "default_deny" | "invalid_input", ruleIndex: number | null): number {
    const d = this.data;
    const none = d.string(ACTION_TAKEN.none);
    if (outcome === "permit") return d.words([d.bool(true), d.null(), d.null(), none, d.null()]);
    if (outcome === "default_deny")
      return d.words([d.bool(false), d.string(NO_APPLICABLE_PERMIT), d.null(), none, d.null()]);
    if (outcome === "invalid_input") return d.words([d.bool(false), d.string(INVALID_INPUT), d.null(), none, d.null()]);
    if (ruleIndex === null) throw new InternalCompilerError("a deny needs its determining rule");
    const rule = this.rule(ruleIndex);
    return d.words([
      d.bool(false),
      d.string(rule.code),
      d.string(rule.articleLabel),
      d.string(rule.actionTaken),
      rule.appeal === null ? d.null() : d.string(rule.appeal),
    ]);
  }
}
