// The ABI's one description (contract/abi/layout.ts) and its two sides: the AssemblyScript constants
// scripts/gen-abi.mjs generates are current, and the prebuilt runtime (runtime/prebuilt) lays out
// and reads memory by the very numbers the TypeScript side (codegen, loader) uses. The runtime is
// instantiated bare (no policy linked in) and driven through its exported primitives.

import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import fc from "fast-check";
import { RUNTIME_WASM_BASE64 } from "../../runtime/prebuilt/runtime-wasm.js";
import { MemoryViews } from "../../runtime/loader/memory-views.js";
import { ResultReader } from "../../runtime/loader/result-reader.js";
import { StaticData } from "../../compiler/codegen/static-data.js";
import {
  CELL_LENGTH,
  CELL_PAYLOAD,
  CELL_TAG,
  LAYOUT_KEYS,
  TAG_ARRAY,
  TAG_BOOL,
  TAG_NULL,
  TAG_NUMBER,
  TAG_OBJECT,
  TAG_SET,
  TAG_STRING,
  VIOLATION_KEYS,
} from "../../contract/abi/layout.js";
import { validateInput } from "../../contract/validate-input.js";
import { makeVerdict, type Violation } from "../../contract/verdict.js";
import type { RecordSchema } from "../../contract/schema.js";
import { constitutionArb, inputArb } from "../support/constitution-arbitraries.js";

type Primitive = (...args: number[]) => number;

/** The prebuilt runtime on its own memory, with helpers to place static data and JSON values. */
function bareRuntime() {
  const memory = new WebAssembly.Memory({ initial: 4 });
  const module = new WebAssembly.Module(Buffer.from(RUNTIME_WASM_BASE64, "base64"));
  const instance = new WebAssembly.Instance(module, {
    env: {
      memory,
      opa_abort: () => {
        throw new Error("opa_abort");
      },
    },
  });
  const exports = instance.exports as unknown as Record<string, Primitive>;
  const views = new MemoryViews(memory);
  const base = (exports.musgo_runtime_static_end!() + 7) & ~7;
  // Nothing is static to the reader: every cell is decoded afresh.
  const reader = new ResultReader(views, 0);
  return {
    exports,
    views,
    reader,
    /** Lays out static data with the codegen's StaticData, copies it in, puts the heap above it. */
    place<T>(build: (data: StaticData) => T): T {
      const data = new StaticData(base);
      const result = build(data);
      views.refresh();
      views.u8.set(data.contents(), base);
      exports.opa_heap_ptr_set!(data.end);
      return result;
    },
    /** A value the runtime's own JSON reader builds from `text` (Rego sets allowed). */
    parse(text: string): number {
      const bytes = Buffer.from(text, "utf8");
      const at = exports.opa_malloc!(bytes.length);
      views.refresh();
      views.u8.set(bytes, at);
      const value = exports.opa_value_parse!(at, bytes.length);
      views.refresh();
      return value;
    },
  };
}

/** JSON values without `__proto__` keys (which an object built key by key would not keep as a key). */
const jsonArb = fc.jsonValue().filter((value) => !JSON.stringify(value).includes('"__proto__"'));

