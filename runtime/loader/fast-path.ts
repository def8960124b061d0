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
import { invalidRegistration } from "../../contract/verdict.js";
import type { FastPathMetadata, SlotField, SlotPlanLayout } from "../../contract/abi/sections.js";
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
        const child = field.name in Object.prototype && !Object.prototype.hasOwnProperty.call(record, field.name) ? undefined : record[field.name];
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

/** Generates the walker of `schema` for `slots` (JavaScript source, compiled once per module). */
function compileWalker(schema: RecordSchema, slots: readonly SlotField[], writer: InputWriter, views: MemoryViews, values: unknown[], kept: ReadonlySet<number>): Walker | null {
  const enums: Map<string, number>[] = [];
  const prepared: Prepared[] = [];
  const types: SchemaType[] = [];
  const lines: string[] = [];
  let next = 0;
  const slotAt = new Map(slots.map((s) => [s.path.join("\u0000"), s]));
  const under = (path: readonly string[]) => slots.filter((s) => s.path.length >= path.length && path.every((step, i) => s.path[i] === step));
  const quote = (text: string) => JSON.stringify(text);

  const writeSlot = (slot: SlotField, value: string, type: SchemaType): void => {
    const word = slot.addr >> 2;
    lines.push(`M.u32[${word}] = 1;`);
    const index = slots.indexOf(slot);
    if (kept.has(index)) lines.push(`S[${index}] = ${value};`);
    if (!slot.value) return;
    switch (type.kind) {
      case "number":
        lines.push(`M.f64[${(slot.addr >> 3) + 1}] = ${value} + 0;`);
        return;
      case "bool":
        lines.push(`M.u32[${word + 2}] = ${value} ? 1 : 0;`);
        return;
      case "enum":
        return; // written by check()
      case "string":
        // The call may grow memory (and replace M.u32): call first, then index the current view.
        lines.push(`{ const c = w.stringCell(${value}); M.u32[${word + 2}] = c; }`);
        return;
      default:
        if ((type.kind === "set" || type.kind === "list") && type.element.kind === "string") {
          lines.push(`{ const c = w.stringArray(${value}); M.u32[${word + 2}] = c; }`);
          return;
        }
        prepared.push(writer.prepareType(type));
        lines.push(`{ const c = w.valueCell(${value}, P[${prepared.length - 1}]); M.u32[${word + 2}] = c; }`);
    }
  };

  /** The statement that rejects `value` at `path` as not of `type` (`expected …, got …`), or defers when its kind is not JSON. */
  const mismatch = (type: SchemaType, value: string, path: string) => `return K(${value}) === "" ? false : ${quote(`${path}: expected ${expectedName(type)}, got `)} + K(${value});`;

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
        lines.push(`if (typeof ${value} !== "number") ${mismatch(type, value, at)}`, `if (${value} - ${value} !== 0) return false;`);
        break;
      case "bool":
        lines.push(`if (typeof ${value} !== "boolean") ${mismatch(type, value, at)}`);
        break;
      case "enum": {
        enums.push(new Map(type.members.map((m, i) => [m, i])));
        const ordinal = `o${next++}`;
        lines.push(`if (typeof ${value} !== "string") ${mismatch(type, value, at)}`);
        lines.push(`const ${ordinal} = E[${enums.length - 1}].get(${value});`, `if (${ordinal} === undefined) return ${quote(`${at}: not a member of ${type.name}`)};`);
        if (slot !== undefined) lines.push(`M.u32[${(slot.addr >> 2) + 2}] = ${ordinal};`);
        break;
      }
      case "set":
      case "list": {
        lines.push(`if (!Array.isArray(${value})) ${mismatch(type, value, at)}`);
        const index = `i${next++}`;
        if (type.element.kind === "string") {
          const item = `${value}[${index}]`;
          lines.push(`for (let ${index} = 0; ${index} < ${value}.length; ${index}++) if (typeof ${item} !== "string") return K(${item}) === "" ? false : ${quote(`${at}[`)} + ${index} + "]: expected string, got " + K(${item});`);
        }
        else {
          types.push(type.element);
          lines.push(`for (let ${index} = 0; ${index} < ${value}.length; ${index}++) if (!V(T[${types.length - 1}], ${value}[${index}])) return false;`);
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
      const value = `v${next++}`;
      // As input-writer.ts reads fields: plain property reads, own only for Object.prototype's names.
      const read = field.name in Object.prototype ? `(Object.prototype.hasOwnProperty.call(${object}, ${quote(field.name)}) ? ${object}[${quote(field.name)}] : undefined)` : `${object}[${quote(field.name)}]`;
      lines.push(`const ${value} = ${read};`);
      if (!field.optional) {
        lines.push(`if (${value} === undefined) return ${quote(`${fieldPath.join(".")}: required field is missing`)};`);
        lines.push(`if (${value} === null) return ${quote(`${fieldPath.join(".")}: expected ${expectedName(field.type)}, got null`)};`);
        check(field.type, value, fieldPath);
        continue;
      }
      const absent = under(fieldPath);
      lines.push(`if (${value} === undefined || ${value} === null) {`);
      for (const slot of absent) lines.push(`M.u32[${slot.addr >> 2}] = 0;`);
      lines.push("} else {");
      check(field.type, value, fieldPath);
      lines.push("}");
    }
  };

  lines.push(`if (typeof input !== "object" || input === null || Array.isArray(input)) return K(input) === "" ? false : "input: expected object, got " + K(input);`);
  fields(schema, "input", []);
  lines.push("return true;");
  // Slots outside the validated fields would be left unchecked (the codegen plans none): no slot form then.
  if (!slots.every((slot) => schema.fields.some((f) => f.name === slot.path[0]))) return null;
  const source = `"use strict";\nreturn function walk(input) {\n${lines.join("\n")}\n};`;
  const factory = new Function("M", "w", "E", "P", "V", "T", "K", "S", source) as (...args: unknown[]) => Walker;
  return factory(views, writer, enums, prepared, validValue, types, jsonKindOf, values);
}

type Header = readonly [unknown, unknown, unknown, unknown, unknown];

/** compiler/codegen/fast-path.ts MESSAGE_MARKER. */
const MESSAGE_MARKER = 0x80000000;

// String.prototype.isWellFormed / toWellFormed (Node 20; not in the project's ES lib).
const isWellFormed = (s: string): boolean => (s as unknown as { isWellFormed(): boolean }).isWellFormed();
const toWellFormed = (s: string): string => (s as unknown as { toWellFormed(): string }).toWellFormed();

/** Builds the slot plans of a module (indexed by plan id; null where a plan has no slot form). */
export function slotPlans(fastPath: FastPathMetadata | undefined, schema: RecordSchema, writer: InputWriter, views: MemoryViews, reader: ResultReader): (SlotPlan | null)[] {
  if (fastPath === undefined) return [];
  return fastPath.plans.map((layout) => (layout === null ? null : slotPlan(layout, fastPath.constitution, schema, writer, views, reader)));
}

function slotPlan(layout: SlotPlanLayout, constitutionAddr: number, schema: RecordSchema, writer: InputWriter, views: MemoryViews, reader: ResultReader): SlotPlan | null {
  const fields = layout.fields;
  const validated: RecordSchema = fields === null ? schema : { kind: "record", fields: schema.fields.filter((f) => fields.includes(f.name)) };
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
  const word = layout.result >> 2;
  const items = word + 4;
  const permits = items + layout.violations * 2;
  const constitution = reader.read(constitutionAddr);
  const headers = new Map<number, Header>();
  const header = (addr: number): Header => {
    let known = headers.get(addr);
    if (known === undefined) {
      const u32 = views.u32;
      const at = addr >> 2;
      known = [reader.read(u32[at]!), reader.read(u32[at + 1]!), reader.read(u32[at + 2]!), reader.read(u32[at + 3]!), reader.read(u32[at + 4]!)];
      headers.set(addr, known);
    }
    return known;
  };
  const message = (cell: number): string => {
    const u32 = views.u32;
    const bytes = u32[(cell >> 2) + 2]!;
    return views.bytes.toString("utf8", bytes, bytes + u32[(cell >> 2) + 1]!);
  };
  const violation = (u32: Uint32Array, at: number): unknown => {
    const template = reader.read(u32[at]!) as Record<string, unknown>;
    const text = u32[at + 1]!;
    return text === 0 ? template : { article: template.article, code: template.code, remedy: template.remedy, enforcement: template.enforcement, message: text >= MESSAGE_MARKER ? render(text - MESSAGE_MARKER) : message(text) };
  };
  const decision = (): unknown => {
    const u32 = views.u32;
    const outcome = u32[word]!;
    if (outcome === 0) return null;
    const count = u32[word + 2]!;
    const violations: unknown[] = count === 0 ? [] : count === 1 ? [violation(u32, items)] : [];
    for (let i = violations.length; i < count; i++) violations.push(violation(u32, items + 2 * i));
    const n = u32[word + 3]!;
    // Exact-size literals for the usual short lists (a push into `[]` allocates room for 17).
    const permitted: unknown[] = n === 0 ? [] : n === 1 ? [reader.read(u32[permits]!)] : n === 2 ? [reader.read(u32[permits]!), reader.read(u32[permits + 1]!)] : [];
    for (let i = permitted.length; i < n; i++) permitted.push(reader.read(u32[permits + i]!));
    const h = header(outcome);
    return { permitted: h[0], violation: h[1], constitutional_article: h[2], action_taken: h[3], appeal_process: h[4], violations, permits: permitted, constitution };
  };
  const registration = (): unknown => {
    const u32 = views.u32;
    if (u32[word] === 0) return null;
    const namespace = u32[word + 1]!;
    const permissions: unknown[] = [];
    for (let i = 0, n = u32[word + 3]!; i < n; i++) {
      const permission = reader.read(u32[permits + i]!);
      if (!permissions.includes(permission)) permissions.push(permission);
    }
    return { namespace: namespace === 0 ? null : reader.read(namespace), permissions };
  };
  const invalid = (error: string): unknown => {
    if (layout.plan !== 0) return invalidRegistration(error);
    const h = header(layout.invalid);
    return { permitted: h[0], violation: h[1], constitutional_article: h[2], action_taken: h[3], appeal_process: h[4], violations: [], permits: [], error, constitution };
  };
  return { walk, invalid, read: layout.plan === 0 ? decision : registration, result: layout.result };
}
