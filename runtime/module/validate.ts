// Fail-closed input validation against the schema table the codegen lays out in static data
// (docs/wasm.md, "Schema table"). It walks exactly like contract/validate-input.ts (declaration
// order, depth first, first mismatch wins) and produces the same `<path>: <reason>` strings.

import { alloc } from "./heap";
import {
  TAG_NULL, TAG_BOOL, TAG_NUMBER, TAG_STRING, TAG_ARRAY, TAG_OBJECT, TAG_SET,
  tagOf, lengthOf, numberOf, itemAt, lookup, compareStrings, newString,
} from "./value";
import { beginText, finishText, textLength, putAscii, putBytes, putByte } from "./json-write";
import { formatInteger } from "./number";
import {
  KIND_STRING, KIND_NUMBER, KIND_BOOL, KIND_ENUM, KIND_SET, KIND_LIST, KIND_RECORD, TYPE_ELEMENT, TYPE_FIELD_COUNT,
  TYPE_FIELDS, TYPE_ENUM_NAME, TYPE_ENUM_NAME_LENGTH, TYPE_MEMBER_COUNT, TYPE_MEMBERS, FIELD_SIZE, FIELD_NAME, FIELD_NAME_LENGTH,
  FIELD_OPTIONAL, FIELD_TYPE,
} from "./type-table";

// A path frame: parent frame, then either a field name (ptr, len) or an item index (ptr = 0).
// The walk is depth first and a frame is read only while its subtree is validated, so frames live
// in a static stack (a child's frame follows its parent's); only very deep schemas spill to the heap.
const FRAME_SIZE: usize = 12;
const STACK_FRAMES: usize = 64;
const FRAME_STACK = memory.data(<i32>(FRAME_SIZE * STACK_FRAMES), 4);

function fieldFrame(parent: usize, name: usize, length: u32): usize {
  const next = parent == 0 ? FRAME_STACK : parent + FRAME_SIZE;
  const frame = next < FRAME_STACK + FRAME_SIZE * STACK_FRAMES ? next : alloc(FRAME_SIZE);
  store<u32>(frame, <u32>parent);
  store<u32>(frame, <u32>name, 4);
  store<u32>(frame, length, 8);
  return frame;
}

function indexFrame(parent: usize, index: u32): usize {
  return fieldFrame(parent, 0, index);
}

/** Set while judging text that did not parse: the reader's error, reported instead of a mismatch. */
let inputProblem: usize = 0;

export function setInputProblem(error: usize): void {
  inputProblem = error;
}

/** Returns 0 when `input` (0 = undefined) matches record table `schema`, else an error string value. */
export function validateInput(schema: usize, input: usize): usize {
  if (inputProblem != 0) return inputProblem;
  if (input == 0 || tagOf(input) != TAG_OBJECT) return rootMismatch(input);
  return validateFields(schema, input, 0);
}

function validateFields(record: usize, value: usize, frame: usize): usize {
  const fields = <usize>load<u32>(record, TYPE_FIELDS);
  for (let i: u32 = 0, n = load<u32>(record, TYPE_FIELD_COUNT); i < n; i++) {
    const field = fields + <usize>i * FIELD_SIZE;
    const name = <usize>load<u32>(field, FIELD_NAME);
    const nameLength = load<u32>(field, FIELD_NAME_LENGTH);
    const optional = load<u32>(field, FIELD_OPTIONAL) != 0;
    const child = lookup(value, name, nameLength);
    const path = fieldFrame(frame, name, nameLength);
    if (child == 0 || (optional && tagOf(child) == TAG_NULL)) {
      if (optional) continue;
      return problem(path, "required field is missing", 0);
    }
    const error = validateValue(<usize>load<u32>(field, FIELD_TYPE), child, path);
    if (error != 0) return error;
  }
  return 0;
}