describe("ABI: one description, two sides", () => {
  it("runtime/module/generated/abi.ts is what scripts/gen-abi.mjs generates from contract/abi/layout.ts", () => {
    const check = spawnSync(process.execPath, ["scripts/gen-abi.mjs", "--check"], { encoding: "utf8" });
    const { status, stdout, stderr } = check;
    expect(status, stderr).toBe(0);
    expect(stdout).toContain("up to date");
  });

  it("property: the loader's reader decodes the cells the runtime's JSON reader writes back to the same value", () => {
    const runtime = bareRuntime();
    fc.assert(
      fc.property(jsonArb, (value) => {
        runtime.place(() => null);
        expect(runtime.reader.read(runtime.parse(JSON.stringify(value)))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });

  it("every value kind has layout.ts's tag at CELL_TAG, and its length and payload where layout.ts says", () => {
    const runtime = bareRuntime();
    runtime.place(() => null);
    const { u32, f64 } = runtime.views;
    const cell = (text: string) => {
      const at = runtime.parse(text);
      const word = (offset: number) => u32[(at + offset) >> 2];
      return { tag: word(CELL_TAG), length: word(CELL_LENGTH), payload: word(CELL_PAYLOAD), at };
    };
    expect(cell("null").tag).toBe(TAG_NULL);
    expect(cell("true")).toMatchObject({ tag: TAG_BOOL, payload: 1 });
    const number = cell("2.5");
    expect(number.tag).toBe(TAG_NUMBER);
    expect(f64[(number.at + CELL_PAYLOAD) >> 3]).toBe(2.5);
    expect(cell('"héllo"')).toMatchObject({ tag: TAG_STRING, length: 6 });
    expect(cell("[1, 2, 3]")).toMatchObject({ tag: TAG_ARRAY, length: 3 });
    expect(cell('{"a": 1, "b": 2}')).toMatchObject({ tag: TAG_OBJECT, length: 2 });
    expect(cell("{1, 2}")).toMatchObject({ tag: TAG_SET, length: 2 });
  });

  it("property: the runtime judges inputs by StaticData's type tables as contract/validate-input.ts does", () => {
    const runtime = bareRuntime();
    const caseArb = constitutionArb().chain((c) => fc.tuple(fc.constant(c.schema), inputArb(c.schema)));
    fc.assert(
      fc.property(caseArb, ([schema, input]: [RecordSchema, unknown]) => {
        const table = runtime.place((data) => data.type(schema));
        const error = runtime.exports.musgo_validate_input!(table, runtime.parse(JSON.stringify(input)));
        const expected = validateInput(schema, JSON.parse(JSON.stringify(input)));
        expect(error === 0 ? null : runtime.reader.read(error)).toBe(expected);
      }),
      { numRuns: 150 },
    );
  });

  it("property: the runtime assembles verdicts from the layout table in makeVerdict's key order", () => {
    const runtime = bareRuntime();
    const textArb = fc.string({ maxLength: 8 });
    const caseArb = fc.record({
      header: fc.tuple(fc.boolean(), fc.option(textArb), fc.option(textArb), textArb, fc.option(textArb)),
      violations: fc.array(fc.tuple(fc.array(textArb, { minLength: 4, maxLength: 4 }), fc.option(textArb)), {
        maxLength: 3,
      }),
      permits: fc.array(textArb, { maxLength: 3 }),
      error: fc.option(textArb),
    });
    fc.assert(
      fc.property(caseArb, ({ header, violations, permits, error }) => {
        const constitution = { name: "abi", version: "1.0.0", digest: "sha256:0" };
        const placed = runtime.place((d) => {
          const text = (value: string | null) => (value === null ? d.null() : d.string(value));
          const constitutionCell = d.object(Object.entries(constitution).map(([key, value]) => [key, d.string(value)]));
          return {
            layout: d.words([...LAYOUT_KEYS.map((key) => d.string(key)), constitutionCell, d.null()]),
            header: d.words([
              d.bool(header[0]),
              text(header[1]),
              text(header[2]),
              d.string(header[3]),
              text(header[4]),
            ]),
            violations: violations.map(([parts, message]) => ({
              template: d.object(
                VIOLATION_KEYS.map((key, i) => [key, key === "message" ? d.null() : d.string(parts[i]!)]),
              ),
              message: message === null ? 0 : d.string(message),
            })),
            permits: permits.map((code) => d.string(code)),
            error: error === null ? 0 : d.string(error),
          };
        });
        const { exports } = runtime;
        exports.musgo_begin_plan!();
        for (const v of placed.violations) exports.musgo_append_violation!(v.template, v.message);
        for (const code of placed.permits) exports.musgo_append_permit!(code);
        runtime.views.refresh();
        const verdict = runtime.reader.read(exports.musgo_decision!(placed.layout, placed.header, placed.error));
        const expectedViolations = violations.map(
          ([[article, code, remedy, enforcement], message]) =>
            ({
              article,
              code,
              remedy,
              enforcement,
              message,
            }) as Violation,
        );
        const outcome = {
          permitted: header[0],
          violation: header[1],
          constitutional_article: header[2],
          action_taken: header[3],
          appeal_process: header[4],
        };
        const expected = makeVerdict(outcome, expectedViolations, permits, constitution, error ?? undefined);
        expect(JSON.stringify(verdict)).toBe(JSON.stringify(expected));
      }),
      { numRuns: 100 },
    );
  });
});
