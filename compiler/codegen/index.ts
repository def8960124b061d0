// IR → WebAssembly (docs/wasm.md). The prebuilt AssemblyScript runtime supplies the OPA ABI, the
// JSON reader/writer, validation and the value primitives; this stage adds one function per plan
// and a dispatcher in table slot 0, sets the static-end global, adds the policy's static data with
// a start function that copies it into memory, and appends the custom sections the host reads.
// Same IR in, same bytes out.

import type { IrPolicy } from "../ir/ir.js";
import { encodeSections } from "../../contract/abi/sections.js";
import { PlanEmitter } from "./emit-plan.js";
import { PolicyData } from "./policy-data.js";
import { openRuntime, type RuntimeLink } from "./runtime-link.js";
import { Code, I32, Op } from "./wasm-code.js";
import { slotLayout, type FastPathMetadata, type SlotPlanLayout } from "./fast-path.js";

const PAGE_SIZE = 65536;

/** `(entrypoint, input, data) -> result`: calls the plan whose id is `entrypoint` (range-checked by the runtime). */
function dispatcher(plans: readonly { id: number; index: number }[]): Uint8Array {
  const code = new Code();
  const [last, ...rest] = [...plans].reverse();
  for (const plan of rest.reverse()) {
    code.block("next", () => {
      code.local(Op.localGet, 0).i32(plan.id).op(Op.i32Ne).brIf("next");
      code.local(Op.localGet, 1).local(Op.localGet, 2).call(plan.index).op(Op.return);
    });
  }
  code.local(Op.localGet, 1).local(Op.localGet, 2).call(last!.index);
  return code.finish([]);
}

/**
 * The new start function: grows memory to cover the static data (the imported memory stays at the
 * runtime's 1-page minimum, so hosts' default memories always fit), copies the passive segment to
 * `base`, then runs the runtime's own start function.
 */
function initializer(segment: number, base: number, length: number, pages: number, runtimeStart: number): Uint8Array {
  const code = new Code();
  code.block("grown", () => {
    code.memory(Op.memorySize).i32(pages).op(Op.i32GeU).brIf("grown");
    code.i32(pages).memory(Op.memorySize).op(Op.i32Sub).memory(Op.memoryGrow).i32(-1).op(Op.i32Ne).brIf("grown");
    code.op(Op.unreachable);
  });
  code.i32(base).i32(0).i32(length).initData(segment).call(runtimeStart);
  return code.finish([]);
}

/**
 * `musgo_eval_slots(entrypoint, heap_ptr) -> result record` (compiler/codegen/fast-path.ts): sets the
 * heap, runs the slot form of plan `entrypoint`; 0 when that plan has none.
 */
function slotDispatcher(plans: readonly { id: number; index: number }[], setHeap: number): Uint8Array {
  const code = new Code();
  code.local(Op.localGet, 1).call(setHeap);
  for (const plan of plans) {
    code.block("next", () => {
      code.local(Op.localGet, 0).i32(plan.id).op(Op.i32Ne).brIf("next");
      code.i32(0).i32(0).call(plan.index).op(Op.return);
    });
  }
  code.i32(0);
  return code.finish([]);
}

const EXPORT_FUNCTION = 0;

function addPlans(link: RuntimeLink, data: PolicyData, policy: IrPolicy): FastPathMetadata {
  const { editor } = link;
  const planType = editor.addType([I32, I32], [I32]);
  const plans = policy.plans.map((plan) => ({
    id: plan.id,
    index: editor.addFunction(planType, new PlanEmitter(link, data, plan).emit()),
  }));
  editor.setTableSlot0(editor.addFunction(editor.addType([I32, I32, I32], [I32]), dispatcher(plans)));
  const layouts: (SlotPlanLayout | null)[] = policy.plans.map((plan) =>
    slotLayout(policy, plan, data.data, data.header("invalid_input", null)),
  );
  const slotPlans = policy.plans.flatMap((plan, i) => {
    const layout = layouts[i]!;
    return layout === null
      ? []
      : [{ id: plan.id, index: editor.addFunction(planType, new PlanEmitter(link, data, plan, layout).emit()) }];
  });
  const setHeap = editor.exportIndex("opa_heap_ptr_set", EXPORT_FUNCTION);
  editor.addExport(
    "musgo_eval_slots",
    EXPORT_FUNCTION,
    editor.addFunction(editor.addType([I32, I32], [I32]), slotDispatcher(slotPlans, setHeap)),
  );
  const plansById: (SlotPlanLayout | null)[] = [];
  policy.plans.forEach((plan, i) => (plansById[plan.id] = layouts[i]!));
  return { constitution: data.constitutionObject, plans: plansById };
}

/** Compiles `policy` to a self-contained module implementing the OPA WASM ABI 1.3. */
export function compileToWasm(policy: IrPolicy): Uint8Array {
  const link = openRuntime();
  const data = new PolicyData(policy, link.staticBase);
  const fastPath = addPlans(link, data, policy);
  const { editor } = link;
  const fieldNames = data.fieldNames();
  const staticEnd = (data.data.end + 7) & ~7;
  editor.setGlobal(link.staticEndGlobal, staticEnd);
  const contents = data.data.contents();
  const memoryPages = Math.max(1, Math.ceil(staticEnd / PAGE_SIZE));
  const segment = editor.addPassiveData(contents);
  editor.start = editor.addFunction(
    editor.addType([], []),
    initializer(segment, data.data.base, contents.length, memoryPages, editor.start),
  );
  for (const [name, contents] of encodeSections({
    constitution: policy.constitution,
    schema: policy.schema,
    limits: policy.limits,
    memoryPages,
    fieldNames,
    fastPath,
  })) {
    editor.addCustomSection(name, contents);
  }
  return editor.emit();
}

/** The module as WebAssembly text (`musgo build --emit wat`); loads binaryen only when asked. */
export async function wasmToWat(wasm: Uint8Array): Promise<string> {
  const { default: binaryen } = await import("assemblyscript/binaryen");
  const module = binaryen.readBinary(wasm);
  try {
    module.setFeatures(
      binaryen.Features.MVP |
        binaryen.Features.MutableGlobals |
        binaryen.Features.SignExt |
        binaryen.Features.NontrappingFPToInt |
        binaryen.Features.BulkMemory |
        binaryen.Features.BulkMemoryOpt,
    );
    return module.emitText();
  } finally {
    module.dispose();
  }
}
