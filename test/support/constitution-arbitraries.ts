// fast-check arbitraries for differential tests: well-typed constitutions (as source text, with the
// schema they declare) and decision inputs against a schema (mostly valid, some invalid).
//
// Generation is type-directed so every constitution passes the checker: expressions are built from
// the schema's paths by type, an optional field is only read under a `has` guard in the same
// conjunction, and names never collide (fields, enum members, `let`s and quantifier variables come
// from disjoint pools). String and number literals come from the same small pools as input values,
// so conditions hold on a good share of inputs.

import fc from "fast-check";
import type { RecordSchema, SchemaField, SchemaType } from "../../contract/schema.js";

export interface GeneratedEnum {
  name: string;
  members: string[];
  ordered: boolean;
}

export interface GeneratedConstitution {
  /** The `.constitution` source text. */
  source: string;
  schema: RecordSchema;
  enums: GeneratedEnum[];
}

// The padded strings (Unicode white space included) give `trim` something to remove.
export const STRING_POOL = [
  ...["alpha", "beta", "gamma", "", "Alpha", "x", "é", "😀", "a b", "42", "beta-alpha", "{x}"],
  ...[" alpha", "beta\u3000", "\u00a0x\u2028", "\t \n"],
];
export const NUMBER_POOL = [0, 1, -1, 2.5, 10, 100, 1000, -0.5, 7, 20000.5];
const REGEX_POOL = [
  "^a",
  "a$",
  "[0-9]+",
  "al(pha|t)",
  "é",
  "^$",
  "x|y",
  "\\d{2}",
  ".",
  "^[a-z]*$",
  "(?:ph){1,2}a",
  "[^a-z]",
  "😀",
];
const REMEDIES = ["none", "log", "warn", "rollback", "throttle", "quarantine", "suspend"];
const FIELD_NAMES = [
  "id",
  "kind",
  "level",
  "tags",
  "score",
  "flag",
  "note",
  "meta",
  "items",
  "amount",
  "target",
  "labels",
  "ratio",
  "color",
];
const ROOT_NAMES = ["action", "context", "stats", "output"];
const ROMAN = [
  "",
  "I",
  "II",
  "III",
  "IV",
  "V",
  "VI",
  "VII",
  "VIII",
  "IX",
  "X",
  "XI",
  "XII",
  "XIII",
  "XIV",
  "XV",
  "XVI",
  "XVII",
  "XVIII",
  "XIX",
  "XX",
];

// ---- schema -----------------------------------------------------------------------------------

const ENUMS: GeneratedEnum[] = [
  { name: "Level", members: ["low", "mid", "high", "top"], ordered: true },
  { name: "Color", members: ["red", "green", "blue"], ordered: false },
];

const scalarTypeArb: fc.Arbitrary<SchemaType> = fc.constantFrom<SchemaType>(
  { kind: "string" },
  { kind: "string" },
  { kind: "number" },
  { kind: "bool" },
  { kind: "enum", ...ENUMS[0]! },
  { kind: "enum", ...ENUMS[1]! },
);

const { type: fieldTypeArb } = fc.letrec<{ type: SchemaType }>((tie) => ({
  type: fc.oneof(
    { maxDepth: 2, depthIdentifier: "schema" },
    { weight: 6, arbitrary: scalarTypeArb },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.constantFrom<"set" | "list">("set", "list"), scalarTypeArb)
        .map(([kind, element]): SchemaType => ({ kind, element })),
    },
    {
      weight: 1,
      arbitrary: tie("type")
        .chain((t) => recordOf(t))
        .map((fields): SchemaType => ({ kind: "list", element: { kind: "record", fields } })),
    },
    {
      weight: 2,
      arbitrary: tie("type")
        .chain((t) => recordOf(t))
        .map((fields): SchemaType => ({ kind: "record", fields })),
    },
  ),
}));

/** 1–3 fields with distinct names; the first has type `first` so recursion always contributes. */
function recordOf(first: SchemaType): fc.Arbitrary<SchemaField[]> {
  return fc
    .tuple(
      fc.shuffledSubarray(FIELD_NAMES, { minLength: 1, maxLength: 3 }),
      fc.array(fieldTypeArb, { minLength: 3, maxLength: 3 }),
      fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
    )
    .map(([names, types, optional]) =>
      names.map((name, i) => ({ name, optional: optional[i]!, type: i === 0 ? first : types[i]! })),
    );
}

