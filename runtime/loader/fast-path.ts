// The slot boundary of the Node fast path (docs/wasm.md, "Fast path"). For each plan with a slot
// form (`musgo.module` `fastPath`, compiler/codegen/fast-path.ts), a walker generated at load time
// from the schema checks the input and writes the fields the plan reads into their fixed slots in
// module memory: numbers, bools and enum ordinals as they are, strings as interned string cells,
// collections and records (only those the plan reads) as value cells. One call,
// `musgo_eval_slots`, runs the plan without field lookups or validation and leaves a compact result
// record, from which the result object is assembled out of shared, frozen static values.
//
// The walker only ever says "valid" for inputs the module's validation accepts; anything it is not
// sure of (invalid inputs, non-JSON values, non-finite numbers) returns false and the caller takes
// the value path (input-writer.ts + musgo_eval_value), so error strings stay the module's own.

import type { RecordSchema, SchemaType } from "../../contract/schema.js";
import { expectedName, jsonKind } from "../../contract/validate-input.js";
import type { FastPathMetadata, SlotField, SlotPlanLayout } from "../../contract/abi/sections.js";
import {
  CELL_LENGTH,
  CELL_PAYLOAD,
  MESSAGE_MARKER,
  RESULT_FALLBACK,
  RESULT_RECORD,
  SLOT,
  resultPermits,
} from "../../contract/abi/layout.js";
import {
  invalidRegistration,
  makeRegistration,
  makeVerdict,
  type ConstitutionId,
  type Verdict,
  type VerdictOutcome,
  type Violation,
} from "../../contract/verdict.js";
import type { InputWriter, Prepared } from "./input-writer.js";
import type { MemoryViews } from "./memory-views.js";
import type { ResultReader } from "./result-reader.js";

export interface SlotPlan {
  /** Checks `input` and fills the slots (true); a string: the validation error; false: take the value path. */
  walk(input: unknown): boolean | string;
  /** The fail-closed result for the validation error `error`. */
  invalid(error: string): unknown;
  /** The result object from the result record at `addr`; null: take the value path. */
  read(addr: number): unknown;
  readonly result: number;
}

/** Validity as the module judges the cells input-writer.ts writes, conservatively (false when unsure). */
function validValue(type: SchemaType, value: unknown): boolean {
  switch (type.kind) {
    case "string":
      return typeof value === "string";
    case "number":
      return typeof value === "number" && value - value === 0;
    case "bool":
      return typeof value === "boolean";
    case "enum":
      return typeof value === "string" && type.members.includes(value);
    case "set":
    case "list": {
      if (!Array.isArray(value)) return false;
      for (let i = 0; i < value.length; i++) if (!validValue(type.element, value[i])) return false;
      return true;
    }
    case "record": {
      if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
      const record = value as Record<string, unknown>;
      for (const field of type.fields) {
        const child =
          field.name in Object.prototype && !Object.prototype.hasOwnProperty.call(record, field.name)
            ? undefined
            : record[field.name];
        if (child === undefined || child === null) {
          if (!field.optional) return false;
        } else if (!validValue(field.type, child)) return false;
      }
      return true;
    }
  }
}

/** true: valid, slots written; a string: the validation error; false: take the value path. */
type Walker = (input: unknown) => boolean | string;

/** The JSON kind of a value as validation names it; "" when JSON.stringify would not keep it as it is. */
function jsonKindOf(value: unknown): string {
  const kind = jsonKind(value);
  if (kind === "undefined") return "";
  return kind === "number" && (value as number) - (value as number) !== 0 ? "" : kind;
}

/** What the generated walker sees: the module's memory views, the input writer, then its tables. */
const WALKER_SCOPE = [
  "views",
  "writer",
  "enumOrdinals",
  "preparedTypes",
  "validValue",
  "elementTypes",
  "jsonKindOf",
  "slotValues",
] as const;

/** u32 index of a slot's presence word and of its value word (contract/abi/layout.ts `SLOT`). */
const slotPresenceWord = (slot: SlotField): number => (slot.addr + SLOT.presence) >> 2;
const slotValueWord = (slot: SlotField): number => (slot.addr + SLOT.value) >> 2;

/** Names the walker's variables after the input path they hold (`field_agent_id`), unique within one walker. */
function variableNames(): (role: string, path: readonly string[]) => string {
  const taken = new Set<string>(WALKER_SCOPE);
  return (role, path) => {
    const base = [role, ...path].join("_").replace(/[^A-Za-z0-9_$]/g, "_");
    let name = base;
    for (let n = 2; taken.has(name); n++) name = `${base}_${n}`;
    taken.add(name);
    return name;
  };
}

