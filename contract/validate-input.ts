// Fail-closed input validation (docs/language.md, "Verdicts", invalid input). Walks the schema in
// declaration order, depth first, and reports the first mismatch as `<path>: <reason>`. The WASM
// module reports the same strings for the same inputs; the differential tests hold both to it.

import type { SchemaType, RecordSchema } from "./schema.js";

export type JsonKind = "null" | "bool" | "number" | "string" | "array" | "object" | "undefined";

export function jsonKind(value: unknown): JsonKind {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  switch (typeof value) {
    case "boolean":
      return "bool";
    case "number":
      return "number";
    case "string":
      return "string";
    case "object":
      return "object";
    default:
      return "undefined";
  }
}

/** The name of a schema type as it appears in `expected …` messages. */
export function expectedName(type: SchemaType): string {
  switch (type.kind) {
    case "enum":
      return type.name;
    case "set":
    case "list":
      return "array";
    case "record":
      return "object";
    default:
      return type.kind;
  }
}

/** Returns null when `input` matches `schema`, otherwise the first error as `path: reason`. */
export function validateInput(schema: RecordSchema, input: unknown): string | null {
  if (jsonKind(input) !== "object") return `input: expected object, got ${jsonKind(input)}`;
  return validateRecordFields(schema, input as Record<string, unknown>, "");
}

function validateRecordFields(record: RecordSchema, value: Record<string, unknown>, prefix: string): string | null {
  for (const field of record.fields) {
    const path = prefix === "" ? field.name : `${prefix}.${field.name}`;
    const child = Object.prototype.hasOwnProperty.call(value, field.name) ? value[field.name] : undefined;
    if (child === undefined || (child === null && field.optional)) {
      if (field.optional) continue;
      return `${path}: required field is missing`;
    }
    const problem = validateValue(field.type, child, path);
    if (problem !== null) return problem;
  }
  return null;
}

function validateValue(type: SchemaType, value: unknown, path: string): string | null {
  const kind = jsonKind(value);
  const mismatch = `${path}: expected ${expectedName(type)}, got ${kind}`;
  switch (type.kind) {
    case "string":
    case "bool":
      return kind === type.kind ? null : mismatch;
    case "number":
      if (kind !== "number") return mismatch;
      return Number.isFinite(value) ? null : `${path}: number out of range`;
    case "enum":
      if (kind !== "string") return mismatch;
      return type.members.includes(value as string) ? null : `${path}: not a member of ${type.name}`;
    case "set":
    case "list": {
      if (kind !== "array") return mismatch;
      const items = value as unknown[];
      for (let i = 0; i < items.length; i++) {
        const problem = validateValue(type.element, items[i], `${path}[${i}]`);
        if (problem !== null) return problem;
      }
      return null;
    }
    case "record":
      return kind === "object" ? validateRecordFields(type, value as Record<string, unknown>, path) : mismatch;
  }
}
