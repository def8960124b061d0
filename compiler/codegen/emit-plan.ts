// Compiles one IR plan into one WebAssembly function `(input, data) -> result value`. IR block
// levels map one-to-one onto wasm blocks: an undefined statement branches out of the innermost
// level, `Break n` out of n + 1 levels (compiler/ir/ir.ts, execution model).
// Local representation (docs/wasm.md, "Values"): numbers f64; bools 0/1 and enum ordinals i32;
// strings, collections and records i32 addresses of value cells.

import type { CompareOp, CompareStmt, IrPlan, IrType, Operand, Stmt } from "../ir/ir.js";
import type { PolicyData, EnumType } from "./policy-data.js";
import { messageMarker, slotOf, type SlotPlanLayout } from "./fast-path.js";
import type { Primitive, RuntimeLink } from "./runtime-link.js";
import { operation, type CallName, type CustomLowering, type StringTestName } from "../operations/registry.js";
import {
  CELL_LENGTH,
  CELL_PAYLOAD,
  RESULT_FALLBACK,
  RESULT_RECORD,
  RESULT_REGISTRATION,
  SLOT,
  TAG_ARRAY,
  TAG_NULL,
  TAG_SET,
  resultPermits,
} from "../../contract/abi/layout.js";
import { Code, F64, I32, Op, type ValType } from "./wasm-code.js";
import { InternalCompilerError } from "../diagnostics/internal-error.js";

/** Emits the instructions that leave one value on the stack. */
type Emit = () => void;

const PARAMS = 2; // (input, data)
/** The result record's header words, which a slot plan clears first. */
const RESULT_HEADER = [
  RESULT_RECORD.outcome,
  RESULT_RECORD.namespace,
  RESULT_RECORD.violationCount,
  RESULT_RECORD.permitCount,
];

function valType(type: IrType): ValType {
  return type.kind === "number" ? F64 : I32;
}

const NUMBER_COMPARE: Record<CompareOp, number> = {
  "==": Op.f64Eq,
  "!=": Op.f64Ne,
  "<": Op.f64Lt,
  "<=": Op.f64Le,
  ">": Op.f64Gt,
  ">=": Op.f64Ge,
};
const INT_COMPARE: Record<CompareOp, number> = {
  "==": Op.i32Eq,
  "!=": Op.i32Ne,
  "<": Op.i32LtS,
  "<=": Op.i32LeS,
  ">": Op.i32GtS,
  ">=": Op.i32GeS,
};

export class PlanEmitter {
  private readonly code = new Code();
  /** Labels of the IR block levels, innermost last. */
  private readonly levels: string[] = [];
  private nextLabel = 0;
  private readonly scratch: ValType[] = [];

  constructor(
    private readonly link: RuntimeLink,
    private readonly data: PolicyData,
    private readonly plan: IrPlan,
    /** When set, emits the plan's slot form (compiler/codegen/fast-path.ts) instead of its value form. */
    private readonly fast: SlotPlanLayout | null = null,
  ) {}

  /** The encoded function body. */
  emit(): Uint8Array {
    const top = this.label();
    this.code.block(top, () => {
      if (this.fast === null) this.call("begin_plan", []);
      else for (const offset of RESULT_HEADER) this.code.i32(this.fast.result).i32(0).store(Op.i32Store, offset);
      this.nested(top, this.plan.body);
    });
    // Every plan path ends in a Return statement (ir.ts); falling out is a planner bug.
    this.code.op(Op.unreachable);
    return this.code.finish([...this.plan.locals.slice(1).map(valType), ...this.scratch]);
  }

  // --- locals, labels, calls -----------------------------------------------------------------

  private label(): string {
    return `L${this.nextLabel++}`;
  }

  private index(local: number): number {
    return local === 0 ? 0 : PARAMS + local - 1;
  }

  private get(local: number): Emit {
    return () => this.code.local(Op.localGet, this.index(local));
  }

  private set(local: number, value: Emit): void {
    value();
    this.code.local(Op.localSet, this.index(local));
  }

  private newScratch(type: ValType): number {
    this.scratch.push(type);
    return PARAMS + this.plan.locals.length - 1 + this.scratch.length - 1;
  }

  private call(primitive: Primitive, args: Emit[]): void {
    for (const arg of args) arg();
    this.code.call(this.link.primitives[primitive]);
  }

