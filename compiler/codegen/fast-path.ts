// The Node fast path's slot layout (docs/wasm.md, "Fast path"): for every plan that allows it, a
// second compiled copy of the plan ("slot plan") that reads the input from fixed slots in static
// memory instead of looking fields up in value cells, skips validation (the host has validated the
// input already and calls the slot plan only for valid inputs), and reports its result as a compact
// record instead of building the result value. `musgo_eval_slots(entrypoint, heap_ptr)` runs it.
//
// The slots and the result record are laid out as contract/abi/layout.ts (`SLOT`, `RESULT_RECORD`)
// says; the loader (runtime/loader/fast-path.ts) reads them by the same descriptor.

import type { FormatMessageStmt, IrPlan, IrPolicy, IrType, Operand, Stmt } from "../ir/ir.js";
import type { SchemaType } from "../../contract/schema.js";
import type { StaticData } from "./static-data.js";
import type { SlotField, SlotPlanLayout } from "../../contract/abi/sections.js";
import { InternalCompilerError } from "../diagnostics/internal-error.js";
import { MESSAGE_MARKER, SLOT, resultRecordSize } from "../../contract/abi/layout.js";

export type { SlotField, SlotPlanLayout, FastPathMetadata } from "../../contract/abi/sections.js";

function pathKey(path: readonly string[]): string {
  return path.join("\u0000");
}

function fieldType(schema: SchemaType, path: readonly string[]): SchemaType | null {
  let type = schema;
  for (const step of path) {
    if (type.kind !== "record") return null;
    const field = type.fields.find((f) => f.name === step);
    if (field === undefined) return null;
    type = field.type;
  }
  return type;
}

/** The operands `stmt` reads (not those of nested bodies). */
function operands(stmt: Stmt): readonly Operand[] {
  switch (stmt.kind) {
    case "Assign":
      return [stmt.source];
    case "Arith":
    case "Compare":
      return [stmt.a, stmt.b];
    case "IsTrue":
      return [stmt.operand];
    case "Member":
      return [stmt.element, stmt.collection];
    case "StringTest":
      return [stmt.subject, stmt.needle];
    case "Matches":
      return [stmt.subject];
    case "Call":
      return [stmt.arg];
    case "MakeCollection":
      return stmt.elements;
    case "Scan":
      return [stmt.source];
    case "FormatMessage":
      return stmt.holes;
    default:
      return [];
  }
}

/** Adds the locals `stmt` reads (not descending into nested bodies) to `out`. */
function operandLocals(stmt: Stmt, out: Set<number>, withMessages = true): void {
  for (const operand of operands(stmt)) if (operand.kind === "local") out.add(operand.local);
  if (stmt.kind === "Dot") out.add(stmt.source);
  if (stmt.kind === "AppendViolation" && stmt.message !== null && withMessages) out.add(stmt.message);
  if (stmt.kind === "ReturnInvalidInput") out.add(stmt.error);
}

