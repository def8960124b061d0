// Stage 2: enum declarations and the schema's type expressions become checker types; the checked
// schema becomes the runtime's `RecordSchema`. A missing schema is an empty record.

import type { EnumDecl, FieldDecl, SchemaDecl, TypeExpr } from "../ast/nodes.js";
import type { RecordSchema, SchemaType } from "../../contract/schema.js";
import { suggestionHint } from "./fuzzy.js";
import { whereIs, type Reporter } from "./reporter.js";
import { BOOL, ERROR, NUMBER, STRING, type EnumType, type RecordType } from "./type-ops.js";
import { typeToString, type Type } from "../ast/types.js";
import { InternalCompilerError } from "../diagnostics/internal-error.js";

const BUILTIN_TYPES: ReadonlyMap<string, Type> = new Map([
  ["string", STRING],
  ["number", NUMBER],
  ["bool", BOOL],
]);

export function resolveEnums(decls: readonly EnumDecl[]): Map<string, EnumType> {
  const enums = new Map<string, EnumType>();
  for (const decl of decls) {
    const members = [...new Set(decl.members.map((m) => m.name))];
    enums.set(decl.name.name, { kind: "enum", name: decl.name.name, members, ordered: decl.ordered });
  }
  return enums;
}

export function resolveSchema(
  schema: SchemaDecl | null,
  enums: ReadonlyMap<string, EnumType>,
  reporter: Reporter,
): RecordType {
  return schema === null ? { kind: "record", fields: [] } : resolveRecord(schema.fields, enums, reporter);
}

function resolveRecord(
  fields: readonly FieldDecl[],
  enums: ReadonlyMap<string, EnumType>,
  reporter: Reporter,
): RecordType {
  const resolved: RecordType["fields"] = [];
  const firsts = new Map<string, FieldDecl>();
  for (const field of fields) {
    const first = firsts.get(field.name.name);
    if (first !== undefined) {
      reporter.error(
        "MG2042",
        field.name.span,
        `duplicate field \`${field.name.name}\``,
        `first declared at ${whereIs(first.name.span)}`,
      );
      continue;
    }
    firsts.set(field.name.name, field);
    resolved.push({ name: field.name.name, optional: field.optional, type: resolveType(field.type, enums, reporter) });
  }
  return { kind: "record", fields: resolved };
}

function resolveType(type: TypeExpr, enums: ReadonlyMap<string, EnumType>, reporter: Reporter): Type {
  switch (type.kind) {
    case "NamedType": {
      const name = type.name.name;
      const found = BUILTIN_TYPES.get(name) ?? enums.get(name);
      if (found !== undefined) return found;
      reporter.error(
        "MG2004",
        type.name.span,
        `unknown type \`${name}\``,
        suggestionHint(name, [...BUILTIN_TYPES.keys(), ...enums.keys()], "types"),
      );
      return ERROR;
    }
    case "CollectionType": {
      const element = resolveType(type.element, enums, reporter);
      return element.kind === "error" ? ERROR : { kind: type.collection, element };
    }
    case "RecordType":
      return resolveRecord(type.fields, enums, reporter);
  }
}

/** The runtime form of a checked schema type; only called when the checker reported no errors. */
function toSchemaType(type: Type): SchemaType {
  switch (type.kind) {
    case "set":
    case "list":
      return { kind: type.kind, element: toSchemaType(type.element) };
    case "record":
      return {
        kind: "record",
        fields: type.fields.map((f) => ({ name: f.name, optional: f.optional, type: toSchemaType(f.type) })),
      };
    case "enum":
      return { kind: "enum", name: type.name, members: [...type.members], ordered: type.ordered };
    case "string":
    case "number":
    case "bool":
      return { kind: type.kind };
    default:
      throw new InternalCompilerError(`\`${typeToString(type)}\` is not a schema type`);
  }
}

export function toRecordSchema(record: RecordType): RecordSchema {
  return toSchemaType(record) as RecordSchema;
}
