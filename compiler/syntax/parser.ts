// Stage 2 of the front end: tokens → concrete syntax tree. The grammar is docs/grammar.md.
//
// Error recovery is on, so one run reports every syntax error: chevrotain re-syncs at the tokens
// that may follow the failing rule (declaration keywords, `permit`/`forbid`/`limit`, `}`), and a
// re-synced CST node is flagged `recoveredNode` for to-ast.ts to drop.

import type { CstNode, IToken, TokenType } from "chevrotain";
import { CstParser } from "./chevrotain.js";
import { syntaxErrorMessages } from "./syntax-errors.js";
import {
  AddOp,
  allTokens,
  CompareOp,
  Identifier,
  Kw,
  NumberLiteral,
  P,
  Reserved,
  Soft,
  StringLiteral,
} from "./tokens.js";

/** What may follow an enum member. */
const MEMBER_FOLLOWS = [P.lt, P.comma, P.rcurly];

class ConstitutionParser extends CstParser {
  constructor() {
    super(allTokens, {
      recoveryEnabled: true,
      maxLookahead: 3,
      nodeLocationTracking: "onlyOffset",
      errorMessageProvider: syntaxErrorMessages,
    });
    this.performSelfAnalysis();
  }

  file = this.RULE("file", () => {
    this.MANY(() => this.SUBRULE(this.declaration));
  });