  private callee(primitive: Primitive, args: Emit[]): Emit {
    return () => this.call(primitive, args);
  }

  private const(value: number): Emit {
    return () => this.code.i32(value);
  }

  private get innermost(): string {
    return this.levels[this.levels.length - 1]!;
  }

  /** Leaves the innermost block level unless `condition` (i32) holds. */
  private require(condition: Emit): void {
    condition();
    this.code.op(Op.i32Eqz).brIf(this.innermost);
  }

  /** Emits `body` as the statements of IR level `label` (the wasm block is already open). */
  private nested(label: string, body: Stmt[]): void {
    this.levels.push(label);
    for (const stmt of body) this.statement(stmt);
    this.levels.pop();
  }

  // --- operands ----------------------------------------------------------------------------------

  private operand(op: Operand): Emit {
    switch (op.kind) {
      case "local":
        return this.get(op.local);
      case "number":
        return () => this.code.f64(op.value);
      case "bool":
        return this.const(op.value ? 1 : 0);
      case "enum":
        return this.const(op.ordinal);
      case "string":
      case "collection":
        return this.const(this.data.constantValue(op));
    }
  }

  private operandType(op: Operand): IrType {
    switch (op.kind) {
      case "local":
        return this.plan.locals[op.local]!;
      case "string":
      case "number":
      case "bool":
        return { kind: op.kind };
      case "enum":
        return this.data.enumType(op.enum);
      case "collection":
        return this.data.collectionType(op.index);
    }
  }

  private elementType(collection: Operand): IrType {
    const type = this.operandType(collection);
    if (type.kind !== "set" && type.kind !== "list")
      throw new InternalCompilerError(`expected a collection, got ${type.kind}`);
    return type.element;
  }

  private typeTable(type: IrType): Emit {
    return this.const(this.data.data.type(type));
  }

  /** The member name string value of the enum ordinal `ordinal` leaves. */
  private memberName(type: EnumType, ordinal: Emit): Emit {
    return () => {
      this.code.i32(this.data.enumMembers(type));
      ordinal();
      this.code.i32(2).op(Op.i32Shl).op(Op.i32Add).load(Op.i32Load, 0);
    };
  }

  /** An operand as a value cell address, the way collections hold their items. */
  private box(op: Operand): Emit {
    const type = this.operandType(op);
    const value = this.operand(op);
    if (type.kind === "number") return this.callee("new_number", [value]);
    if (type.kind === "enum") return this.memberName(type, value);
    if (type.kind === "bool") {
      return () => {
        this.code.i32(this.data.data.bool(true)).i32(this.data.data.bool(false));
        value();
        this.code.op(Op.select);
      };
    }
    return value;
  }

  /** Converts the value cell `cell` leaves to the local representation of `type`. */
  private unbox(cell: Emit, type: IrType): Emit {
    if (type.kind === "number") return () => (cell(), this.code.load(Op.f64Load, CELL_PAYLOAD));
    if (type.kind === "bool") return () => (cell(), this.code.load(Op.i32Load, CELL_PAYLOAD));
    if (type.kind === "enum") return this.callee("enum_index", [this.typeTable(type), cell]);
    return cell;
  }

  // --- statements --------------------------------------------------------------------------------