const agentArb: fc.Arbitrary<SchemaField> = fc
  .tuple(
    fc.shuffledSubarray(
      FIELD_NAMES.filter((n) => n !== "id"),
      { minLength: 1, maxLength: 3 },
    ),
    fc.array(fieldTypeArb, { minLength: 3, maxLength: 3 }),
    fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
  )
  .map(([names, types, optional]) => ({
    name: "agent",
    optional: false,
    type: {
      kind: "record",
      fields: [
        { name: "id", optional: false, type: { kind: "string" } },
        ...names.map((name, i) => ({ name, optional: optional[i]!, type: types[i]! })),
      ],
    },
  }));

const schemaArb: fc.Arbitrary<RecordSchema> = fc
  .tuple(
    agentArb,
    fc.shuffledSubarray(ROOT_NAMES, { minLength: 1, maxLength: 3 }),
    fc.array(fieldTypeArb, { minLength: 3, maxLength: 3 }),
    fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
  )
  .map(([agent, names, types, optional]) => ({
    kind: "record",
    fields: [agent, ...names.map((name, i) => ({ name, optional: optional[i]!, type: types[i]! }))],
  }));

function typeText(type: SchemaType): string {
  switch (type.kind) {
    case "enum":
      return type.name;
    case "set":
    case "list":
      return `${type.kind}<${typeText(type.element)}>`;
    case "record":
      return `{ ${type.fields.map((f) => `${f.name}${f.optional ? "?" : ""}: ${typeText(f.type)}`).join(", ")} }`;
    default:
      return type.kind;
  }
}

// ---- readable paths ---------------------------------------------------------------------------

/** A value the generator can read: its text, its type and the `has` guards it needs first. */
interface Readable {
  text: string;
  type: SchemaType;
  guards: string[];
}

/** Every path below `root` (the input's root fields, or a quantifier variable's record fields). */
function readablePaths(prefix: string, record: Extract<SchemaType, { kind: "record" }>, guards: string[]): Readable[] {
  return record.fields.flatMap((field) => {
    const text = prefix === "" ? field.name : `${prefix}.${field.name}`;
    const fieldGuards = field.optional ? [...guards, text] : guards;
    const self: Readable = { text, type: field.type, guards: fieldGuards };
    return field.type.kind === "record" ? [self, ...readablePaths(text, field.type, fieldGuards)] : [self];
  });
}

interface Ctx {
  paths: Readable[];
  depth: number;
  variables: number;
}

function guarded(read: Readable, body: string): string {
  return read.guards.length === 0 ? body : `(${read.guards.map((g) => `has ${g}`).join(" and ")} and ${body})`;
}

const stringLiteral = fc.constantFrom(...STRING_POOL).map((s) => JSON.stringify(s));
const numberLiteral = fc.constantFrom(...NUMBER_POOL).map(String);

function ofType(ctx: Ctx, kind: SchemaType["kind"]): Readable[] {
  return ctx.paths.filter((p) => p.type.kind === kind);
}

function pick<T>(items: T[]): fc.Arbitrary<T> {
  return fc.constantFrom(...items);
}

// ---- conditions -------------------------------------------------------------------------------

/** A bool condition over `ctx`'s paths; every alternative is well-typed and guarded. */
function conditionArb(ctx: Ctx): fc.Arbitrary<string> {
  const atoms: fc.Arbitrary<string>[] = [fc.constantFrom("true", "false", "1 < 2")];
  const strings = ofType(ctx, "string");
  const numbers = ofType(ctx, "number");
  const bools = ofType(ctx, "bool");
  const enums = ofType(ctx, "enum");
  const collections = ctx.paths.filter((p) => p.type.kind === "set" || p.type.kind === "list");
  const optionals = ctx.paths.filter((p) => p.guards.length > 0);
  if (strings.length > 0) atoms.push(stringAtom(strings));
  if (numbers.length > 0) atoms.push(numberAtom(numbers, strings));
  if (bools.length > 0)
    atoms.push(
      fc
        .tuple(pick(bools), fc.constantFrom("", "not ", "true == "))
        .map(([p, prefix]) => guarded(p, `${prefix}${p.text}`)),
    );
  if (enums.length > 0) atoms.push(enumAtom(enums));
  if (collections.length > 0) atoms.push(collectionAtom(collections, ctx));
  if (optionals.length > 0)
    atoms.push(fc.tuple(pick(optionals), fc.constantFrom("", "not ")).map(([p, prefix]) => `${prefix}has ${p.text}`));
  const atom = fc.oneof(...atoms);
  if (ctx.depth <= 0) return atom;
  const inner = conditionArb({ ...ctx, depth: ctx.depth - 1 });
  return fc.oneof(
    { weight: 4, arbitrary: atom },
    { weight: 2, arbitrary: fc.tuple(inner, inner).map(([a, b]) => `(${a} and ${b})`) },
    { weight: 2, arbitrary: fc.tuple(inner, inner).map(([a, b]) => `(${a} or ${b})`) },
    { weight: 1, arbitrary: inner.map((a) => `not (${a})`) },
  );
}

