// The type checker: parsed files → a CheckedConstitution, or every problem found.
//
// Stages, in order (each reports and carries on; a poisoned `error` type stops cascades):
//   1. declarations.ts   collect declarations; misplaced, missing or repeated ones
//   2. types-resolve.ts  enums and the schema become types
//   3. lets.ts           `let`s typed on first use, cycles, constant folding (fold.ts)
//   4. articles.ts       article numbers, rule codes, conditions, remedies, templates, limits
//   5. registration.ts   registration conditions (they may read only `agent`)
//   6. tests.ts          test expectations and inputs
// Expressions are typed by expressions.ts and paths.ts, with `has` guards from guards.ts.
//
// Output contract (what the interpreter and the planner may rely on when `constitution` is non-null):
// - Every Expr node reachable from a rule, limit key, template hole, registration item or `let`
//   has `$type`.
// - Every `Name` has `$ref`: `input` (a schema root field), `let`, `variable` (a quantifier
//   variable), or `enumMember` (a bare member, whose `$type` is its enum).
// - A `FieldAccess` that denotes `Enum.member` has `$ref: {kind: "enumMember"}` and its `object`
//   Name has `$ref: {kind: "enumType"}`; every other `FieldAccess` (no `$ref`) reads a field.
// - An optional field is only read where a `has` guards it, so evaluation never reads an absent
//   field; `message` holes are scalar paths guarded by their rule's condition.
// - `articles` are sorted by numeric value; rule positions count forbids and permits (not limits)
//   from 1; unnamed permits are coded `<number as written>.<position>`; `permitsInSourceOrder`
//   follows the files in the order given; remedies are defaulted (`none` for forbids, `throttle`
//   for limits); `lets` holds every `let` folded to a finite ConstValue (enum members as names,
//   sets duplicate-free).

import type { FileNode } from "../ast/nodes.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { SourceFile, Span } from "../diagnostics/span.js";
import { InternalCompilerError } from "../diagnostics/internal-error.js";
import { checkArticles } from "./articles.js";
import { collectDeclarations } from "./declarations.js";
import { constitutionDigest } from "./digest.js";
import type { Globals } from "./env.js";
import { LetTable } from "./lets.js";
import type { CheckedConstitution } from "./model.js";
import { checkRegistration } from "./registration.js";
import { Reporter } from "./reporter.js";
import { checkTests } from "./tests.js";
import { containsError } from "./type-ops.js";
import { resolveEnums, resolveSchema, toRecordSchema } from "./types-resolve.js";

export interface CheckResult {
  /** Non-null iff no errors were reported (warnings allowed). */
  constitution: CheckedConstitution | null;
  diagnostics: Diagnostic[];
}

/** Checks the files of one constitution (test files included). Never throws. */
export function checkConstitution(files: FileNode[], sources: SourceFile[]): CheckResult {
  try {
    return runStages(files, sources);
  } catch (e) {
    return { constitution: null, diagnostics: [internalError(e, files)] };
  }
}

function runStages(files: FileNode[], sources: SourceFile[]): CheckResult {
  const reporter = new Reporter();
  const decls = collectDeclarations(files, reporter);
  const enums = resolveEnums(decls.enums);
  const schema = resolveSchema(decls.schema, enums, reporter);
  const lets = new LetTable(decls.lets);
  const texts = new Map(sources.map((s) => [s.path, s.text]));
  const globals: Globals = {
    reporter,
    enums,
    schema,
    letType: (name, use) => lets.typeOf(name, use, globals),
    hasLet: (name) => lets.has(name),
    letNames: () => lets.names(),
    sourceText: (file) => texts.get(file),
  };
  lets.checkAll(globals);
  const checked = checkArticles(decls.articles, globals);
  const registration = checkRegistration(decls.registration, globals);
  for (const block of decls.repeated) {
    if (block.kind === "Schema") resolveSchema(block, enums, reporter);
    else checkRegistration(block, globals);
  }
  const runtimeSchema = containsError(schema) ? null : toRecordSchema(schema);
  checkTests(
    decls.tests,
    { violationCodes: checked.violationCodes, articles: checked.articles, schema: runtimeSchema },
    reporter,
  );
  if (reporter.errorCount() > 0 || decls.header === null || runtimeSchema === null)
    return { constitution: null, diagnostics: reporter.diagnostics };
  const constitution: CheckedConstitution = {
    name: decls.header.name.name,
    version: decls.header.version.value,
    digest: constitutionDigest(sources),
    schema: runtimeSchema,
    enums: [...enums.values()].map((e) => ({ name: e.name, members: [...e.members], ordered: e.ordered })),
    lets: lets.folded(),
    articles: checked.articles,
    permitsInSourceOrder: checked.permitsInSourceOrder,
    registration,
    files,
    tests: decls.tests,
  };
  return { constitution, diagnostics: reporter.diagnostics };
}

function internalError(e: unknown, files: readonly FileNode[]): Diagnostic {
  const at = { offset: 0, line: 1, column: 1 };
  const span: Span = { file: files[0]?.path ?? "<constitution>", start: at, end: at };
  const detail = e instanceof InternalCompilerError ? e.detail : e instanceof Error ? e.message : String(e);
  return {
    code: "MG9001",
    severity: "error",
    message: `internal compiler error: ${detail}`,
    span,
    hint: "this is a bug in musgo; please report it with the constitution that triggers it",
  };
}