/** The slot layout of `plan`, or null when the plan needs the generic path. */
export function slotLayout(
  policy: IrPolicy,
  plan: IrPlan,
  data: StaticData,
  invalidHeader: number,
): SlotPlanLayout | null {
  const reads = new Set<number>();
  const dots: { path: string[]; target: number }[] = [];
  let validations = 0;
  let fields: string[] | null = null;
  let violations = 0;
  let permits = 0;
  let supported = true;
  /** How each local is set: `dot:<path>` when only by root Dots of that path, `other` otherwise. */
  const defs = new Map<number, string>();
  const define = (local: number, how: string) => {
    const known = defs.get(local);
    if (known !== how) defs.set(local, known === undefined ? how : "other");
  };
  /** Locals read other than as a violation's message. */
  const otherReads = new Set<number>();
  const formats: FormatMessageStmt[] = [];
  const all: Stmt[] = [];
  const targets = new Map<string, number[]>();
  const visit = (body: readonly Stmt[], inScan: boolean): void => {
    for (const stmt of body) {
      const before = reads.has(0);
      operandLocals(stmt, reads);
      operandLocals(stmt, otherReads, false);
      if ("target" in stmt)
        define(
          stmt.target,
          stmt.kind === "Dot" && stmt.source === 0
            ? `dot:${pathKey(stmt.path)}`
            : stmt.kind === "FormatMessage"
              ? "format"
              : "other",
        );
      if (stmt.kind === "Scan") define(stmt.element, "other");
      if (stmt.kind === "FormatMessage" && !inScan) formats.push(stmt);
      all.push(stmt);
      if (stmt.kind === "Dot" && stmt.source === 0) {
        dots.push({ path: stmt.path, target: stmt.target });
        const key = pathKey(stmt.path);
        const known = targets.get(key);
        if (known === undefined) targets.set(key, [stmt.target]);
        else known.push(stmt.target);
        if (!before) reads.delete(0);
      }
      if (stmt.kind === "ValidateInput") {
        validations++;
        fields = stmt.fields;
      }
      if (stmt.kind === "AppendViolation") violations++;
      if (stmt.kind === "AppendPermit" || stmt.kind === "AddPermission") permits++;
      if (inScan && (stmt.kind === "AppendViolation" || stmt.kind === "AppendPermit" || stmt.kind === "AddPermission"))
        supported = false;
      if (stmt.kind === "Block" || stmt.kind === "Not") visit(stmt.body, inScan);
      if (stmt.kind === "Scan") visit(stmt.body, true);
    }
  };
  visit(plan.body, false);
  // The host judges invalid inputs itself, as this first block does before anything is appended.
  const first = plan.body[0];
  if (
    first?.kind !== "Block" ||
    first.body.length !== 2 ||
    first.body[0]!.kind !== "ValidateInput" ||
    first.body[1]!.kind !== "ReturnInvalidInput"
  )
    return null;
  // The input itself is read only through Dot (and validation): anything else needs its cells.
  if (!supported || validations !== 1 || reads.has(0)) return null;
  const slots = new Map<string, SlotField>();
  for (const dot of dots) {
    const type = fieldType(policy.schema, dot.path);
    if (type === null || dot.path.length === 0) return null;
    // The host validates what the plan validates: a field outside it would reach the plan unchecked.
    const validated = fields as string[] | null;
    if (validated !== null && !validated.includes(dot.path[0]!)) return null;
    const local: IrType = plan.locals[dot.target]!;
    if (local.kind !== type.kind) return null;
    const key = pathKey(dot.path);
    if (!slots.has(key)) slots.set(key, { path: dot.path, type, addr: 0, value: false });
  }
  const ordered = [...slots.values()];
  const slotIndex = new Map(ordered.map((slot, i) => [`dot:${pathKey(slot.path)}`, i]));
  // Static data is 8-aligned relative to its base only: align the slots' f64 values absolutely.
  const base = ordered.length > 0 ? (data.reserve(ordered.length * SLOT.size + 8) + 7) & ~7 : 0;
  ordered.forEach((slot, i) => (slot.addr = base + i * SLOT.size));
  const result = data.reserve(resultRecordSize(violations, permits));
  // Messages whose holes are constants or scalar input fields are rendered by the host.
  const messages: (string | number)[][] = [];
  for (const format of formats) {
    if (otherReads.has(format.target) || defs.get(format.target) !== "format") continue;
    const template = policy.static.templates[format.template]!;
    const parts: (string | number)[] = [];
    let hole = 0;
    for (const part of template.parts) {
      if (part.kind === "text") {
        parts.push(part.text);
        continue;
      }
      const rendered = renderHole(policy, format.holes[hole++]!, part.type, defs, ordered, slotIndex);
      if (rendered === null) break;
      parts.push(rendered);
    }
    if (hole !== format.holes.length || parts.length !== template.parts.length) continue;
    messageMarkers.set(format, MESSAGE_MARKER + messages.length);
    messages.push(parts);
  }
  // A slot needs its value only where the plan reads it (messages the host renders do not count).
  const used = new Set<number>();
  for (const stmt of all) {
    if (stmt.kind !== "FormatMessage" || !messageMarkers.has(stmt)) operandLocals(stmt, used);
  }
  for (const slot of ordered) slot.value = (targets.get(pathKey(slot.path)) ?? []).some((local) => used.has(local));
  return {
    plan: plan.id,
    fields,
    result,
    violations,
    permits,
    slots: ordered,
    invalid: plan.id === 0 ? invalidHeader : 0,
    messages,
  };
}

const messageMarkers = new WeakMap<Stmt, number>();

/** The marker a FormatMessage of a slot plan leaves instead of rendering, if the host renders it. */
export function messageMarker(stmt: Stmt): number | undefined {
  return messageMarkers.get(stmt);
}

/** A hole as text (constants) or as the index of the scalar slot whose input value fills it; null: not renderable by the host. */
function renderHole(
  policy: IrPolicy,
  operand: Operand,
  type: IrType,
  defs: Map<number, string>,
  slots: readonly SlotField[],
  slotIndex: ReadonlyMap<string, number>,
): string | number | null {
  switch (operand.kind) {
    case "string":
      return policy.static.strings[operand.index]!;
    case "number":
      return String(operand.value);
    case "bool":
      return String(operand.value);
    case "enum":
      return type.kind === "enum" ? type.members[operand.ordinal]! : null;
    case "collection":
      return null;
    case "local": {
      const how = defs.get(operand.local);
      if (how === undefined) return null;
      const index = slotIndex.get(how) ?? -1;
      const slot = slots[index];
      if (
        slot === undefined ||
        slot.type.kind !== type.kind ||
        !["string", "number", "bool", "enum"].includes(type.kind)
      )
        return null;
      return index;
    }
  }
}

const slotIndexes = new WeakMap<SlotPlanLayout, Map<string, SlotField>>();

/** The slot of a root Dot path in `layout`. */
export function slotOf(layout: SlotPlanLayout, path: readonly string[]): SlotField {
  let index = slotIndexes.get(layout);
  if (index === undefined) {
    index = new Map(layout.slots.map((s) => [pathKey(s.path), s]));
    slotIndexes.set(layout, index);
  }
  const slot = index.get(pathKey(path));
  if (slot === undefined) throw new InternalCompilerError(`no slot for ${path.join(".")}`);
  return slot;
}
