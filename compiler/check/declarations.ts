// Stage 1: collects the declarations of every file and reports what is misplaced or repeated:
// tests outside test files (and anything else inside them), the header (exactly one, its version
// a semantic version), schema and registration (at most one), duplicate enums, enum members,
// `let`s and test names.

import type {
  ArticleDecl,
  Declaration,
  EnumDecl,
  FileNode,
  HeaderDecl,
  Identifier,
  LetDecl,
  RegistrationDecl,
  SchemaDecl,
  TestDecl,
} from "../ast/nodes.js";
import type { Span } from "../diagnostics/span.js";
import { isTestFile } from "../source-kinds.js";
import { whereIs, type Reporter } from "./reporter.js";

export interface Declarations {
  header: HeaderDecl | null;
  /** First declaration of each enum name. */
  enums: EnumDecl[];
  schema: SchemaDecl | null;
  /** First declaration of each `let` name. */
  lets: Map<string, LetDecl>;
  /** Source order: files in the order given, then position. */
  articles: ArticleDecl[];
  registration: RegistrationDecl | null;
  tests: TestDecl[];
  /** Repeated schema and registration blocks: reported, and still checked for their own problems. */
  repeated: (SchemaDecl | RegistrationDecl)[];
}

const BUILTIN_TYPE_NAMES = new Set(["string", "number", "bool"]);

export function collectDeclarations(files: readonly FileNode[], reporter: Reporter): Declarations {
  const collected: Declarations = {
    header: null,
    enums: [],
    schema: null,
    lets: new Map(),
    articles: [],
    registration: null,
    tests: [],
    repeated: [],
  };
  const seen = new Uniqueness(reporter);
  for (const file of files) {
    const testFile = isTestFile(file.path);
    for (const decl of file.declarations) {
      checkPlacement(decl, testFile, reporter);
      collect(decl, collected, seen, reporter, testFile);
    }
  }
  if (collected.header === null) reportMissingHeader(files, reporter);
  return collected;
}

/** Reports the second and later uses of a name within one namespace. */
class Uniqueness {
  private readonly firsts = new Map<string, Span>();

  constructor(private readonly reporter: Reporter) {}

  /** True when `name` is new in `namespace`; otherwise reports MG2042. */
  claim(namespace: string, name: Identifier | { name: string; span: Span }, what: string, where = ""): boolean {
    const key = `${namespace}\0${name.name}`;
    const first = this.firsts.get(key);
    if (first === undefined) {
      this.firsts.set(key, name.span);
      return true;
    }
    this.reporter.error(
      "MG2042",
      name.span,
      `duplicate ${what} \`${name.name}\`${where}`,
      `first declared at ${whereIs(first)}`,
    );
    return false;
  }
}

function checkPlacement(decl: Declaration, testFile: boolean, reporter: Reporter): void {
  if (testFile && decl.kind !== "Test") {
    reporter.error(
      "MG2080",
      decl.span,
      `a test file may hold only \`test\` blocks, found \`${keywordOf(decl)}\``,
      "move it to a file whose name does not end in `_test.constitution`",
    );
  } else if (!testFile && decl.kind === "Test") {
    reporter.error(
      "MG2080",
      decl.span,
      "`test` blocks belong in test files",
      "move it to a file whose name ends in `_test.constitution`",
    );
  }
}

function keywordOf(decl: Declaration): string {
  return decl.kind === "Header" ? "constitution" : decl.kind.toLowerCase();
}

function collect(decl: Declaration, into: Declarations, seen: Uniqueness, reporter: Reporter, testFile: boolean): void {
  switch (decl.kind) {
    case "Header":
      if (testFile) return;
      if (into.header === null) {
        into.header = decl;
        checkVersion(decl, reporter);
      } else {
        const hint = `the header is declared once, at ${whereIs(into.header.span)}`;
        reporter.error("MG2050", decl.span, "repeated `constitution` header", hint);
      }
      return;
    case "Enum":
      if (BUILTIN_TYPE_NAMES.has(decl.name.name))
        reporter.error(
          "MG2042",
          decl.name.span,
          `enum \`${decl.name.name}\` clashes with a built-in type`,
          "choose another name for the enum",
        );
      else if (seen.claim("enum", decl.name, "enum")) into.enums.push(decl);
      for (const member of decl.members)
        seen.claim(`member ${decl.name.name}`, member, "member", ` in enum \`${decl.name.name}\``);
      return;
    case "Schema":
      if (into.schema === null) into.schema = decl;
      else {
        reporter.error(
          "MG2051",
          decl.span,
          "repeated `schema` block",
          `the schema is declared once, at ${whereIs(into.schema.span)}`,
        );
        into.repeated.push(decl);
      }
      return;
    case "Let":
      if (seen.claim("let", decl.name, "let")) into.lets.set(decl.name.name, decl);
      return;
    case "Article":
      into.articles.push(decl);
      return;
    case "Registration":
      if (into.registration === null) into.registration = decl;
      else {
        reporter.error(
          "MG2051",
          decl.span,
          "repeated `registration` block",
          `registration is declared once, at ${whereIs(into.registration.span)}`,
        );
        into.repeated.push(decl);
      }
      return;
    case "Test":
      seen.claim("test", { name: decl.name.value, span: decl.name.span }, "test");
      into.tests.push(decl);
      return;
  }
}

/** Semantic Versioning 2.0.0 (semver.org): `1.2.0`, `2.0.0-rc.1`, `1.0.0+build.5`. */
const NUMERIC = String.raw`0|[1-9]\d*`;
const PRERELEASE_PART = String.raw`${NUMERIC}|\d*[a-zA-Z-][0-9a-zA-Z-]*`;
const SEMVER = new RegExp(
  String.raw`^(?:${NUMERIC})\.(?:${NUMERIC})\.(?:${NUMERIC})` +
    String.raw`(?:-(?:${PRERELEASE_PART})(?:\.(?:${PRERELEASE_PART}))*)?` +
    String.raw`(?:\+[0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*)?$`,
);

export function isSemanticVersion(version: string): boolean {
  return SEMVER.test(version);
}

/** Every verdict carries the version, so it must be one tools can compare. */
function checkVersion(header: HeaderDecl, reporter: Reporter): void {
  const version = header.version.value;
  if (isSemanticVersion(version)) return;
  const parts = version.split(".");
  const hint = /^\d+(\.\d+)?$/.test(version)
    ? `write all three parts: \`${[...parts, "0", "0"].slice(0, 3).join(".")}\``
    : 'write `MAJOR.MINOR.PATCH`, e.g. `"1.0.0"` or `"2.1.0-rc.1"`';
  reporter.error("MG2052", header.version.span, `version \`${version}\` is not a semantic version`, hint);
}

function reportMissingHeader(files: readonly FileNode[], reporter: Reporter): void {
  const file = files.find((f) => !isTestFile(f.path)) ?? files[0];
  if (file === undefined) return;
  const at = { offset: 0, line: 1, column: 1 };
  reporter.error(
    "MG2050",
    { file: file.path, start: at, end: at },
    "missing `constitution` header",
    'add `constitution <name> version "1.0.0"` to one of the files',
  );
}
