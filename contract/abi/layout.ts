// The one description of the binary layouts the AssemblyScript runtime (runtime/module), the
// codegen (compiler/codegen) and the Node loader (runtime/loader) share (docs/wasm.md, "ABI
// constants"). TypeScript imports it; scripts/gen-abi.mjs writes the constants the runtime needs
// (ASSEMBLYSCRIPT_ABI below) into runtime/module/generated/abi.ts, and test/wasm/abi.test.ts checks
// that file is current and that the prebuilt module behaves by these numbers.
// This file imports nothing at run time: the generator transpiles it on its own.

import type { SchemaType } from "../schema.js";

// ---- value cells (runtime/module/value.ts; docs/wasm.md, "Values") ------------------------------

/** Every value is one 16-byte, 8-aligned cell. */
export const CELL_SIZE = 16;
/** u32 tag. */
export const CELL_TAG = 0;
/** u32: bytes of a string, items of an array or set, entries of an object. */
export const CELL_LENGTH = 4;
/**
 * f64 for numbers, u32 0/1 for booleans, u32 address of the bytes, items or entries otherwise
 * (array and set items: u32 value addresses; object entries: u32 key and value address pairs).
 */
export const CELL_PAYLOAD = 8;

export const TAG_NULL = 1;
export const TAG_BOOL = 2;
export const TAG_NUMBER = 3;
export const TAG_STRING = 4;
export const TAG_ARRAY = 5;
export const TAG_OBJECT = 6;
export const TAG_SET = 7;

// ---- type tables (runtime/module/validate.ts; docs/wasm.md, "Policy static data") ----------------

export const KIND_STRING = 1;
export const KIND_NUMBER = 2;
export const KIND_BOOL = 3;
export const KIND_ENUM = 4;
export const KIND_SET = 5;
export const KIND_LIST = 6;
export const KIND_RECORD = 7;

/** The kind word of each schema type's table. */
export const TYPE_KINDS: Readonly<Record<SchemaType["kind"], number>> = {
  string: KIND_STRING,
  number: KIND_NUMBER,
  bool: KIND_BOOL,
  enum: KIND_ENUM,
  set: KIND_SET,
  list: KIND_LIST,
  record: KIND_RECORD,
};

/** A type table: u32 words; which follow the kind word depends on the kind. */
export const TYPE_TABLE_SIZE = 20;
export const TYPE_KIND = 0;
/** Sets and lists: the element's type table. */
export const TYPE_ELEMENT = 4;
/** Records: the field count, then the address of the field table. */
export const TYPE_FIELD_COUNT = 4;
export const TYPE_FIELDS = 8;
/** Enums: the name's UTF-8 bytes (address, length), the member count, the member string table. */
export const TYPE_ENUM_NAME = 4;
export const TYPE_ENUM_NAME_LENGTH = 8;
export const TYPE_MEMBER_COUNT = 12;
export const TYPE_MEMBERS = 16;

/** A record's field: u32 name bytes, name length, optional (0/1), type table. */
export const FIELD_SIZE = 16;
export const FIELD_NAME = 0;
export const FIELD_NAME_LENGTH = 4;
export const FIELD_OPTIONAL = 8;
export const FIELD_TYPE = 12;

// ---- DFA tables (compiler/regex/automaton.ts `encodeDfa` packs, runtime/module/ops.ts `dfaSearch` runs) ----

/** u16 state count, u16 byte-class count, u16 start state (then 2 bytes of padding). */
export const DFA_STATE_COUNT = 0;
export const DFA_CLASS_COUNT = 2;
export const DFA_START = 4;
/** 256 u8 entries: byte → class. */
export const DFA_BYTE_CLASSES = 8;
/** u16 next states, `state × classCount + class`; then one u8 per state: accepts at the end. */
export const DFA_TRANSITIONS = DFA_BYTE_CLASSES + 256;
/** No match is possible any more; both sinks loop to themselves. */
export const DFA_DEAD_STATE = 0;
/** A match has been found. */
export const DFA_MATCHED_STATE = 1;

// ---- verdict assembly (runtime/module/verdict.ts; docs/wasm.md, "Verdict layout") ----------------

/**
 * The layout table a policy's static data holds: one u32 string value address per key, in this
 * order, then the verdict's constitution object and null. A verdict's entries follow the same order
 * (contract/verdict.ts `makeVerdict`, with `error` only on invalid inputs).
 */
export const LAYOUT_KEYS = [
  "permitted",
  "violation",
  "constitutional_article",
  "action_taken",
  "appeal_process",
  "violations",
  "permits",
  "error",
  "constitution",
  "namespace",
  "permissions",
] as const;
export type LayoutKey = (typeof LAYOUT_KEYS)[number];

const layoutSlot = (key: LayoutKey): number => LAYOUT_KEYS.indexOf(key);

export const LAYOUT_PERMITTED = layoutSlot("permitted");
export const LAYOUT_VIOLATIONS = layoutSlot("violations");
export const LAYOUT_PERMITS = layoutSlot("permits");
export const LAYOUT_ERROR = layoutSlot("error");
export const LAYOUT_CONSTITUTION = layoutSlot("constitution");
export const LAYOUT_NAMESPACE = layoutSlot("namespace");
export const LAYOUT_PERMISSIONS = layoutSlot("permissions");
/** The slot after the keys: the verdict's constitution object. */
export const LAYOUT_CONSTITUTION_VALUE = LAYOUT_KEYS.length;
/** Then the null value (a registration's absent namespace). */
export const LAYOUT_NULL_VALUE = LAYOUT_KEYS.length + 1;