function stringAtom(strings: Readable[]): fc.Arbitrary<string> {
  return fc.oneof(
    fc
      .tuple(pick(strings), fc.constantFrom("==", "!=", "<", ">="), stringLiteral)
      .map(([p, op, lit]) => guarded(p, `${p.text} ${op} ${lit}`)),
    fc.tuple(pick(strings), stringLiteral).map(([p, lit]) => guarded(p, `${lit} in ${p.text}`)),
    fc
      .tuple(pick(strings), fc.constantFrom("contains", "starts_with", "ends_with"), stringLiteral)
      .map(([p, f, lit]) => guarded(p, `${f}(${p.text}, ${lit})`)),
    fc
      .tuple(pick(strings), fc.constantFrom("lower", "upper", "trim"), stringLiteral)
      .map(([p, f, lit]) => guarded(p, `${f}(${p.text}) == ${lit}`)),
    fc
      .tuple(pick(strings), fc.constantFrom("starts_with", "ends_with", "contains"))
      .map(([p, f]) => guarded(p, `${f}(${p.text}, trim(${p.text}))`)),
    fc
      .tuple(pick(strings), fc.constantFrom(...REGEX_POOL))
      .map(([p, re]) => guarded(p, `${p.text} matches ${JSON.stringify(re)}`)),
    fc
      .tuple(pick(strings), fc.array(stringLiteral, { minLength: 0, maxLength: 3 }), fc.constantFrom("{", "["))
      .map(([p, lits, open]) => guarded(p, `${p.text} in ${open}${lits.join(", ")}${open === "{" ? "}" : "]"}`)),
    fc.tuple(pick(strings), pick(strings)).map(([p, q]) => guarded(p, guarded(q, `${p.text} in [${q.text}, "alpha"]`))),
    fc
      .tuple(pick(strings), fc.constantFrom("names", "prefix"))
      .map(([p, k]) => guarded(p, k === "names" ? `${p.text} in k_names` : `starts_with(${p.text}, k_prefix)`)),
    fc.tuple(pick(strings), numberLiteral).map(([p, n]) => guarded(p, `count(${p.text}) > ${n}`)),
  );
}

function numberAtom(numbers: Readable[], strings: Readable[]): fc.Arbitrary<string> {
  const term = fc.oneof(
    pick(numbers).map((p) => ({ text: p.text, reads: [p] })),
    fc
      .tuple(pick(numbers), fc.constantFrom("+", "-", "*"), numberLiteral)
      .map(([p, op, n]) => ({ text: `${p.text} ${op} ${n}`, reads: [p] })),
    ...(strings.length > 0 ? [pick(strings).map((p) => ({ text: `count(${p.text})`, reads: [p] }))] : []),
    ...(strings.length > 0 ? [pick(strings).map((p) => ({ text: `count(trim(${p.text}))`, reads: [p] }))] : []),
  );
  return fc
    .tuple(term, fc.constantFrom("==", "!=", "<", "<=", ">", ">="), fc.oneof(numberLiteral, fc.constant("k_limit")))
    .map(([t, op, rhs]) => t.reads.reduce((body, p) => guarded(p, body), `${t.text} ${op} ${rhs}`));
}

function enumAtom(enums: Readable[]): fc.Arbitrary<string> {
  return pick(enums).chain((p) => {
    const type = p.type as Extract<SchemaType, { kind: "enum" }>;
    const member = pick(type.members);
    const ops = type.ordered ? ["==", "!=", "<", "<=", ">", ">="] : ["==", "!="];
    return fc.oneof(
      fc
        .tuple(fc.constantFrom(...ops), member, fc.boolean())
        .map(([op, m, qualified]) => guarded(p, `${p.text} ${op} ${qualified ? `${type.name}.${m}` : m}`)),
      fc.subarray(type.members, { minLength: 1 }).map((ms) => guarded(p, `${p.text} in {${ms.join(", ")}}`)),
    );
  });
}