function validateValue(type: usize, value: usize, path: usize): usize {
  const kind = load<u32>(type);
  const tag = tagOf(value);
  if (kind == KIND_STRING) return tag == TAG_STRING ? 0 : mismatch(path, type, value);
  if (kind == KIND_BOOL) return tag == TAG_BOOL ? 0 : mismatch(path, type, value);
  if (kind == KIND_NUMBER) {
    if (tag != TAG_NUMBER) return mismatch(path, type, value);
    return isFinite(numberOf(value)) ? 0 : problem(path, "number out of range", 0);
  }
  if (kind == KIND_ENUM) {
    if (tag != TAG_STRING) return mismatch(path, type, value);
    return enumIndex(type, value) >= 0 ? 0 : problem(path, "not a member of ", type);
  }
  if (kind == KIND_SET || kind == KIND_LIST) {
    if (tag != TAG_ARRAY && tag != TAG_SET) return mismatch(path, type, value);
    const element = <usize>load<u32>(type, TYPE_ELEMENT);
    for (let i: u32 = 0, n = lengthOf(value); i < n; i++) {
      const error = validateValue(element, itemAt(value, i), indexFrame(path, i));
      if (error != 0) return error;
    }
    return 0;
  }
  return tag == TAG_OBJECT ? validateFields(type, value, path) : mismatch(path, type, value);
}

/** The position of string value `value` among the member string values of enum table `type`, or -1. */
export function enumIndex(type: usize, value: usize): i32 {
  const members = <usize>load<u32>(type, TYPE_MEMBERS);
  for (let i: u32 = 0, n = load<u32>(type, TYPE_MEMBER_COUNT); i < n; i++) {
    if (compareStrings(<usize>load<u32>(members + (<usize>i << 2)), value) == 0) return <i32>i;
  }
  return -1;
}

function rootMismatch(input: usize): usize {
  const start = beginText();
  putAscii("input: expected object, got ");
  putKind(input);
  return textValue(start);
}

function mismatch(path: usize, type: usize, value: usize): usize {
  const start = beginText();
  putPath(path);
  putAscii(": expected ");
  putExpected(type);
  putAscii(", got ");
  putKind(value);
  return textValue(start);
}

function problem(path: usize, reason: string, enumType: usize): usize {
  const start = beginText();
  putPath(path);
  putAscii(": ");
  putAscii(reason);
  if (enumType != 0) putBytes(load<u32>(enumType, 4), load<u32>(enumType, 8));
  return textValue(start);
}

/** Finishes a text begun with beginText as a string value. */
export function textValue(start: usize): usize {
  // Measured, not scanned for the NUL: a message may hold U+0000.
  const length = textLength(start);
  finishText(start);
  return newString(start, length);
}

function putPath(frame: usize): void {
  const parent = <usize>load<u32>(frame);
  if (parent != 0) putPath(parent);
  const name = <usize>load<u32>(frame, 4);
  if (name == 0) {
    putByte(0x5b);
    putDecimal(load<u32>(frame, 8));
    putByte(0x5d);
    return;
  }
  if (parent != 0) putByte(0x2e);
  putBytes(name, load<u32>(frame, 8));
}

const DECIMAL = memory.data(24);

function putDecimal(n: u32): void {
  putBytes(DECIMAL, formatInteger(DECIMAL, n));
}

function putExpected(type: usize): void {
  const kind = load<u32>(type);
  if (kind == KIND_STRING) putAscii("string");
  else if (kind == KIND_NUMBER) putAscii("number");
  else if (kind == KIND_BOOL) putAscii("bool");
  else if (kind == KIND_ENUM) putBytes(load<u32>(type, TYPE_ENUM_NAME), load<u32>(type, TYPE_ENUM_NAME_LENGTH));
  else if (kind == KIND_RECORD) putAscii("object");
  else putAscii("array");
}

function putKind(value: usize): void {
  if (value == 0) {
    putAscii("undefined");
    return;
  }
  const tag = tagOf(value);
  if (tag == TAG_NULL) putAscii("null");
  else if (tag == TAG_BOOL) putAscii("bool");
  else if (tag == TAG_NUMBER) putAscii("number");
  else if (tag == TAG_STRING) putAscii("string");
  else if (tag == TAG_OBJECT) putAscii("object");
  else putAscii("array");
}