/** A verdict header: the values of the keys before `violations`, one table per outcome. */
export const VERDICT_HEADER_FIELDS = LAYOUT_VIOLATIONS;

/** A violation object's keys, in order; the codegen prebuilds one per forbid with a null message. */
export const VIOLATION_KEYS = ["article", "code", "remedy", "enforcement", "message"] as const;
/** The entry the runtime replaces when a forbid has a message. */
export const VIOLATION_MESSAGE_ENTRY = VIOLATION_KEYS.indexOf("message");

// ---- the Node fast path (compiler/codegen/fast-path.ts writes, runtime/loader/fast-path.ts reads) ----

/** An input slot at a static address: u32 presence (0: absent or null), the value at +8. */
export const SLOT = {
  size: 16,
  presence: 0,
  /** f64 number; i32 bool or enum ordinal; i32 value cell address otherwise. */
  value: 8,
} as const;

/**
 * The result record a slot plan leaves at a static address (byte offsets): the outcome, the
 * namespace, the two list counts, then `violations` (template, message) pairs and the permit or
 * permission string cells.
 */
export const RESULT_RECORD = {
  /** A decision's verdict header address, RESULT_REGISTRATION, or RESULT_FALLBACK. */
  outcome: 0,
  /** A registration's namespace string cell (0: null). */
  namespace: 4,
  violationCount: 8,
  permitCount: 12,
  /** The first violation: the list starts after the four header words. */
  violations: 16,
  /** A violation: its prebuilt violation object, then its message (a string cell, a MESSAGE_MARKER, or 0: null). */
  violationSize: 8,
  /** A permit or permission: a string cell address. */
  permitSize: 4,
} as const;

/** The outcome word of a registration that returned. */
export const RESULT_REGISTRATION = 1;
/** The outcome word when the plan gave no result: the host takes the value path. */
export const RESULT_FALLBACK = 0;

/** Byte offset of the permit list in a result record with room for `violations` violations. */
export function resultPermits(violations: number): number {
  return RESULT_RECORD.violations + violations * RESULT_RECORD.violationSize;
}

/** Bytes of a result record with room for `violations` violations and `permits` permits. */
export function resultRecordSize(violations: number, permits: number): number {
  return resultPermits(violations) + permits * RESULT_RECORD.permitSize;
}

/** A violation message the host renders: `MESSAGE_MARKER + i` stands for the slot plan's `messages[i]`. */
export const MESSAGE_MARKER = 0x80000000;

// ---- what the AssemblyScript side gets ------------------------------------------------------------

/**
 * The constants scripts/gen-abi.mjs writes to runtime/module/generated/abi.ts, by AssemblyScript
 * type (the types the runtime computes with: u32 for words it compares with loaded words, usize for
 * sizes and offsets it adds to addresses, i32 for table slots it indexes).
 */
export const ASSEMBLYSCRIPT_ABI = [
  {
    about: "Value cells (runtime/module/value.ts)",
    type: "usize",
    constants: { CELL_SIZE, CELL_TAG, CELL_LENGTH, CELL_PAYLOAD },
  },
  {
    about: "Value cell tags",
    type: "u32",
    constants: { TAG_NULL, TAG_BOOL, TAG_NUMBER, TAG_STRING, TAG_ARRAY, TAG_OBJECT, TAG_SET },
  },
  {
    about: "Type table kinds",
    type: "u32",
    constants: { KIND_STRING, KIND_NUMBER, KIND_BOOL, KIND_ENUM, KIND_SET, KIND_LIST, KIND_RECORD },
  },
  {
    about: "Type table and record field offsets",
    type: "usize",
    constants: {
      TYPE_KIND,
      TYPE_ELEMENT,
      TYPE_FIELD_COUNT,
      TYPE_FIELDS,
      TYPE_ENUM_NAME,
      TYPE_ENUM_NAME_LENGTH,
      TYPE_MEMBER_COUNT,
      TYPE_MEMBERS,
      FIELD_SIZE,
      FIELD_NAME,
      FIELD_NAME_LENGTH,
      FIELD_OPTIONAL,
      FIELD_TYPE,
    },
  },
  {
    about: "DFA table offsets (runtime/module/ops.ts dfaSearch)",
    type: "usize",
    constants: { DFA_STATE_COUNT, DFA_CLASS_COUNT, DFA_START, DFA_BYTE_CLASSES, DFA_TRANSITIONS },
  },
  {
    about: "The DFA state that has matched (states up to it are the sinks)",
    type: "u32",
    constants: { DFA_MATCHED_STATE },
  },
  {
    about: "Slots of the verdict layout table (runtime/module/verdict.ts)",
    type: "i32",
    constants: {
      LAYOUT_PERMITTED,
      LAYOUT_VIOLATIONS,
      LAYOUT_PERMITS,
      LAYOUT_ERROR,
      LAYOUT_CONSTITUTION,
      LAYOUT_NAMESPACE,
      LAYOUT_PERMISSIONS,
      LAYOUT_CONSTITUTION_VALUE,
      LAYOUT_NULL_VALUE,
      VERDICT_HEADER_FIELDS,
    },
  },
  {
    about: "Violation objects",
    type: "u32",
    constants: { VIOLATION_MESSAGE_ENTRY },
  },
] as const satisfies readonly { about: string; type: "u32" | "i32" | "usize"; constants: Record<string, number> }[];