function collectionAtom(collections: Readable[], ctx: Ctx): fc.Arbitrary<string> {
  return pick(collections).chain((p) => {
    const element = (p.type as Extract<SchemaType, { kind: "set" | "list" }>).element;
    const variable = `q${ctx.variables}`;
    const bodyCtx: Ctx = {
      ...ctx,
      depth: 0,
      variables: ctx.variables + 1,
      paths: [
        ...(element.kind === "record"
          ? readablePaths(variable, element, [])
          : [{ text: variable, type: element, guards: [] }]),
        ...ctx.paths,
      ],
    };
    const options: fc.Arbitrary<string>[] = [
      fc
        .tuple(fc.constantFrom("any", "all"), conditionArb(bodyCtx))
        .map(([q, body]) => guarded(p, `(${q} ${variable} in ${p.text}: ${body})`)),
      fc
        .tuple(fc.constantFrom("==", ">", "<="), numberLiteral)
        .map(([op, n]) => guarded(p, `count(${p.text}) ${op} ${n}`)),
    ];
    if (element.kind === "string") {
      options.push(stringLiteral.map((lit) => guarded(p, `${lit} in ${p.text}`)));
      if (p.type.kind === "set")
        options.push(
          fc.array(stringLiteral, { maxLength: 2 }).map((lits) => guarded(p, `${p.text} == {${lits.join(", ")}}`)),
        );
    }
    if (element.kind === "enum") options.push(pick(element.members).map((m) => guarded(p, `${m} in ${p.text}`)));
    return fc.oneof(...options);
  });
}

// ---- declarations -----------------------------------------------------------------------------

function templateArb(ctx: Ctx): fc.Arbitrary<string> {
  const scalars = ctx.paths.filter(
    (p) => p.guards.length === 0 && ["string", "number", "bool", "enum"].includes(p.type.kind),
  );
  const part = fc.oneof(
    fc.constantFrom("agent ", "did ", "{{literal}} ", ": "),
    ...(scalars.length > 0 ? [pick(scalars).map((p) => `{${p.text}}`)] : []),
  );
  return fc.array(part, { minLength: 1, maxLength: 4 }).map((parts) => JSON.stringify(parts.join("")));
}

function forbidArb(code: string, ctx: Ctx): fc.Arbitrary<string> {
  return fc
    .tuple(
      conditionArb(ctx),
      fc.option(fc.constantFrom(...REMEDIES)),
      fc.option(fc.constantFrom("appeal_board", "ask_admin")),
      fc.option(templateArb(ctx)),
    )
    .map(([when, remedy, appeal, message]) =>
      [
        `  forbid ${code} when ${when}`,
        remedy === null ? "" : `    remedy ${remedy}`,
        appeal === null ? "" : `    appeal "${appeal}"`,
        message === null ? "" : `    message ${message}`,
      ]
        .filter((line) => line !== "")
        .join("\n"),
    );
}

function permitArb(code: string, ctx: Ctx): fc.Arbitrary<string> {
  return fc
    .tuple(fc.boolean(), conditionArb(ctx))
    .map(([named, when]) => `  permit ${named ? `${code} ` : ""}when ${when}`);
}

function articleArb(value: number, index: number, ctx: Ctx): fc.Arbitrary<string> {
  const number = fc.constantFrom(String(value), ROMAN[value]!);
  const rule = (i: number): fc.Arbitrary<string> =>
    fc.oneof(forbidArb(`f${index}_${i}`, ctx), permitArb(`p${index}_${i}`, ctx));
  const limit = fc.option(
    fc
      .tuple(fc.integer({ min: 1, max: 500 }), fc.constantFrom("second", "minute", "hour"))
      .map(([n, w]) => `  limit calls${index} per agent.id to ${n} per ${w}`),
  );
  return fc
    .tuple(
      number,
      fc.constantFrom("", " enforcement advisory", " enforcement mandatory"),
      fc.tuple(rule(1), rule(2), rule(3)),
      fc.integer({ min: 1, max: 3 }),
      limit,
    )
    .map(
      ([n, enforcement, rules, count, lim]) =>
        `article ${n} "Rule Set ${index}"${enforcement} {\n${[...(lim === null ? [] : [lim]), ...rules.slice(0, count)].join("\n")}\n}`,
    );
}

function registrationArb(schema: RecordSchema): fc.Arbitrary<string> {
  const agent = schema.fields[0]!;
  const ctx: Ctx = { paths: readablePaths("", { kind: "record", fields: [agent] }, []), depth: 1, variables: 0 };
  const item = fc
    .tuple(
      fc.constantFrom("namespace", "grant"),
      fc.constantFrom("ns-a", "ns-b", "read:x", "write:y"),
      conditionArb(ctx),
    )
    .map(([k, v, when]) => `  ${k} "${v}" when ${when}`);
  return fc.array(item, { minLength: 1, maxLength: 4 }).map((items) => `registration {\n${items.join("\n")}\n}`);
}

