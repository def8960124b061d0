// Builds the results of the two plans from what the generated code appends while it runs
// (docs/language.md, "Verdicts" and "Registration"). Every constant part of a verdict (keys, codes,
// labels, the constitution object, one prebuilt violation object per forbid) is static data laid
// out by the codegen; the layout table (docs/wasm.md, "Verdict layout") names it, so here only the
// lists are assembled.

import { alloc } from "./heap";
import { TAG_OBJECT, TAG_ARRAY, newCollection, setEntry, setItem, entryKey, entryValue, lengthOf, compareStrings } from "./value";

// The layout table's slots (u32 value addresses) and the violation objects' entries: contract/abi/layout.ts.
import {
  LAYOUT_PERMITTED, LAYOUT_VIOLATIONS, LAYOUT_PERMITS, LAYOUT_ERROR, LAYOUT_CONSTITUTION, LAYOUT_NAMESPACE,
  LAYOUT_PERMISSIONS, LAYOUT_CONSTITUTION_VALUE, LAYOUT_NULL_VALUE, VERDICT_HEADER_FIELDS, VIOLATION_MESSAGE_ENTRY,
} from "./generated/abi";

// Lists under construction: static (head, tail, count) records over linked (value, next) cells.
const violations = memory.data(12, 4);
const permits = memory.data(12, 4);
const permissions = memory.data(12, 4);
let namespace: usize = 0;

function reset(list: usize): void {
  memory.fill(list, 0, 12);
}

function push(list: usize, value: usize): void {
  const cell = alloc(8);
  store<u32>(cell, <u32>value);
  store<u32>(cell, 0, 4);
  const tail = <usize>load<u32>(list, 4);
  if (tail != 0) store<u32>(tail, <u32>cell, 4);
  else store<u32>(list, <u32>cell);
  store<u32>(list, <u32>cell, 4);
  store<u32>(list, load<u32>(list, 8) + 1, 8);
}

function toArray(list: usize): usize {
  const count = load<u32>(list, 8);
  const array = newCollection(TAG_ARRAY, count, 4);
  let cell = <usize>load<u32>(list);
  for (let i: u32 = 0; i < count; i++, cell = <usize>load<u32>(cell, 4)) setItem(array, i, <usize>load<u32>(cell));
  return array;
}

function slot(table: usize, index: i32): usize {
  return <usize>load<u32>(table + (<usize>index << 2));
}

/** Starts a plan: forgets what an earlier evaluation appended. */
export function beginPlan(): void {
  reset(violations);
  reset(permits);
  reset(permissions);
  namespace = 0;
}

/** Appends a forbid's prebuilt violation object, with `message` (a string value, or 0 for null). */
export function appendViolation(template: usize, message: usize): void {
  if (message == 0) {
    push(violations, template);
    return;
  }
  const count = lengthOf(template);
  const violation = newCollection(TAG_OBJECT, count, 8);
  for (let i: u32 = 0; i < count; i++) setEntry(violation, i, entryKey(template, i), i == VIOLATION_MESSAGE_ENTRY ? message : entryValue(template, i));
  push(violations, violation);
}

export function appendPermit(code: usize): void {
  push(permits, code);
}

/** The verdict: the five header values (a static table), the lists, `error` when non-zero, the constitution. */
export function decision(layout: usize, header: usize, error: usize): usize {
  const verdict = newCollection(TAG_OBJECT, error != 0 ? 9 : 8, 8);
  for (let i = 0; i < VERDICT_HEADER_FIELDS; i++) setEntry(verdict, i, slot(layout, LAYOUT_PERMITTED + i), slot(header, i));
  setEntry(verdict, 5, slot(layout, LAYOUT_VIOLATIONS), toArray(violations));
  setEntry(verdict, 6, slot(layout, LAYOUT_PERMITS), toArray(permits));
  let next: u32 = 7;
  if (error != 0) setEntry(verdict, next++, slot(layout, LAYOUT_ERROR), error);
  setEntry(verdict, next, slot(layout, LAYOUT_CONSTITUTION), slot(layout, LAYOUT_CONSTITUTION_VALUE));
  return verdict;
}

export function setNamespace(value: usize): void {
  namespace = value;
}

export function addPermission(value: usize): void {
  for (let cell = <usize>load<u32>(permissions); cell != 0; cell = <usize>load<u32>(cell, 4)) {
    if (compareStrings(<usize>load<u32>(cell), value) == 0) return;
  }
  push(permissions, value);
}

/** `{namespace, permissions}`, plus `error` when non-zero. */
export function registration(layout: usize, error: usize): usize {
  const result = newCollection(TAG_OBJECT, error != 0 ? 3 : 2, 8);
  setEntry(result, 0, slot(layout, LAYOUT_NAMESPACE), namespace != 0 ? namespace : slot(layout, LAYOUT_NULL_VALUE));
  setEntry(result, 1, slot(layout, LAYOUT_PERMISSIONS), toArray(permissions));
  if (error != 0) setEntry(result, 2, slot(layout, LAYOUT_ERROR), error);
  return result;
}