  private statement(stmt: Stmt): void {
    if (this.fast !== null && this.fastStatement(stmt, this.fast)) return;
    const code = this.code;
    switch (stmt.kind) {
      case "ValidateInput":
        this.set(stmt.error, this.callee("validate_input", [this.const(this.data.schema(stmt.fields)), this.get(0)]));
        return this.require(this.get(stmt.error));
      case "Dot":
        return this.dot(stmt.source, stmt.path, stmt.target);
      case "Assign":
        return this.set(stmt.target, this.operand(stmt.source));
      case "Arith":
        return this.set(stmt.target, () => {
          this.operand(stmt.a)();
          this.operand(stmt.b)();
          code.op(stmt.op === "+" ? Op.f64Add : stmt.op === "-" ? Op.f64Sub : Op.f64Mul);
        });
      case "Compare":
        if (stmt.type === "string" && stmt.op === "==") this.requireLength(stmt);
        return this.require(() => this.compare(stmt));
      case "IsTrue":
        return this.require(this.operand(stmt.operand));
      case "Member":
        return this.require(
          this.callee("member", [
            this.box(stmt.element),
            this.operand(stmt.collection),
            this.typeTable(this.elementType(stmt.collection)),
          ]),
        );
      case "StringTest":
        return this.require(this.builtin(stmt.test, [stmt.subject, stmt.needle]));
      case "Matches":
        return this.require(
          this.callee("dfa_search", [this.const(this.data.regex(stmt.regex)), this.operand(stmt.subject)]),
        );
      case "Call":
        return this.set(stmt.target, this.builtin(stmt.func, [stmt.arg]));
      case "MakeCollection":
        return this.makeCollection(stmt.collection, stmt.elements, stmt.target);
      case "Block": {
        const label = this.label();
        code.block(label, () => this.nested(label, stmt.body));
        return;
      }
      case "Not": {
        // The body is its own level; running to its end makes the Not undefined.
        const outer = this.innermost;
        const label = this.label();
        code.block(label, () => {
          this.nested(label, stmt.body);
          code.br(outer);
        });
        return;
      }
      case "Break":
        code.br(this.levels[this.levels.length - 1 - stmt.depth]!);
        return;
      case "Scan":
        return this.scan(stmt.source, stmt.element, stmt.body);
      case "FormatMessage":
        return this.formatMessage(stmt.template, stmt.holes, stmt.target);
      case "AppendViolation":
        return this.call("append_violation", [
          this.const(this.data.violation(stmt.rule)),
          stmt.message === null ? this.const(0) : this.get(stmt.message),
        ]);
      case "AppendPermit":
        return this.call("append_permit", [this.const(this.data.data.string(this.data.rule(stmt.rule).code))]);
      case "ReturnDecision":
        return this.return("decision", [
          this.const(this.data.layout),
          this.const(this.data.header(stmt.outcome, stmt.rule)),
          this.const(0),
        ]);
      case "ReturnInvalidInput":
        if (this.plan.id === 0)
          return this.return("decision", [
            this.const(this.data.layout),
            this.const(this.data.header("invalid_input", null)),
            this.get(stmt.error),
          ]);
        return this.return("registration", [this.const(this.data.layout), this.get(stmt.error)]);
      case "SetNamespace":
        return this.call("set_namespace", [this.const(this.data.string(stmt.namespace))]);
      case "AddPermission":
        return this.call("add_permission", [this.const(this.data.string(stmt.permission))]);
      case "ReturnRegistration":
        return this.return("registration", [this.const(this.data.layout), this.const(0)]);
    }
  }

  /** The slot form of the statements it changes; false for the others. */
  private fastStatement(stmt: Stmt, fast: SlotPlanLayout): boolean {
    const code = this.code;
    const result = fast.result;
    /** Appends an item of the u32 words `values` leave to the list at `items` counted at `countOffset`. */
    const append = (countOffset: number, items: number, values: Emit[]) => {
      const at = this.newScratch(I32);
      code.i32(result).load(Op.i32Load, countOffset).local(Op.localSet, at);
      code.i32(result).local(Op.localGet, at).i32(1).op(Op.i32Add).store(Op.i32Store, countOffset);
      // Items are 4 or 8 bytes (RESULT_RECORD.permitSize, violationSize): index << log2(size).
      const shift = Math.log2(values.length * 4);
      values.forEach((value, i) => {
        code
          .local(Op.localGet, at)
          .i32(shift)
          .op(Op.i32Shl)
          .i32(result + items)
          .op(Op.i32Add);
        value();
        code.store(Op.i32Store, i * 4);
      });
    };
    const finish = (outcome: number) => {
      code.i32(result).i32(outcome).store(Op.i32Store, RESULT_RECORD.outcome);
      code.i32(result).op(Op.return);
    };
    const permits = resultPermits(fast.violations);
    switch (stmt.kind) {
      case "ValidateInput":
        // The host has validated the input: the statement is undefined.
        code.br(this.innermost);
        return true;
      case "Dot":
        if (stmt.source !== 0) return false;
        {
          const slot = slotOf(fast, stmt.path);
          code.i32(slot.addr).load(Op.i32Load, SLOT.presence).op(Op.i32Eqz).brIf(this.innermost);
          const type = this.plan.locals[stmt.target]!;
          code.i32(slot.addr).load(type.kind === "number" ? Op.f64Load : Op.i32Load, SLOT.value);
          code.local(Op.localSet, this.index(stmt.target));
        }
        return true;
      case "AppendViolation":
        append(RESULT_RECORD.violationCount, RESULT_RECORD.violations, [
          this.const(this.data.violation(stmt.rule)),
          stmt.message === null ? this.const(0) : this.get(stmt.message),
        ]);
        return true;
      case "AppendPermit":
        append(RESULT_RECORD.permitCount, permits, [this.const(this.data.data.string(this.data.rule(stmt.rule).code))]);
        return true;
      case "AddPermission":
        append(RESULT_RECORD.permitCount, permits, [this.const(this.data.string(stmt.permission))]);
        return true;
      case "SetNamespace":
        code.i32(result).i32(this.data.string(stmt.namespace)).store(Op.i32Store, RESULT_RECORD.namespace);
        return true;
      case "FormatMessage": {
        const marker = messageMarker(stmt);
        if (marker === undefined) return false;
        this.set(stmt.target, this.const(marker));
        return true;
      }
      case "ReturnDecision":
        finish(this.data.header(stmt.outcome, stmt.rule));
        return true;
      case "ReturnRegistration":
        finish(RESULT_REGISTRATION);
        return true;
      case "ReturnInvalidInput":
        // Unreachable for validated inputs; the host falls back to the value form if it happens.
        finish(RESULT_FALLBACK);
        return true;
      default:
        return false;
    }
  }