/** A well-typed constitution: header, enums, a random schema, lets, 1–4 articles, a registration block. */
export function constitutionArb(): fc.Arbitrary<GeneratedConstitution> {
  return schemaArb.chain((schema) => {
    const ctx: Ctx = { paths: readablePaths("", schema, []), depth: 2, variables: 0 };
    const articles = fc
      .uniqueArray(fc.integer({ min: 1, max: 20 }), { minLength: 1, maxLength: 4 })
      .chain((values) => fc.tuple(...values.map((v, i) => articleArb(v, i, ctx))));
    return fc
      .tuple(articles, registrationArb(schema), fc.constantFrom(...NUMBER_POOL))
      .map(([arts, registration, limit]) => ({
        schema,
        enums: ENUMS,
        source: [
          `constitution generated version "1.0.0"`,
          ...ENUMS.map((e) => `enum ${e.name} { ${e.members.join(e.ordered ? " < " : ", ")} }`),
          `schema {\n${schema.fields.map((f) => `  ${f.name}${f.optional ? "?" : ""}: ${typeText(f.type)},`).join("\n")}\n}`,
          `let k_names = {"alpha", "beta", "😀"}`,
          `let k_prefix = "al"`,
          `let k_limit = ${limit} * 2`,
          ...arts,
          registration,
        ].join("\n\n"),
      }));
  });
}

// ---- inputs -----------------------------------------------------------------------------------

function valueArb(type: SchemaType): fc.Arbitrary<unknown> {
  switch (type.kind) {
    case "string":
      return fc.oneof(
        { weight: 5, arbitrary: fc.constantFrom(...STRING_POOL) },
        { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
      );
    case "number":
      return fc.oneof(
        { weight: 5, arbitrary: fc.constantFrom(...NUMBER_POOL) },
        { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
      );
    case "bool":
      return fc.boolean();
    case "enum":
      return fc.constantFrom(...type.members);
    case "set":
    case "list":
      return fc.array(valueArb(type.element), { maxLength: 4 });
    case "record":
      return recordValueArb(type);
  }
}

function recordValueArb(type: Extract<SchemaType, { kind: "record" }>): fc.Arbitrary<Record<string, unknown>> {
  const fields = type.fields.map((f) =>
    f.optional
      ? fc.oneof(
          { weight: 3, arbitrary: valueArb(f.type) },
          { weight: 1, arbitrary: fc.constant(undefined) },
          { weight: 1, arbitrary: fc.constant(null) },
        )
      : valueArb(f.type),
  );
  return fc.tuple(fc.tuple(...fields), fc.boolean()).map(([values, extra]) => {
    const record: Record<string, unknown> = {};
    type.fields.forEach((f, i) => {
      if (values[i] !== undefined) record[f.name] = values[i];
    });
    if (extra) record.unlisted_field = { ignored: true };
    return record;
  });
}

/** One way to break a valid document: applied at the `position`-th value of the tree. */
type Mutation = "wrong_type" | "delete" | "unknown_member" | "null";
const WRONG_VALUES: unknown[] = [42, "text", true, [], {}, null];

function locations(
  value: unknown,
  out: { parent: Record<string, unknown> | unknown[]; key: string | number }[] = [],
): typeof out {
  if (typeof value === "object" && value !== null) {
    for (const [key, child] of Object.entries(value)) {
      out.push({ parent: value as Record<string, unknown>, key: Array.isArray(value) ? Number(key) : key });
      locations(child, out);
    }
  }
  return out;
}

function mutate(document: Record<string, unknown>, mutation: Mutation, position: number, replacement: number): unknown {
  const copy = structuredClone(document);
  const places = locations(copy);
  if (places.length === 0) return [];
  const { parent, key } = places[position % places.length]!;
  const target = parent as Record<string | number, unknown>;
  if (mutation === "delete" && !Array.isArray(parent)) delete target[key];
  else if (mutation === "unknown_member") target[key] = "not_a_member";
  else if (mutation === "null") target[key] = null;
  else target[key] = WRONG_VALUES[replacement % WRONG_VALUES.length];
  return copy;
}

/** Decision inputs for `schema`: about 80% valid documents, the rest broken in one place or not objects. */
export function inputArb(schema: RecordSchema): fc.Arbitrary<unknown> {
  const valid = recordValueArb(schema);
  const broken = fc
    .tuple(valid, fc.constantFrom<Mutation>("wrong_type", "delete", "unknown_member", "null"), fc.nat(), fc.nat())
    .map(([doc, mutation, position, replacement]) => mutate(doc, mutation, position, replacement));
  return fc.oneof(
    { weight: 16, arbitrary: valid },
    { weight: 4, arbitrary: broken },
    { weight: 1, arbitrary: fc.constantFrom<unknown>(null, 7, "input", [], true) },
  );
}
