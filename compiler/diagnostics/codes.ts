// Every diagnostic code musgo can report, declared once. Codes are stable: never renumber, only add.
// MG1xxx syntax, MG2xxx type checker, MG3xxx tests, MG4xxx files and inputs, MG9xxx internal errors.
// docs/diagnostics.md documents each one with an example; a test checks both lists agree.

export const DIAGNOSTIC_CODES = {
  // Lexical and syntax
  MG1001: "unexpected character",
  MG1002: "malformed string literal",
  MG1003: "unterminated block comment",
  MG1004: "malformed number",
  MG1010: "unexpected token",
  MG1011: "unexpected end of file",
  MG1012: "`=` used as a comparison",
  MG1013: "reserved word used as a name",
  MG1014: "indexing is not in the language",
  MG1020: "invalid article number",
  MG1021: "enum mixes `<` and `,` separators",
  MG1022: "malformed message template",
  MG1023: "duplicate key in test input",
  // Names and types
  MG2001: "unknown field",
  MG2002: "unknown enum member",
  MG2003: "unknown name",
  MG2004: "unknown type",
  MG2005: "unknown function or wrong number of arguments",
  MG2006: "unknown remedy",
  MG2010: "type mismatch",
  MG2011: "ordering comparison on an unordered type",
  MG2020: "optional field read without a `has` guard",
  MG2030: "invalid regular expression",
  MG2040: "duplicate article number",
  MG2041: "duplicate rule code",
  MG2042: "duplicate declaration",
  MG2043: "ambiguous bare name",
  MG2050: "missing or repeated constitution header",
  MG2051: "repeated schema or registration block",
  MG2052: "constitution version is not a semantic version",
  MG2060: "`let` is not a compile-time constant",
  MG2061: "`let` definitions form a cycle",
  MG2070: "invalid rate limit",
  MG2071: "registration condition reads more than `agent`",
  MG2080: "declaration in the wrong kind of file",
  MG2090: "`has` on a field that is not optional",
  // Policy tests
  MG3001: "test input does not match the schema",
  MG3002: "test expectation names an unknown code or article",
  MG3003: "unknown field in a test expectation",
  MG3004: "invalid `action_taken` in a test expectation",
  MG3005: "no tests found",
  // Files and inputs
  MG4001: "cannot read file",
  MG4002: "no constitution files found",
  MG4003: "malformed decision input",
  MG4004: "not a text file",
  MG4005: "invalid UTF-8",
  MG4090: "too many errors in one file",
  // Internal
  MG9001: "internal compiler error",
} as const;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;
