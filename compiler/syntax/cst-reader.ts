// Typed access to chevrotain's CST for to-ast.ts, plus the diagnostics collected while converting.
//
// A CST part left incomplete by error recovery (a re-synced node, a token inserted by recovery)
// throws `Incomplete`: the enclosing rule or declaration is dropped. Its syntax error was already
// reported by the parser, so nothing is lost and no half-built node reaches later stages.

import type { CstElement, CstNode, IToken } from "chevrotain";
import type { Identifier, StringLiteral } from "../ast/nodes.js";
import { error, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { DiagnosticCode } from "../diagnostics/codes.js";
import type { LineMap, Span } from "../diagnostics/span.js";
import { stringValue } from "./string-literal.js";

export class Incomplete extends Error {
  constructor() {
    super("incomplete syntax tree after error recovery");
  }
}

function isToken(element: CstElement): element is IToken {
  return "image" in element;
}

export class CstReader {
  readonly diagnostics: Diagnostic[] = [];

  constructor(readonly lines: LineMap) {}

  report(code: DiagnosticCode, span: Span, message: string, hint?: string): void {
    this.diagnostics.push(error(code, span, message, hint));
  }

  /** The CST node itself, checked for recovery damage. */
  whole(node: CstNode): CstNode {
    if (node.recoveredNode) throw new Incomplete();
    return node;
  }

  elements(node: CstNode, label: string): CstElement[] {
    return node.children[label] ?? [];
  }

  asToken(element: CstElement | undefined): IToken {
    if (element === undefined || !isToken(element) || element.isInsertedInRecovery || Number.isNaN(element.startOffset))
      throw new Incomplete();
    return element;
  }

  asNode(element: CstElement | undefined): CstNode {
    if (element === undefined || isToken(element)) throw new Incomplete();
    return this.whole(element);
  }

  tokens(node: CstNode, label: string): IToken[] {
    return this.elements(node, label).map((e) => this.asToken(e));
  }

  nodes(node: CstNode, label: string): CstNode[] {
    return this.elements(node, label).map((e) => this.asNode(e));
  }

  token(node: CstNode, label: string): IToken {
    const found = this.tokens(node, label)[0];
    if (found === undefined) throw new Incomplete();
    return found;
  }

  optionalToken(node: CstNode, label: string): IToken | undefined {
    return this.tokens(node, label)[0];
  }

  node(node: CstNode, label: string): CstNode {
    const found = this.nodes(node, label)[0];
    if (found === undefined) throw new Incomplete();
    return found;
  }

  optionalNode(node: CstNode, label: string): CstNode | undefined {
    return this.nodes(node, label)[0];
  }

  /** The token of each `name` sub-rule under `label`: a reserved word is reported (MG1013), then used as the name. */
  names(node: CstNode, label: string): IToken[] {
    return this.nodes(node, label).map((name) => {
      const reserved = this.optionalToken(name, "reserved");
      if (reserved === undefined) return this.token(name, "identifier");
      const word = reserved.image;
      const hint = `reserved words cannot be names: choose another, such as \`my_${word}\``;
      this.report("MG1013", this.tokenSpan(reserved), `\`${word}\` is a reserved word`, hint);
      return reserved;
    });
  }

  name(node: CstNode, label: string): IToken {
    const found = this.names(node, label)[0];
    if (found === undefined) throw new Incomplete();
    return found;
  }

  optionalName(node: CstNode, label: string): IToken | undefined {
    return this.names(node, label)[0];
  }

  has(node: CstNode, label: string): boolean {
    return this.elements(node, label).length > 0;
  }

  tokenSpan(token: IToken): Span {
    return this.lines.span(token.startOffset, token.startOffset + token.image.length);
  }

  nodeSpan(node: CstNode): Span {
    const location = node.location;
    if (location === undefined || Number.isNaN(location.startOffset) || Number.isNaN(location.endOffset ?? NaN))
      throw new Incomplete();
    return this.lines.span(location.startOffset, location.endOffset! + 1);
  }

  identifier(token: IToken): Identifier {
    return { kind: "Identifier", name: token.image, span: this.tokenSpan(token) };
  }

  /** Lexing already reported a malformed literal; the decoded value is still the best reading. */
  stringLiteral(token: IToken): StringLiteral {
    return { kind: "String", value: stringValue(token.image), span: this.tokenSpan(token) };
  }
}
