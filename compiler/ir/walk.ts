// Walking the IR: a visitor over every statement of a plan, nested bodies included, in program order.

import { childBodies, type IrPlan, type IrPolicy, type Stmt } from "./ir.js";

export interface IrVisitor {
  /** Called before a statement's nested bodies; return false to skip them. */
  enter?(stmt: Stmt, nesting: number): boolean | void;
  /** Called after a statement's nested bodies. */
  leave?(stmt: Stmt, nesting: number): void;
}

/** Visits `body` and every nested body; `nesting` counts the enclosing statement bodies. */
export function walkStmts(body: readonly Stmt[], visitor: IrVisitor, nesting = 0): void {
  for (const stmt of body) {
    if (visitor.enter?.(stmt, nesting) !== false) {
      for (const child of childBodies(stmt)) walkStmts(child, visitor, nesting + 1);
    }
    visitor.leave?.(stmt, nesting);
  }
}

export function walkPlan(plan: IrPlan, visitor: IrVisitor): void {
  walkStmts(plan.body, visitor);
}

/** Every statement of the policy's plans, in program order. */
export function allStatements(policy: IrPolicy): Stmt[] {
  const all: Stmt[] = [];
  for (const plan of policy.plans) walkPlan(plan, { enter: (stmt) => void all.push(stmt) });
  return all;
}
