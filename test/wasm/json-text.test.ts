// PBT: the module writes strings exactly as JSON.stringify does, whatever they hold (quotes,
// backslashes, every control character, multi-byte UTF-8), so a host's JSON.parse sees the very
// strings the interpreter builds.

import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { evaluateDecision } from "../../compiler/interp/index.js";
import { bareModule, compileSource } from "./support.js";

const SOURCE = `constitution text version "1.0.0"
schema { s: string }
article 1 "Echo" {
  forbid echo when s == s message "{s}"
}
`;

/** The module's opa_json_parse then opa_json_dump of a JSON text; returns the dumped text. */
async function reencoder(wasm: Uint8Array): Promise<(text: string) => string> {
  const { memory, exports, parse } = await bareModule(wasm);
  const decoder = new TextDecoder();
  return (text) => {
    const value = parse(text);
    if (value === 0) throw new Error(`the module rejected ${text}`);
    const out = exports.opa_json_dump!(value);
    const u8 = new Uint8Array(memory.buffer);
    return decoder.decode(u8.subarray(out, u8.indexOf(0, out)));
  };
}

const wellFormed = (s: string): boolean => (s as unknown as { isWellFormed(): boolean }).isWellFormed();
/** Strings rich in what JSON escapes: control characters, quotes, backslashes, and non-ASCII. */
const escapable = fc
  .string({
    unit: fc.oneof(
      fc.constantFrom('"', "\\", "/", "\u007f", "\u2028"),
      fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)),
      fc.string({ unit: "binary", maxLength: 1 }),
    ),
    maxLength: 40,
  })
  .filter(wellFormed);

describe("JSON text written by the module", () => {
  it("property: opa_json_dump(opa_json_parse(JSON.stringify(x))) === JSON.stringify(x) for strings and lists of strings", async () => {
    const reencode = await reencoder(compileSource(SOURCE).wasm);
    fc.assert(
      fc.property(fc.oneof(escapable, fc.array(escapable, { maxLength: 5 })), (value) => {
        const text = JSON.stringify(value);
        expect(reencode(text)).toBe(text);
      }),
      { numRuns: 2000 },
    );
  });

  it("a verdict message carrying every control character reads back as the interpreter's", () => {
    const compiled = compileSource(SOURCE);
    const s = Array.from({ length: 32 }, (_, c) => String.fromCharCode(c)).join("") + '"\\é😀';
    const verdict = compiled.engine.evaluateJson(JSON.stringify({ s }));
    expect(verdict).toEqual(evaluateDecision(compiled.checked, { s }));
    expect((verdict as { violations: { message: string }[] }).violations[0]!.message).toBe(s);
  });
});