/** Generates the walker of `schema` for `slots` (JavaScript source, compiled once per module). */
function compileWalker(
  schema: RecordSchema,
  slots: readonly SlotField[],
  writer: InputWriter,
  views: MemoryViews,
  values: unknown[],
  kept: ReadonlySet<number>,
): Walker | null {
  const enumOrdinals: Map<string, number>[] = [];
  const preparedTypes: Prepared[] = [];
  const elementTypes: SchemaType[] = [];
  const lines: string[] = [];
  const variable = variableNames();
  const slotAt = new Map(slots.map((s) => [s.path.join("\u0000"), s]));
  const under = (path: readonly string[]) =>
    slots.filter((s) => s.path.length >= path.length && path.every((step, i) => s.path[i] === step));
  const quote = (text: string) => JSON.stringify(text);

  const writeSlot = (slot: SlotField, value: string, type: SchemaType): void => {
    const valueWord = slotValueWord(slot);
    lines.push(`views.u32[${slotPresenceWord(slot)}] = 1;`);
    const index = slots.indexOf(slot);
    if (kept.has(index)) lines.push(`slotValues[${index}] = ${value};`);
    if (!slot.value) return;
    switch (type.kind) {
      case "number":
        lines.push(`views.f64[${(slot.addr + SLOT.value) >> 3}] = ${value} + 0;`);
        return;
      case "bool":
        lines.push(`views.u32[${valueWord}] = ${value} ? 1 : 0;`);
        return;
      case "enum":
        return; // written by check()
      case "string":
        // The call may grow memory (and replace views.u32): call first, then index the current view.
        lines.push(`{ const cell = writer.stringCell(${value}); views.u32[${valueWord}] = cell; }`);
        return;
      default:
        if ((type.kind === "set" || type.kind === "list") && type.element.kind === "string") {
          lines.push(`{ const cell = writer.stringArray(${value}); views.u32[${valueWord}] = cell; }`);
          return;
        }
        preparedTypes.push(writer.prepareType(type));
        const prepared = `preparedTypes[${preparedTypes.length - 1}]`;
        lines.push(`{ const cell = writer.valueCell(${value}, ${prepared}); views.u32[${valueWord}] = cell; }`);
    }
  };

  /** The statement that rejects `value` at `path` as not of `type` (`expected …, got …`), or defers when its kind is not JSON. */
  const mismatch = (type: SchemaType, value: string, path: string) =>
    `return jsonKindOf(${value}) === "" ? false : ${quote(`${path}: expected ${expectedName(type)}, got `)} + jsonKindOf(${value});`;

  /** Emits the type check of `value` (a variable); records recurse. */
  const check = (type: SchemaType, value: string, path: string[]): void => {
    const slot = slotAt.get(path.join("\u0000"));
    const at = path.join(".");
    switch (type.kind) {
      case "string":
        lines.push(`if (typeof ${value} !== "string") ${mismatch(type, value, at)}`);
        break;
      case "number":
        // Non-finite numbers are not JSON (JSON.stringify writes null): the value path judges them.
        lines.push(
          `if (typeof ${value} !== "number") ${mismatch(type, value, at)}`,
          `if (${value} - ${value} !== 0) return false;`,
        );
        break;
      case "bool":
        lines.push(`if (typeof ${value} !== "boolean") ${mismatch(type, value, at)}`);
        break;
      case "enum": {
        enumOrdinals.push(new Map(type.members.map((m, i) => [m, i])));
        const ordinal = variable("ordinal", path);
        lines.push(`if (typeof ${value} !== "string") ${mismatch(type, value, at)}`);
        lines.push(
          `const ${ordinal} = enumOrdinals[${enumOrdinals.length - 1}].get(${value});`,
          `if (${ordinal} === undefined) return ${quote(`${at}: not a member of ${type.name}`)};`,
        );
        if (slot !== undefined) lines.push(`views.u32[${slotValueWord(slot)}] = ${ordinal};`);
        break;
      }
      case "set":
      case "list": {
        lines.push(`if (!Array.isArray(${value})) ${mismatch(type, value, at)}`);
        const index = variable("index", path);
        if (type.element.kind === "string") {
          const item = `${value}[${index}]`;
          lines.push(
            `for (let ${index} = 0; ${index} < ${value}.length; ${index}++) if (typeof ${item} !== "string") return jsonKindOf(${item}) === "" ? false : ${quote(`${at}[`)} + ${index} + "]: expected string, got " + jsonKindOf(${item});`,
          );
        } else {
          elementTypes.push(type.element);
          lines.push(
            `for (let ${index} = 0; ${index} < ${value}.length; ${index}++) if (!validValue(elementTypes[${elementTypes.length - 1}], ${value}[${index}])) return false;`,
          );
        }
        break;
      }
      case "record":
        lines.push(`if (typeof ${value} !== "object" || Array.isArray(${value})) ${mismatch(type, value, at)}`);
        fields(type, value, path);
        break;
    }
    if (slot !== undefined) writeSlot(slot, value, type);
  };

  const fields = (record: RecordSchema, object: string, path: string[]): void => {
    for (const field of record.fields) {
      const fieldPath = [...path, field.name];
      const value = variable("field", fieldPath);
      // As input-writer.ts reads fields: plain property reads, own only for Object.prototype's names.
      const read =
        field.name in Object.prototype
          ? `(Object.prototype.hasOwnProperty.call(${object}, ${quote(field.name)}) ? ${object}[${quote(field.name)}] : undefined)`
          : `${object}[${quote(field.name)}]`;
      lines.push(`const ${value} = ${read};`);
      if (!field.optional) {
        lines.push(`if (${value} === undefined) return ${quote(`${fieldPath.join(".")}: required field is missing`)};`);
        lines.push(
          `if (${value} === null) return ${quote(`${fieldPath.join(".")}: expected ${expectedName(field.type)}, got null`)};`,
        );
        check(field.type, value, fieldPath);
        continue;
      }
      const absent = under(fieldPath);
      lines.push(`if (${value} === undefined || ${value} === null) {`);
      for (const slot of absent) lines.push(`views.u32[${slotPresenceWord(slot)}] = 0;`);
      lines.push("} else {");
      check(field.type, value, fieldPath);
      lines.push("}");
    }
  };

  lines.push(
    `if (typeof input !== "object" || input === null || Array.isArray(input)) return jsonKindOf(input) === "" ? false : "input: expected object, got " + jsonKindOf(input);`,
  );
  fields(schema, "input", []);
  lines.push("return true;");
  // Slots outside the validated fields would be left unchecked (the codegen plans none): no slot form then.
  if (!slots.every((slot) => schema.fields.some((f) => f.name === slot.path[0]))) return null;
  const source = `"use strict";\nreturn function walk(input) {\n${lines.join("\n")}\n};`;
  const factory = new Function(...WALKER_SCOPE, source) as (...args: unknown[]) => Walker;
  // In WALKER_SCOPE's order.
  return factory(views, writer, enumOrdinals, preparedTypes, validValue, elementTypes, jsonKindOf, values);
}

// String.prototype.isWellFormed / toWellFormed (Node 20; not in the project's ES lib).
const isWellFormed = (s: string): boolean => (s as unknown as { isWellFormed(): boolean }).isWellFormed();
const toWellFormed = (s: string): string => (s as unknown as { toWellFormed(): string }).toWellFormed();

/** Builds the slot plans of a module (indexed by plan id; null where a plan has no slot form). */
export function slotPlans(
  fastPath: FastPathMetadata | undefined,
  schema: RecordSchema,
  writer: InputWriter,
  views: MemoryViews,
  reader: ResultReader,
): (SlotPlan | null)[] {
  if (fastPath === undefined) return [];
  return fastPath.plans.map((layout) =>
    layout === null ? null : slotPlan(layout, fastPath.constitution, schema, writer, views, reader),
  );
}

function slotPlan(
  layout: SlotPlanLayout,
  constitutionAddr: number,
  schema: RecordSchema,
  writer: InputWriter,
  views: MemoryViews,
  reader: ResultReader,
): SlotPlan | null {
  const fields = layout.fields;
  const validated: RecordSchema =
    fields === null ? schema : { kind: "record", fields: schema.fields.filter((f) => fields.includes(f.name)) };
  /** The input values of the slots messages render, as the walker last saw them. */
  const values: unknown[] = layout.slots.map(() => undefined);
  const kept = new Set(layout.messages.flatMap((parts) => parts.filter((p): p is number => typeof p === "number")));
  const walk = compileWalker(validated, layout.slots, writer, views, values, kept);
  if (walk === null) return null;
  const render = (index: number): string => {
    let text = "";
    for (const part of layout.messages[index]!) {
      if (typeof part === "string") text += part;
      else {
        const value = values[part];
        // The module would render a string's UTF-8 encoding, where lone surrogates became U+FFFD.
        text += typeof value === "string" ? (isWellFormed(value) ? value : toWellFormed(value)) : String(value);
      }
    }
    return text;
  };
  // u32 indexes into the result record (contract/abi/layout.ts `RESULT_RECORD`).
  const outcomeWord = (layout.result + RESULT_RECORD.outcome) >> 2;
  const namespaceWord = (layout.result + RESULT_RECORD.namespace) >> 2;
  const violationCountWord = (layout.result + RESULT_RECORD.violationCount) >> 2;
  const permitCountWord = (layout.result + RESULT_RECORD.permitCount) >> 2;
  const violationsWord = (layout.result + RESULT_RECORD.violations) >> 2;
  const violationWords = RESULT_RECORD.violationSize >> 2;
  const permitsWord = (layout.result + resultPermits(layout.violations)) >> 2;
  const constitution = reader.read(constitutionAddr) as ConstitutionId;
  /** Verdict headers (tables of five value addresses) decoded once: their values are static and frozen. */
  const outcomes = new Map<number, VerdictOutcome>();
  const outcomeAt = (addr: number): VerdictOutcome => {
    let known = outcomes.get(addr);
    if (known === undefined) {
      const u32 = views.u32;
      const at = addr >> 2;
      const value = (field: number) => reader.read(u32[at + field]!);
      known = {
        permitted: value(0),
        violation: value(1),
        constitutional_article: value(2),
        action_taken: value(3),
        appeal_process: value(4),
      } as VerdictOutcome;
      outcomes.set(addr, known);
    }
    return known;
  };
  const message = (cell: number): string => {
    const u32 = views.u32;
    const bytes = u32[(cell + CELL_PAYLOAD) >> 2]!;
    return views.bytes.toString("utf8", bytes, bytes + u32[(cell + CELL_LENGTH) >> 2]!);
  };
  const violation = (u32: Uint32Array, at: number): Violation => {
    const template = reader.read(u32[at]!) as Violation;
    const text = u32[at + 1]!;
    return text === 0
      ? template
      : {
          article: template.article,
          code: template.code,
          remedy: template.remedy,
          enforcement: template.enforcement,
          message: text >= MESSAGE_MARKER ? render(text - MESSAGE_MARKER) : message(text),
        };
  };
  const decision = (): Verdict | null => {
    const u32 = views.u32;
    const outcome = u32[outcomeWord]!;
    if (outcome === RESULT_FALLBACK) return null;
    const count = u32[violationCountWord]!;
    const violations: Violation[] = count === 0 ? [] : count === 1 ? [violation(u32, violationsWord)] : [];
    for (let i = violations.length; i < count; i++)
      violations.push(violation(u32, violationsWord + violationWords * i));
    const n = u32[permitCountWord]!;
    const first = permitsWord;
    // Exact-size literals for the usual short lists (a push into `[]` allocates room for 17).
    const permits = (
      n === 0
        ? []
        : n === 1
          ? [reader.read(u32[first]!)]
          : n === 2
            ? [reader.read(u32[first]!), reader.read(u32[first + 1]!)]
            : []
    ) as string[];
    for (let i = permits.length; i < n; i++) permits.push(reader.read(u32[first + i]!) as string);
    return makeVerdict(outcomeAt(outcome), violations, permits, constitution);
  };
  const registration = (): unknown => {
    const u32 = views.u32;
    if (u32[outcomeWord] === RESULT_FALLBACK) return null;
    const namespace = u32[namespaceWord]!;
    const permissions: string[] = [];
    for (let i = 0, n = u32[permitCountWord]!; i < n; i++) {
      const permission = reader.read(u32[permitsWord + i]!) as string;
      if (!permissions.includes(permission)) permissions.push(permission);
    }
    return makeRegistration(namespace === 0 ? null : (reader.read(namespace) as string), permissions);
  };
  const invalid = (error: string): unknown => {
    if (layout.plan !== 0) return invalidRegistration(error);
    return makeVerdict(outcomeAt(layout.invalid), [], [], constitution, error);
  };
  return { walk, invalid, read: layout.plan === 0 ? decision : registration, result: layout.result };
}