  declaration = this.RULE("declaration", () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.header) },
      { ALT: () => this.SUBRULE(this.enumDecl) },
      { ALT: () => this.SUBRULE(this.schemaDecl) },
      { ALT: () => this.SUBRULE(this.letDecl) },
      { ALT: () => this.SUBRULE(this.article) },
      { ALT: () => this.SUBRULE(this.registration) },
      { ALT: () => this.SUBRULE(this.testDecl) },
    ]);
  });

  header = this.RULE("header", () => {
    this.CONSUME(Kw.constitution);
    this.SUBRULE(this.name, { ARGS: [[Kw.version]] });
    this.CONSUME(Kw.version);
    this.CONSUME(StringLiteral, { LABEL: "version" });
  });

  enumDecl = this.RULE("enumDecl", () => {
    this.CONSUME(Kw.enum);
    this.SUBRULE(this.name, { ARGS: [[P.lcurly]] });
    this.CONSUME(P.lcurly);
    this.SUBRULE2(this.name, { ARGS: [MEMBER_FOLLOWS], LABEL: "member" });
    this.MANY(() => {
      this.OR([
        { ALT: () => this.CONSUME(P.lt, { LABEL: "separator" }) },
        { ALT: () => this.CONSUME(P.comma, { LABEL: "separator" }) },
      ]);
      this.SUBRULE3(this.name, { ARGS: [MEMBER_FOLLOWS], LABEL: "member" });
    });
    this.CONSUME(P.rcurly);
  });

  schemaDecl = this.RULE("schemaDecl", () => {
    this.CONSUME(Kw.schema);
    this.SUBRULE(this.recordBody);
  });

  /** `{ f: T, g?: U, }`: commas between fields, one trailing comma allowed. */
  recordBody = this.RULE("recordBody", () => {
    this.CONSUME(P.lcurly);
    this.OPTION(() => {
      this.SUBRULE(this.field);
      this.MANY(() => {
        this.CONSUME(P.comma);
        this.SUBRULE2(this.field);
      });
      this.OPTION2(() => this.CONSUME2(P.comma));
    });
    this.CONSUME(P.rcurly);
  });

  field = this.RULE("field", () => {
    this.SUBRULE(this.name, { ARGS: [[P.colon, P.question]] });
    this.OPTION(() => this.CONSUME(P.question));
    this.CONSUME(P.colon);
    this.SUBRULE(this.typeExpr);
  });

  typeExpr = this.RULE("typeExpr", () => {
    this.OR([
      { ALT: () => this.CONSUME(Identifier, { LABEL: "name" }) },
      { ALT: () => this.SUBRULE(this.recordBody) },
      {
        ALT: () => {
          this.OR2([
            { ALT: () => this.CONSUME(Kw.set, { LABEL: "collection" }) },
            { ALT: () => this.CONSUME(Kw.list, { LABEL: "collection" }) },
          ]);
          this.CONSUME(P.lt);
          this.SUBRULE(this.typeExpr);
          this.CONSUME(P.gt);
        },
      },
    ]);
  });

  letDecl = this.RULE("letDecl", () => {
    this.CONSUME(Kw.let);
    this.SUBRULE(this.name, { ARGS: [[P.assign]] });
    this.CONSUME(P.assign);
    this.SUBRULE(this.expr);
  });

  article = this.RULE("article", () => {
    this.CONSUME(Kw.article);
    this.SUBRULE(this.articleNumber);
    this.CONSUME(StringLiteral, { LABEL: "title" });
    this.OPTION(() => {
      this.CONSUME(Kw.enforcement);
      this.OR([
        { ALT: () => this.CONSUME(Kw.advisory, { LABEL: "level" }) },
        { ALT: () => this.CONSUME(Kw.mandatory, { LABEL: "level" }) },
      ]);
    });
    this.CONSUME(P.lcurly);
    this.MANY(() => {
      this.OR2([
        { ALT: () => this.SUBRULE(this.forbid) },
        { ALT: () => this.SUBRULE(this.permit) },
        { ALT: () => this.SUBRULE(this.limit) },
      ]);
    });
    this.CONSUME(P.rcurly);
  });

  /** A Roman numeral is lexed as an identifier; to-ast.ts validates it. */
  articleNumber = this.RULE("articleNumber", () => {
    this.OR([
      { ALT: () => this.CONSUME(Identifier, { LABEL: "number" }) },
      { ALT: () => this.CONSUME(NumberLiteral, { LABEL: "number" }) },
    ]);
  });

  /** The optional clauses are accepted in any order; to-ast.ts rejects repeats. */
  forbid = this.RULE("forbid", () => {
    this.CONSUME(Kw.forbid);
    this.SUBRULE(this.name, { ARGS: [[Kw.when]], LABEL: "code" });
    this.CONSUME(Kw.when);
    this.SUBRULE(this.expr);
    this.MANY(() => {
      this.OR([
        { ALT: () => this.SUBRULE(this.remedyClause) },
        {
          ALT: () => {
            this.CONSUME(Kw.appeal);
            this.CONSUME(StringLiteral, { LABEL: "appeal" });
          },
        },
        {
          ALT: () => {
            this.CONSUME(Kw.message);
            this.CONSUME2(StringLiteral, { LABEL: "message" });
          },
        },
      ]);
    });
  });

  remedyClause = this.RULE("remedyClause", () => {
    this.CONSUME(Kw.remedy);
    this.CONSUME(Identifier, { LABEL: "name" });
  });

  permit = this.RULE("permit", () => {
    this.CONSUME(Kw.permit);
    this.OPTION({
      GATE: () => this.LA(1).tokenType !== Kw.when,
      DEF: () => this.SUBRULE(this.name, { ARGS: [[Kw.when]], LABEL: "code" }),
    });
    this.CONSUME(Kw.when);
    this.SUBRULE(this.expr);
  });

  limit = this.RULE("limit", () => {
    this.CONSUME(Kw.limit);
    this.SUBRULE(this.name, { ARGS: [[Kw.per]] });
    this.CONSUME(Kw.per);
    this.SUBRULE(this.path);
    this.CONSUME(Soft.to);
    this.CONSUME(NumberLiteral, { LABEL: "count" });
    this.CONSUME2(Kw.per);
    this.OR([
      { ALT: () => this.CONSUME(Soft.second, { LABEL: "window" }) },
      { ALT: () => this.CONSUME(Soft.minute, { LABEL: "window" }) },
      { ALT: () => this.CONSUME(Soft.hour, { LABEL: "window" }) },
    ]);
    this.OPTION(() => this.SUBRULE(this.remedyClause));
  });

  /**
   * A declared name. A reserved word is accepted too when the token after it is one that must follow
   * the name (`forbid limit when`), so to-ast.ts reports it once as reserved (MG1013) instead of a
   * cascade of syntax errors.
   */
  name = this.RULE("name", (follows: TokenType[] = []) => {
    this.OR([
      { ALT: () => this.CONSUME(Identifier, { LABEL: "identifier" }) },
      {
        GATE: () => follows.includes(this.LA(2).tokenType),
        ALT: () => this.CONSUME(Reserved, { LABEL: "reserved" }),
      },
    ]);
  });

  registration = this.RULE("registration", () => {
    this.CONSUME(Kw.registration);
    this.CONSUME(P.lcurly);
    this.MANY(() => this.SUBRULE(this.registrationItem));
    this.CONSUME(P.rcurly);
  });

  registrationItem = this.RULE("registrationItem", () => {
    this.OR([
      { ALT: () => this.CONSUME(Kw.namespace, { LABEL: "kind" }) },
      { ALT: () => this.CONSUME(Kw.grant, { LABEL: "kind" }) },
    ]);
    this.CONSUME(StringLiteral, { LABEL: "value" });
    this.CONSUME(Kw.when);
    this.SUBRULE(this.expr);
  });

  testDecl = this.RULE("testDecl", () => {
    this.CONSUME(Kw.test);
    this.CONSUME(StringLiteral, { LABEL: "name" });
    this.CONSUME(P.lcurly);
    this.CONSUME(Kw.input);
    this.SUBRULE(this.jsonObject);
    this.SUBRULE(this.expectation);
    this.CONSUME(P.rcurly);
  });

  expectation = this.RULE("expectation", () => {
    this.CONSUME(Kw.expect);
    this.OR([
      { ALT: () => this.CONSUME(Kw.permit, { LABEL: "outcome" }) },
      {
        ALT: () => {
          this.CONSUME(Soft.deny, { LABEL: "outcome" });
          this.OPTION({
            GATE: () => this.LA(1).tokenType !== Soft.action_taken,
            DEF: () => this.CONSUME(Identifier, { LABEL: "code" }),
          });
          this.MANY(() => {
            this.OR2([
              {
                ALT: () => {
                  this.CONSUME(Soft.action_taken);
                  this.CONSUME(StringLiteral, { LABEL: "actionTaken" });
                },
              },
              {
                ALT: () => {
                  this.CONSUME(Kw.article);
                  this.SUBRULE(this.articleNumber);
                },
              },
            ]);
          });
        },
      },
      {
        ALT: () => {
          this.CONSUME(Soft.verdict, { LABEL: "outcome" });
          this.SUBRULE(this.jsonObject);
        },
      },
      {
        ALT: () => {
          this.CONSUME(Kw.registration, { LABEL: "outcome" });
          this.SUBRULE2(this.jsonObject);
        },
      },
    ]);
  });

  jsonValue = this.RULE("jsonValue", () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.jsonObject) },
      { ALT: () => this.SUBRULE(this.jsonArray) },
      { ALT: () => this.CONSUME(StringLiteral, { LABEL: "literal" }) },
      {
        ALT: () => {
          this.OPTION(() => this.CONSUME(P.minus));
          this.CONSUME(NumberLiteral, { LABEL: "literal" });
        },
      },
      { ALT: () => this.CONSUME(Kw.true, { LABEL: "literal" }) },
      { ALT: () => this.CONSUME(Kw.false, { LABEL: "literal" }) },
      { ALT: () => this.CONSUME(Kw.null, { LABEL: "literal" }) },
    ]);
  });

  jsonObject = this.RULE("jsonObject", () => {
    this.CONSUME(P.lcurly);
    this.MANY_SEP({
      SEP: P.comma,
      DEF: () => {
        this.CONSUME(StringLiteral, { LABEL: "key" });
        this.CONSUME(P.colon);
        this.SUBRULE(this.jsonValue);
      },
    });
    this.CONSUME(P.rcurly);
  });

  jsonArray = this.RULE("jsonArray", () => {
    this.CONSUME(P.lbracket);
    this.MANY_SEP({ SEP: P.comma, DEF: () => this.SUBRULE(this.jsonValue) });
    this.CONSUME(P.rbracket);
  });

  // Expressions, loosest first (docs/language.md, "Expressions").

  expr = this.RULE("expr", () => {
    this.SUBRULE(this.orExpr);
  });

  /**
   * `any x in c: body`: the body extends as far right as it can, so a quantifier is always the last
   * operand of the `and`/`or`/`not` around it. to-ast.ts rejects a nested quantifier whose body
   * takes in a further `and`/`or` (the reader could not tell where it ends).
   */
  quantifier = this.RULE("quantifier", () => {
    this.OR([
      { ALT: () => this.CONSUME(Kw.any, { LABEL: "quantifier" }) },
      { ALT: () => this.CONSUME(Kw.all, { LABEL: "quantifier" }) },
    ]);
    this.SUBRULE(this.name, { ARGS: [[Kw.in]], LABEL: "variable" });
    this.CONSUME(Kw.in);
    this.SUBRULE(this.additive, { LABEL: "collection" });
    this.CONSUME(P.colon);
    this.SUBRULE(this.expr, { LABEL: "body" });
  });

  orExpr = this.RULE("orExpr", () => {
    this.SUBRULE(this.andExpr, { LABEL: "operand" });
    this.MANY(() => {
      this.CONSUME(Kw.or, { LABEL: "op" });
      this.SUBRULE2(this.andExpr, { LABEL: "operand" });
    });
  });

  andExpr = this.RULE("andExpr", () => {
    this.SUBRULE(this.notExpr, { LABEL: "operand" });
    this.MANY(() => {
      this.CONSUME(Kw.and, { LABEL: "op" });
      this.SUBRULE2(this.notExpr, { LABEL: "operand" });
    });
  });

  notExpr = this.RULE("notExpr", () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(Kw.not);
          this.SUBRULE(this.notExpr);
        },
      },
      // A quantifier can also start a comparison (the error alternative of `primary`); here it wins.
      { ALT: () => this.SUBRULE(this.quantifier), IGNORE_AMBIGUITIES: true },
      { ALT: () => this.SUBRULE(this.comparison) },
    ]);
  });

  /** Non-associative: a second operator is parsed so to-ast.ts can explain the error. */
  comparison = this.RULE("comparison", () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(Kw.has);
          this.SUBRULE(this.path);
        },
      },
      {
        ALT: () => {
          this.SUBRULE(this.additive, { LABEL: "operand" });
          this.MANY(() => {
            this.OR2([
              {
                ALT: () => {
                  this.CONSUME(CompareOp, { LABEL: "op" });
                  this.SUBRULE2(this.additive, { LABEL: "operand" });
                },
              },
              {
                ALT: () => {
                  this.CONSUME(Kw.matches, { LABEL: "op" });
                  this.CONSUME(StringLiteral, { LABEL: "operand" });
                },
              },
              {
                // Not an operator: parsed so to-ast.ts can suggest `==` (MG1012).
                ALT: () => {
                  this.CONSUME(P.assign, { LABEL: "op" });
                  this.SUBRULE3(this.additive, { LABEL: "operand" });
                },
              },
            ]);
          });
        },
      },
    ]);
  });

  additive = this.RULE("additive", () => {
    this.SUBRULE(this.multiplicative, { LABEL: "operand" });
    this.MANY(() => {
      this.CONSUME(AddOp, { LABEL: "op" });
      this.SUBRULE2(this.multiplicative, { LABEL: "operand" });
    });
  });

  multiplicative = this.RULE("multiplicative", () => {
    this.SUBRULE(this.postfix, { LABEL: "operand" });
    this.MANY(() => {
      this.CONSUME(P.star, { LABEL: "op" });
      this.SUBRULE2(this.postfix, { LABEL: "operand" });
    });
  });

  postfix = this.RULE("postfix", () => {
    this.SUBRULE(this.primary);
    this.MANY(() => {
      this.OR([
        {
          ALT: () => {
            this.CONSUME(P.dot);
            this.CONSUME(Identifier, { LABEL: "field" });
          },
        },
        {
          // Not in the language: parsed so to-ast.ts can say so (MG1014).
          ALT: () => {
            this.CONSUME(P.lbracket, { LABEL: "index" });
            this.OPTION(() => this.SUBRULE(this.expr));
            this.CONSUME(P.rbracket);
          },
        },
      ]);
    });
  });

  primary = this.RULE("primary", () => {
    this.OR([
      { ALT: () => this.CONSUME(NumberLiteral, { LABEL: "literal" }) },
      { ALT: () => this.CONSUME(StringLiteral, { LABEL: "literal" }) },
      { ALT: () => this.CONSUME(Kw.true, { LABEL: "literal" }) },
      { ALT: () => this.CONSUME(Kw.false, { LABEL: "literal" }) },
      { ALT: () => this.CONSUME(Kw.null, { LABEL: "literal" }) },
      {
        // Folded into a negative literal before a number; an error before anything else.
        ALT: () => {
          this.CONSUME(P.minus, { LABEL: "negate" });
          this.SUBRULE(this.primary);
        },
      },
      {
        ALT: () => {
          this.CONSUME(P.lcurly, { LABEL: "open" });
          this.SUBRULE(this.elements);
          this.CONSUME(P.rcurly, { LABEL: "close" });
        },
      },
      {
        ALT: () => {
          this.CONSUME(P.lbracket, { LABEL: "open" });
          this.SUBRULE2(this.elements);
          this.CONSUME(P.rbracket, { LABEL: "close" });
        },
      },
      {
        ALT: () => {
          this.CONSUME(P.lparen, { LABEL: "open" });
          this.SUBRULE(this.expr);
          this.CONSUME(P.rparen, { LABEL: "close" });
        },
      },
      // Not allowed here: parsed so to-ast.ts can suggest the parentheses.
      { ALT: () => this.SUBRULE(this.quantifier, { LABEL: "misplaced" }) },
      {
        ALT: () => {
          this.CONSUME(Identifier, { LABEL: "name" });
          this.OPTION(() => {
            this.CONSUME2(P.lparen, { LABEL: "call" });
            this.SUBRULE3(this.elements);
            this.CONSUME2(P.rparen, { LABEL: "close" });
          });
        },
      },
    ]);
  });

  /** Comma-separated expressions: collection elements and call arguments. */
  elements = this.RULE("elements", () => {
    this.MANY_SEP({ SEP: P.comma, DEF: () => this.SUBRULE(this.expr) });
  });

  /** `a.b.c`, for `has` and limit keys. */
  path = this.RULE("path", () => {
    this.CONSUME(Identifier, { LABEL: "segment" });
    this.MANY(() => {
      this.CONSUME(P.dot);
      this.CONSUME2(Identifier, { LABEL: "segment" });
    });
  });
}

const parser = new ConstitutionParser();

export interface CstResult {
  cst: CstNode;
  /** `message` is the hint built by syntax-errors.ts. */
  errors: { token: IToken; message: string }[];
}

/** Parses a token stream; the one parser instance is reused because self-analysis is slow. */
export function parseTokens(tokens: IToken[]): CstResult {
  parser.input = tokens;
  const cst = parser.file();
  return { cst, errors: parser.errors.map((e) => ({ token: e.token, message: e.message })) };
}
