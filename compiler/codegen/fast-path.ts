// The Node fast path's slot layout (docs/wasm.md, "Fast path"): for every plan that allows it, a
// second compiled copy of the plan ("slot plan") that reads the input from fixed slots in static
// memory instead of looking fields up in value cells, skips validation (the host has validated the
// input already and calls the slot plan only for valid inputs), and reports its result as a compact
// record instead of building the result value. `musgo_eval_slots(entrypoint, heap_ptr)` runs it.
//
// Slot: 16 bytes at a static address: u32 presence (0: an optional field on the path is absent or
// null) at +0, the value at +8 in the IR local representation (f64 number; i32 bool, enum ordinal,
// or the address of a value cell for strings, collections and records).
//
// Result record (u32 words at `result`): [0] outcome: the verdict header address (decision), 1
// (registration), 0 (fall back to musgo_eval_value); [1] namespace string cell (registration, 0:
// null); [2] violation count; [3] permit/permission count; then `violations` (template, message)
// pairs (message 0: null), then `permits` string cell addresses (permissions may repeat: the host
// drops repeats, which share one address because static strings are interned).

import type { IrPlan, IrPolicy, IrType, Stmt } from "../ir/ir.js";
import type { SchemaType } from "../../runtime/schema.js";
import type { StaticData } from "./static-data.js";
import type { SlotField, SlotPlanLayout } from "../../runtime/loader/sections.js";

export type { SlotField, SlotPlanLayout, FastPathMetadata } from "../../runtime/loader/sections.js";

const RESULT_HEADER_WORDS = 4;
export const SLOT_SIZE = 16;

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

/** Locals read as operands anywhere in `stmt` (not descending into nested bodies). */
function operandLocals(stmt: Stmt, out: Set<number>): void {
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (typeof value !== "object" || value === null) return;
    const record = value as Record<string, unknown>;
    if (record.kind === "local" && typeof record.local === "number") {
      out.add(record.local);
      return;
    }
    for (const [key, child] of Object.entries(record)) if (key !== "body" && key !== "loc") visit(child);
  };
  visit(stmt);
  if (stmt.kind === "Dot") out.add(stmt.source);
  if (stmt.kind === "AppendViolation" && stmt.message !== null) out.add(stmt.message);
  if (stmt.kind === "ReturnInvalidInput") out.add(stmt.error);
}

/** The slot layout of `plan`, or null when the plan needs the generic path. */
export function slotLayout(policy: IrPolicy, plan: IrPlan, data: StaticData): SlotPlanLayout | null {
  const reads = new Set<number>();
  const dots: { path: string[]; target: number }[] = [];
  let validations = 0;
  let fields: string[] | null = null;
  let violations = 0;
  let permits = 0;
  let supported = true;
  const visit = (body: readonly Stmt[], inScan: boolean): void => {
    for (const stmt of body) {
      const before = reads.has(0);
      operandLocals(stmt, reads);
      if (stmt.kind === "Dot" && stmt.source === 0) {
        dots.push({ path: stmt.path, target: stmt.target });
        if (!before) reads.delete(0);
      }
      if (stmt.kind === "ValidateInput") {
        validations++;
        fields = stmt.fields;
      }
      if (stmt.kind === "AppendViolation") violations++;
      if (stmt.kind === "AppendPermit" || stmt.kind === "AddPermission") permits++;
      if (inScan && (stmt.kind === "AppendViolation" || stmt.kind === "AppendPermit" || stmt.kind === "AddPermission")) supported = false;
      if (stmt.kind === "Block" || stmt.kind === "Not") visit(stmt.body, inScan);
      if (stmt.kind === "Scan") visit(stmt.body, true);
    }
  };
  visit(plan.body, false);
  // The input itself is read only through Dot (and validation): anything else needs its cells.
  if (!supported || validations !== 1 || reads.has(0)) return null;
  const slots = new Map<string, SlotField>();
  for (const dot of dots) {
    const type = fieldType(policy.schema, dot.path);
    if (type === null || dot.path.length === 0) return null;
    const local: IrType = plan.locals[dot.target]!;
    if (local.kind !== type.kind) return null;
    const key = pathKey(dot.path);
    const scalar = type.kind !== "record" && type.kind !== "set" && type.kind !== "list";
    const value = scalar || reads.has(dot.target);
    const known = slots.get(key);
    if (known !== undefined) known.value ||= value;
    else slots.set(key, { path: dot.path, type, addr: 0, value });
  }
  const ordered = [...slots.values()];
  // Static data is 8-aligned relative to its base only: align the slots' f64 values absolutely.
  const base = ordered.length > 0 ? (data.reserve(ordered.length * SLOT_SIZE + 8) + 7) & ~7 : 0;
  ordered.forEach((slot, i) => (slot.addr = base + i * SLOT_SIZE));
  const result = data.reserve((RESULT_HEADER_WORDS + violations * 2 + permits) * 4);
  return { plan: plan.id, fields, result, violations, permits, slots: ordered };
}

/** The slot of a root Dot path in `layout`. */
export function slotOf(layout: SlotPlanLayout, path: readonly string[]): SlotField {
  const key = pathKey(path);
  const slot = layout.slots.find((s) => pathKey(s.path) === key);
  if (slot === undefined) throw new Error(`internal: no slot for ${path.join(".")}`);
  return slot;
}

/** Byte offsets of the result record. */
export const RESULT = {
  outcome: 0,
  namespace: 4,
  violationCount: 8,
  permitCount: 12,
  items: RESULT_HEADER_WORDS * 4,
} as const;
