// A validator for the subset of JSON Schema that compiler/ir/schema.json uses (type, const, enum,
// required, properties, additionalProperties: false, items, minItems, maxItems, minimum, oneOf, $ref).
// Returns the first problem as `<json path>: <reason>`, or null.

type Schema = Record<string, unknown>;

export function validateJson(root: Schema, value: unknown): string | null {
  return check(root, root, value, "$");
}

function typeMatches(type: string, value: unknown): boolean {
  switch (type) {
    case "object":
      return typeof value === "object" && value !== null && !Array.isArray(value);
    case "array":
      return Array.isArray(value);
    case "integer":
      return Number.isInteger(value);
    case "null":
      return value === null;
    default:
      return typeof value === type;
  }
}

function check(root: Schema, schema: Schema, value: unknown, path: string): string | null {
  if (typeof schema.$ref === "string") return check(root, resolve(root, schema.$ref), value, path);
  if (schema.oneOf !== undefined) {
    const matching = (schema.oneOf as Schema[]).filter((option) => check(root, option, value, path) === null).length;
    return matching === 1 ? null : `${path}: matches ${matching} of the oneOf alternatives`;
  }
  const types = schema.type === undefined ? [] : ([] as string[]).concat(schema.type as string | string[]);
  if (types.length > 0 && !types.some((t) => typeMatches(t, value))) return `${path}: expected ${types.join("|")}`;
  if ("const" in schema && value !== schema.const) return `${path}: expected ${JSON.stringify(schema.const)}`;
  if (schema.enum !== undefined && !(schema.enum as unknown[]).includes(value))
    return `${path}: not one of ${JSON.stringify(schema.enum)}`;
  if (typeof schema.minimum === "number" && (value as number) < schema.minimum)
    return `${path}: below ${schema.minimum}`;
  if (Array.isArray(value)) return checkArray(root, schema, value, path);
  if (typeMatches("object", value)) return checkObject(root, schema, value as Record<string, unknown>, path);
  return null;
}

function checkArray(root: Schema, schema: Schema, value: unknown[], path: string): string | null {
  if (typeof schema.minItems === "number" && value.length < schema.minItems)
    return `${path}: fewer than ${schema.minItems} items`;
  if (typeof schema.maxItems === "number" && value.length > schema.maxItems)
    return `${path}: more than ${schema.maxItems} items`;
  if (schema.items === undefined) return null;
  for (let i = 0; i < value.length; i++) {
    const problem = check(root, schema.items as Schema, value[i], `${path}[${i}]`);
    if (problem !== null) return problem;
  }
  return null;
}

function checkObject(root: Schema, schema: Schema, value: Record<string, unknown>, path: string): string | null {
  for (const key of (schema.required as string[] | undefined) ?? [])
    if (!(key in value)) return `${path}: missing \`${key}\``;
  const properties = (schema.properties as Record<string, Schema> | undefined) ?? {};
  for (const [key, child] of Object.entries(value)) {
    const sub = properties[key];
    if (sub === undefined) {
      if (schema.additionalProperties === false) return `${path}: unexpected \`${key}\``;
      continue;
    }
    const problem = check(root, sub, child, `${path}.${key}`);
    if (problem !== null) return problem;
  }
  return null;
}

function resolve(root: Schema, ref: string): Schema {
  return ref
    .replace(/^#\//, "")
    .split("/")
    .reduce<Schema>((node, key) => node[key] as Schema, root);
}
