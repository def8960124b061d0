// The custom sections a compiled constitution carries so that any host can read what it is and
// what it expects without running it (docs/wasm.md, "Custom sections"). Each holds UTF-8 JSON.

import type { ConstitutionId } from "../verdict.js";
import type { RecordSchema, SchemaType } from "../schema.js";
import type { LimitDeclaration } from "../engine.js";

export const SECTION_CONSTITUTION = "musgo.constitution";
export const SECTION_SCHEMA = "musgo.schema";
export const SECTION_LIMITS = "musgo.limits";
/**
 * `{"memoryPages": n, "fieldNames": {name: address}}`: the pages the static data needs (the start
 * function grows memory to them), and where each schema field name's UTF-8 bytes lie in static
 * data (the Node fast path points its object keys there, so lookups match by address), and
 * `fastPath` (FastPathMetadata below), the slot layout of `musgo_eval_slots`.
 */
export const SECTION_MODULE = "musgo.module";

/** A fixed input slot of a plan's slot form (compiler/codegen/fast-path.ts). */
export interface SlotField {
  /** The field path from the input root (records only). */
  path: string[];
  type: SchemaType;
  /** Static address of the 16-byte slot: u32 presence at +0, the value at +8. */
  addr: number;
  /** False when the plan only tests presence (a record or collection it never reads): no cell is needed. */
  value: boolean;
}

export interface SlotPlanLayout {
  plan: number;
  /** Root fields the plan validates (null: all), as in its `ValidateInput`. */
  fields: string[] | null;
  /** Static address of the result record. */
  result: number;
  /** Capacities of the result record's lists. */
  violations: number;
  permits: number;
  slots: SlotField[];
  /** The decision plan's invalid-input verdict header (0 for registration): the host judges invalid inputs. */
  invalid: number;
  /**
   * Violation messages the host renders: a message value `0x80000000 + i` in the result record
   * stands for `messages[i]`, whose parts are text or the index of the scalar slot whose input
   * value fills the hole (strings as they are, numbers as `String(n)`, bools, enum member names).
   */
  messages: (string | number)[][];
}

/** `musgo.module` `fastPath`: what `musgo_eval_slots` needs from the host. */
export interface FastPathMetadata {
  /** The verdict's constitution object (a static cell). */
  constitution: number;
  /** Indexed by plan id; null where the plan has no slot form. */
  plans: (SlotPlanLayout | null)[];
}

export interface ModuleMetadata {
  constitution: ConstitutionId;
  schema: RecordSchema;
  limits: LimitDeclaration[];
  memoryPages: number;
  fieldNames: Record<string, number>;
  /** Absent in modules without a slot form. */
  fastPath?: FastPathMetadata;
}

export function encodeSections(metadata: ModuleMetadata): [name: string, contents: Uint8Array][] {
  const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
  return [
    [SECTION_CONSTITUTION, encode(metadata.constitution)],
    [SECTION_SCHEMA, encode(metadata.schema)],
    [SECTION_LIMITS, encode(metadata.limits)],
    [
      SECTION_MODULE,
      encode({ memoryPages: metadata.memoryPages, fieldNames: metadata.fieldNames, fastPath: metadata.fastPath }),
    ],
  ];
}

/** Reads the metadata of a compiled module; throws when a section is missing (not a musgo module). */
export function readMetadata(module: WebAssembly.Module): ModuleMetadata {
  const read = (name: string): unknown => {
    const [section] = WebAssembly.Module.customSections(module, name);
    if (section === undefined) throw new Error(`not a musgo module: custom section \`${name}\` is missing`);
    return JSON.parse(new TextDecoder().decode(section));
  };
  return {
    constitution: read(SECTION_CONSTITUTION) as ConstitutionId,
    schema: read(SECTION_SCHEMA) as RecordSchema,
    limits: read(SECTION_LIMITS) as LimitDeclaration[],
    ...(read(SECTION_MODULE) as {
      memoryPages: number;
      fieldNames: Record<string, number>;
      fastPath?: FastPathMetadata;
    }),
  };
}
