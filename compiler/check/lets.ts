// Stage 3: `let` constants. Each `let` is typed on first use (so they may come in any order), cycles
// are reported where they close, and a `let` that typed cleanly is folded to its `ConstValue`.

import type { LetDecl } from "../ast/nodes.js";
import type { Span } from "../diagnostics/span.js";
import { rootEnv, type Globals } from "./env.js";
import { typeExpr } from "./expressions.js";
import { foldConstant, isFiniteConst } from "./fold.js";
import type { ConstValue } from "./model.js";
import { ERROR } from "./type-ops.js";
import type { Type } from "../ast/types.js";

const ACTIVE = "active";

export class LetTable {
  private readonly types = new Map<string, Type | typeof ACTIVE>();
  private readonly values = new Map<string, ConstValue>();
  /** The `let`s being typed, outermost first: the path a cycle is reported along. */
  private readonly stack: string[] = [];
  private readonly cyclic = new Set<string>();

  constructor(private readonly decls: ReadonlyMap<string, LetDecl>) {}

  has(name: string): boolean {
    return this.decls.has(name);
  }

  names(): string[] {
    return [...this.decls.keys()];
  }

  /** Types (and folds) every `let`, used or not, and reports `let`s that shadow a schema root. */
  checkAll(globals: Globals): void {
    for (const decl of this.decls.values()) {
      if (globals.schema.fields.some((f) => f.name === decl.name.name)) {
        globals.reporter.error(
          "MG2042",
          decl.name.span,
          `\`let ${decl.name.name}\` clashes with the schema field \`${decl.name.name}\``,
          "rename the `let`",
        );
      }
      this.typeOf(decl.name.name, decl.name.span, globals);
    }
  }

  /** The folded values of the `let`s that typed cleanly. */
  folded(): Map<string, ConstValue> {
    return new Map(this.values);
  }

  typeOf(name: string, use: Span, globals: Globals): Type | undefined {
    const decl = this.decls.get(name);
    if (decl === undefined) return undefined;
    const known = this.types.get(name);
    if (known === ACTIVE) return this.reportCycle(name, use, globals);
    if (known !== undefined) return known;
    this.types.set(name, ACTIVE);
    this.stack.push(name);
    const errorsBefore = globals.reporter.errorCount();
    const typed = typeExpr(decl.value, rootEnv(globals, { kind: "none", letName: name }));
    this.stack.pop();
    const type = this.cyclic.has(name) ? ERROR : typed;
    this.types.set(name, type);
    if (type.kind !== "error" && globals.reporter.errorCount() === errorsBefore) this.fold(decl, globals);
    return type;
  }

  private reportCycle(name: string, use: Span, globals: Globals): Type {
    const cycle = [...this.stack.slice(this.stack.indexOf(name)), name];
    for (const member of cycle) this.cyclic.add(member);
    globals.reporter.error(
      "MG2061",
      use,
      `\`let\` definitions form a cycle: ${cycle.map((n) => `\`${n}\``).join(" → ")}`,
      "a `let` may use other `let`s, but not itself, directly or indirectly",
    );
    return ERROR;
  }

  private fold(decl: LetDecl, globals: Globals): void {
    const value = foldConstant(decl.value, (name) => this.values.get(name));
    if (value === undefined) return;
    if (!isFiniteConst(value)) {
      globals.reporter.error(
        "MG2060",
        decl.value.span,
        `\`let ${decl.name.name}\` does not fold to finite numbers`,
        "numbers must stay finite IEEE-754 doubles (no overflow to infinity)",
      );
      return;
    }
    this.values.set(decl.name.name, value);
  }
}
