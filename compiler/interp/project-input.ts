// Projects a validated input onto its schema: fields the schema does not name are dropped and
// optional fields holding JSON `null` become absent (docs/language.md, "Types and the schema"), so
// evaluation sees exactly the document the checker typed. Runs only after `validateInput` accepted
// the input.

import type { RecordSchema, SchemaType } from "../../contract/schema.js";
import type { RecordValue, Value } from "./values.js";

export function projectInput(schema: RecordSchema, input: unknown): RecordValue {
  return projectRecord(schema, input as { [field: string]: unknown });
}

function projectRecord(schema: RecordSchema, value: { [field: string]: unknown }): RecordValue {
  // A prototype-free object: a schema field named `__proto__` stays an ordinary field.
  const projected = Object.create(null) as RecordValue;
  for (const field of schema.fields) {
    const child = Object.prototype.hasOwnProperty.call(value, field.name) ? value[field.name] : undefined;
    if (child !== undefined && child !== null) projected[field.name] = projectValue(field.type, child);
  }
  return projected;
}

function projectValue(type: SchemaType, value: unknown): Value {
  switch (type.kind) {
    case "set":
    case "list":
      return (value as unknown[]).map((item) => projectValue(type.element, item));
    case "record":
      return projectRecord(type, value as { [field: string]: unknown });
    default:
      return value as Value;
  }
}
