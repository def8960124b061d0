// Types of the constitution language as the checker sees them. Schema types are a subset
// (contract/schema.ts); `null`, `empty` (the element type of `{}` / `[]`) and `error` (a poisoned
// expression whose error was already reported, so no cascade follows) exist only here.

export type Type =
  | { kind: "string" }
  | { kind: "number" }
  | { kind: "bool" }
  | { kind: "null" }
  | { kind: "enum"; name: string; members: string[]; ordered: boolean }
  | { kind: "set"; element: Type }
  | { kind: "list"; element: Type }
  | { kind: "record"; fields: { name: string; optional: boolean; type: Type }[] }
  | { kind: "empty" }
  | { kind: "error" };

/** Human-readable spelling used in diagnostics: `set<string>`, `Clearance`, `{ id: string }`. */
export function typeToString(type: Type): string {
  switch (type.kind) {
    case "enum":
      return type.name;
    case "set":
    case "list":
      return `${type.kind}<${typeToString(type.element)}>`;
    case "record":
      return `{ ${type.fields.map((f) => `${f.name}${f.optional ? "?" : ""}: ${typeToString(f.type)}`).join(", ")} }`;
    case "empty":
      return "nothing";
    default:
      return type.kind;
  }
}