  private return(primitive: Primitive, args: Emit[]): void {
    this.call(primitive, args);
    this.code.op(Op.return);
  }

  private dot(source: number, path: string[], target: number): void {
    const code = this.code;
    const cell = this.newScratch(I32);
    const getCell = () => code.local(Op.localGet, cell);
    this.get(source)();
    code.local(Op.localSet, cell);
    for (const key of path) {
      const [bytes, length] = this.data.data.utf8(key);
      this.call("lookup", [getCell, this.const(bytes), this.const(length)]);
      // Absent (0) or JSON null: the optional field is not there.
      code.local(Op.localTee, cell).op(Op.i32Eqz).brIf(this.innermost);
      getCell();
      code.load(Op.i32Load, 0).i32(TAG_NULL).op(Op.i32Eq).brIf(this.innermost);
    }
    this.set(target, this.unbox(getCell, this.plan.locals[target]!));
  }

  /** Before comparing a string with a constant for equality, compares byte lengths (no call when they differ). */
  private requireLength(stmt: CompareStmt): void {
    const [constant, other] = stmt.b.kind === "string" ? [stmt.b, stmt.a] : [stmt.a, stmt.b];
    if (constant.kind !== "string") return;
    const length = new TextEncoder().encode(this.data.policy.static.strings[constant.index]!).length;
    this.require(() => {
      this.operand(other)();
      this.code.load(Op.i32Load, CELL_LENGTH).i32(length).op(Op.i32Eq);
    });
  }

  private compare(stmt: CompareStmt): void {
    const [a, b] = [this.operand(stmt.a), this.operand(stmt.b)];
    switch (stmt.type) {
      case "number":
        a();
        b();
        this.code.op(NUMBER_COMPARE[stmt.op]);
        return;
      case "string":
        this.call("compare_strings", [a, b]);
        this.code.i32(0).op(INT_COMPARE[stmt.op]);
        return;
      case "bool":
      case "enum":
        a();
        b();
        this.code.op(INT_COMPARE[stmt.op]);
        return;
      case "collection":
      case "record":
        if (stmt.op !== "==" && stmt.op !== "!=") throw new InternalCompilerError(`${stmt.op} on ${stmt.type}`);
        this.call("equal_values", [a, b, this.typeTable(this.operandType(stmt.a))]);
        if (stmt.op === "!=") this.code.op(Op.i32Eqz);
    }
  }

  /** A builtin call as its registry entry lowers it (compiler/operations/registry.ts, `module`). */
  private builtin(name: StringTestName | CallName, args: Operand[]): Emit {
    const lowering = operation(name)!.module;
    if (lowering.kind === "custom") return this.customLowerings[lowering.custom](args);
    const constants = ("constants" in lowering ? lowering.constants : []).map((c) => this.const(c));
    return this.callee(lowering.primitive, [...args.map((arg) => this.operand(arg)), ...constants]);
  }

