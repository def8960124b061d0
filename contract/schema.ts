// The input schema as data: produced by the checker, embedded in compiled modules, read by the runtime.
// JSON-serialisable on purpose (it travels inside the .wasm as a custom section).

export type SchemaType =
  | { kind: "string" }
  | { kind: "number" }
  | { kind: "bool" }
  | { kind: "enum"; name: string; members: string[]; ordered: boolean }
  | { kind: "set"; element: SchemaType }
  | { kind: "list"; element: SchemaType }
  | { kind: "record"; fields: SchemaField[] };

export interface SchemaField {
  name: string;
  optional: boolean;
  type: SchemaType;
}

export type RecordSchema = Extract<SchemaType, { kind: "record" }>;
