// The token vocabulary of the constitution language (docs/language.md, "Lexical structure"), shared
// by lexer and parser.
//
// Strings, numbers and block comments use lenient patterns on purpose: a malformed literal still
// becomes one token, so the lexer reports one precise diagnostic (MG1002/MG1003/MG1004) and the
// parser does not cascade into unrelated syntax errors.

import type { CustomPatternMatcherFunc, TokenType } from "chevrotain";
import { createToken, Lexer } from "./chevrotain.js";

export const Identifier = createToken({
  name: "Identifier",
  pattern: /[A-Za-z_][A-Za-z0-9_]*/,
  label: "an identifier",
});

/** `== != < <= > >= in`: the operators of the (non-associative) comparison level. */
export const CompareOp = createToken({ name: "CompareOp", pattern: Lexer.NA, label: "a comparison" });
export const AddOp = createToken({ name: "AddOp", pattern: Lexer.NA, label: "`+` or `-`" });
/** Every reserved keyword: the parser accepts one where a name belongs, to report it as reserved (MG1013). */
export const Reserved = createToken({ name: "Reserved", pattern: Lexer.NA, label: "a reserved word" });

function keyword(word: string, categories: TokenType[] = []): TokenType {
  return createToken({
    name: `Kw_${word}`,
    pattern: new RegExp(word),
    longer_alt: Identifier,
    categories: [Reserved, ...categories],
    label: `\`${word}\``,
  });
}

/**
 * Words the grammar gives a meaning in one place only. They are not reserved (docs/language.md,
 * "Lexical structure", does not list them), so they belong to the Identifier category and stay
 * usable as names elsewhere.
 */
function softKeyword(word: string): TokenType {
  return createToken({
    name: `Soft_${word}`,
    pattern: new RegExp(word),
    longer_alt: Identifier,
    categories: [Identifier],
    label: `\`${word}\``,
  });
}

export const Kw = {
  constitution: keyword("constitution"),
  version: keyword("version"),
  enum: keyword("enum"),
  schema: keyword("schema"),
  let: keyword("let"),
  article: keyword("article"),
  permit: keyword("permit"),
  forbid: keyword("forbid"),
  when: keyword("when"),
  remedy: keyword("remedy"),
  appeal: keyword("appeal"),
  message: keyword("message"),
  enforcement: keyword("enforcement"),
  advisory: keyword("advisory"),
  mandatory: keyword("mandatory"),
  registration: keyword("registration"),
  namespace: keyword("namespace"),
  grant: keyword("grant"),
  test: keyword("test"),
  input: keyword("input"),
  expect: keyword("expect"),
  and: keyword("and"),
  or: keyword("or"),
  not: keyword("not"),
  // `in` is both a comparison operator and the quantifier's separator.
  in: keyword("in", [CompareOp]),
  has: keyword("has"),
  matches: keyword("matches"),
  true: keyword("true"),
  false: keyword("false"),
  null: keyword("null"),
  set: keyword("set"),
  list: keyword("list"),
  any: keyword("any"),
  all: keyword("all"),
  limit: keyword("limit"),
  per: keyword("per"),
} as const;

export const Soft = {
  to: softKeyword("to"),
  second: softKeyword("second"),
  minute: softKeyword("minute"),
  hour: softKeyword("hour"),
  deny: softKeyword("deny"),
  verdict: softKeyword("verdict"),
  action_taken: softKeyword("action_taken"),
} as const;

/** Scans `"…"` up to the closing quote or the end of the line; the lexer validates the contents. */
const matchString: CustomPatternMatcherFunc = (text, offset) => {
  if (text.charCodeAt(offset) !== 34) return null;
  let i = offset + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 34) return [text.slice(offset, i + 1)];
    if (c === 10 || c === 13) break;
    i += c === 92 && i + 1 < text.length && text.charCodeAt(i + 1) !== 10 && text.charCodeAt(i + 1) !== 13 ? 2 : 1;
  }
  return [text.slice(offset, i)];
};

/** Scans `/* … *\/`, or to the end of the file when the comment is never closed. */
const matchBlockComment: CustomPatternMatcherFunc = (text, offset) => {
  if (!text.startsWith("/*", offset)) return null;
  const close = text.indexOf("*/", offset + 2);
  return [text.slice(offset, close === -1 ? text.length : close + 2)];
};

export const StringLiteral = createToken({
  name: "StringLiteral",
  pattern: { exec: matchString },
  start_chars_hint: ['"'],
  line_breaks: false,
  label: "a string",
});
export const NumberLiteral = createToken({
  name: "NumberLiteral",
  pattern: /\d+(?:\.\d*)?(?:[eE][+-]?\d*)?/,
  label: "a number",
});
export const LineComment = createToken({ name: "LineComment", pattern: /\/\/[^\n\r]*/, group: "comments" });
export const BlockComment = createToken({
  name: "BlockComment",
  pattern: { exec: matchBlockComment },
  start_chars_hint: ["/"],
  line_breaks: true,
  group: "comments",
});
const Whitespace = createToken({ name: "Whitespace", pattern: /[ \t\r\n]+/, group: Lexer.SKIPPED });

function punct(name: string, pattern: string, categories: TokenType[] = []): TokenType {
  return createToken({ name, pattern, categories, label: `\`${pattern}\`` });
}

export const P = {
  lcurly: punct("LCurly", "{"),
  rcurly: punct("RCurly", "}"),
  lbracket: punct("LBracket", "["),
  rbracket: punct("RBracket", "]"),
  lparen: punct("LParen", "("),
  rparen: punct("RParen", ")"),
  comma: punct("Comma", ","),
  colon: punct("Colon", ":"),
  dot: punct("Dot", "."),
  question: punct("Question", "?"),
  le: punct("LessEq", "<=", [CompareOp]),
  lt: punct("Less", "<", [CompareOp]),
  ge: punct("GreaterEq", ">=", [CompareOp]),
  gt: punct("Greater", ">", [CompareOp]),
  eq: punct("Equal", "==", [CompareOp]),
  assign: punct("Assign", "="),
  neq: punct("NotEqual", "!=", [CompareOp]),
  plus: punct("Plus", "+", [AddOp]),
  minus: punct("Minus", "-", [AddOp]),
  star: punct("Star", "*"),
} as const;

/** Order matters (first match wins): keywords before Identifier, `==` before `=`, `<=` before `<`. */
export const allTokens: TokenType[] = [
  Whitespace,
  LineComment,
  BlockComment,
  StringLiteral,
  NumberLiteral,
  ...Object.values(Kw),
  ...Object.values(Soft),
  Identifier,
  ...Object.values(P),
  CompareOp,
  AddOp,
  Reserved,
];