  /** The builtins that need instructions of their own, keyed by their registry entry's `module.custom`. */
  private readonly customLowerings: Record<CustomLowering, (args: Operand[]) => Emit> = {
    count: ([arg]) => this.count(arg!),
  };

  /** `count`: code points of a string, distinct elements of a set, a list's length (read from its cell). */
  private count(arg: Operand): Emit {
    const value = this.operand(arg);
    const type = this.operandType(arg);
    if (type.kind === "string") return this.callee("count_code_points", [value]);
    if (type.kind === "set") return this.callee("count_distinct", [value, this.typeTable(type.element)]);
    return () => (value(), this.code.load(Op.i32Load, CELL_LENGTH).op(Op.f64ConvertI32U));
  }

  private makeCollection(kind: "set" | "list", elements: Operand[], target: number): void {
    const cell = this.newScratch(I32);
    const getCell = () => this.code.local(Op.localGet, cell);
    this.call("new_collection", [
      this.const(kind === "set" ? TAG_SET : TAG_ARRAY),
      this.const(elements.length),
      this.const(4),
    ]);
    this.code.local(Op.localSet, cell);
    elements.forEach((element, i) => this.call("set_item", [getCell, this.const(i), this.box(element)]));
    this.set(target, getCell);
  }

  /** A Scan is two levels: the loop (Break 1 leaves it) and each iteration's body (Break 0 / undefined: next). */
  private scan(source: Operand, element: number, body: Stmt[]): void {
    const code = this.code;
    const [collection, index] = [this.newScratch(I32), this.newScratch(I32)];
    const [exit, next, iteration] = [this.label(), this.label(), this.label()];
    const item = () => {
      code.local(Op.localGet, collection).load(Op.i32Load, CELL_PAYLOAD);
      code.local(Op.localGet, index).i32(2).op(Op.i32Shl).op(Op.i32Add).load(Op.i32Load, 0);
    };
    this.operand(source)();
    code.local(Op.localSet, collection).i32(0).local(Op.localSet, index);
    code.block(exit, () => {
      this.levels.push(exit);
      code.block(
        next,
        () => {
          code
            .local(Op.localGet, index)
            .local(Op.localGet, collection)
            .load(Op.i32Load, CELL_LENGTH)
            .op(Op.i32GeU)
            .brIf(exit);
          code.block(iteration, () => {
            this.set(element, this.unbox(item, this.plan.locals[element]!));
            this.nested(iteration, body);
          });
          code.local(Op.localGet, index).i32(1).op(Op.i32Add).local(Op.localSet, index).br(next);
        },
        Op.loop,
      );
      this.levels.pop();
    });
  }

  private formatMessage(templateIndex: number, holes: Operand[], target: number): void {
    const start = this.newScratch(I32);
    this.call("text_begin", []);
    this.code.local(Op.localSet, start);
    let hole = 0;
    for (const part of this.data.policy.static.templates[templateIndex]!.parts) {
      if (part.kind === "hole") this.putHole(part.type, holes[hole++]!);
      else if (part.text !== "") {
        const [bytes, length] = this.data.data.utf8(part.text);
        this.call("put_bytes", [this.const(bytes), this.const(length)]);
      }
    }
    this.set(target, this.callee("text_end", [() => this.code.local(Op.localGet, start)]));
  }

  private putHole(type: IrType, operand: Operand): void {
    const code = this.code;
    const value = this.operand(operand);
    if (type.kind === "number") return this.call("put_number", [value]);
    if (type.kind === "bool") {
      const pick = (ifTrue: number, ifFalse: number) => () => (
        code.i32(ifTrue).i32(ifFalse),
        value(),
        code.op(Op.select)
      );
      return this.call("put_bytes", [pick(this.data.trueText, this.data.falseText), pick(4, 5)]);
    }
    const cell = this.newScratch(I32);
    const string = type.kind === "enum" ? this.memberName(type, value) : value;
    this.call("put_bytes", [
      () => (string(), code.local(Op.localTee, cell).load(Op.i32Load, CELL_PAYLOAD)),
      () => code.local(Op.localGet, cell).load(Op.i32Load, CELL_LENGTH),
    ]);
  }
}
