// Reading a constitution's bytes: binary files, malformed UTF-8 and control characters.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeSource, firstInvalidUtf8 } from "../../compiler/diagnostics/source-text.js";

const encode = (text: string): Uint8Array => new TextEncoder().encode(text);
const bytes = (...parts: (string | number[])[]): Uint8Array =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === "string" ? [...encode(p)] : p)));

describe("decodeSource", () => {
  it("returns the text of a UTF-8 file unchanged, byte-order mark included", () => {
    const text = '\uFEFFconstitution x version "1.0.0"\n// café ✓ 𝄞\n';
    expect(decodeSource(encode(text), "a.constitution")).toEqual({ text, diagnostic: null });
  });

  it("reports a binary file as one MG4004 at 1:1, with no text to excerpt", () => {
    const wasm = bytes([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00], [0x01, 0x07, 0x01, 0x60, 0x02, 0x7f, 0x7f]);
    const decoded = decodeSource(wasm, "m.constitution");
    expect(decoded.text).toBeNull();
    expect(decoded.diagnostic).toMatchObject({ code: "MG4004", message: "`m.constitution` is not a text file" });
    expect(decoded.diagnostic?.span.start).toEqual({ offset: 0, line: 1, column: 1 });
  });

  it("property: any byte string holding a NUL and malformed UTF-8 is one MG4004", () => {
    // Starting with `A` keeps a UTF-16 byte-order mark (MG4005) out of the generated files.
    const binary = fc
      .tuple(fc.uint8Array({ maxLength: 200 }), fc.uint8Array({ maxLength: 200 }))
      .map(([a, b]) => bytes("A", [...a], [0x00, 0xff], [...b]));
    fc.assert(fc.property(binary, (data) => decodeSource(data, "b.constitution").diagnostic?.code === "MG4004"));
  });

  it("keeps a text file with a stray NUL or ESC in a comment (the lexer or renderer deals with it)", () => {
    const text = 'constitution x version "1.0.0"\n// \u0000 and \u001b[31m\n';
    expect(decodeSource(encode(text), "a.constitution")).toEqual({ text, diagnostic: null });
  });

  it("reports UTF-16 as MG4005 with a hint to save as UTF-8", () => {
    const utf16 = Uint8Array.from([0xff, 0xfe, ...[..."constitution"].flatMap((c) => [c.charCodeAt(0), 0])]);
    const decoded = decodeSource(utf16, "u.constitution");
    expect(decoded.diagnostic).toMatchObject({ code: "MG4005", hint: "save the file as UTF-8" });
  });

  it("reports malformed UTF-8 as MG4005 at its line and column (UTF-16 columns, like every span)", () => {
    const latin1 = bytes('constitution x version "1.0.0"\n// 𝄞 caf', [0xe9], "\n");
    const decoded = decodeSource(latin1, "l.constitution");
    expect(decoded.diagnostic?.code).toBe("MG4005");
    expect(decoded.diagnostic?.message).toBe("invalid UTF-8 (byte 0xE9)");
    expect(decoded.diagnostic?.span.start).toMatchObject({ line: 2, column: 10 });
    // The lossy text is kept so the excerpt can show the line.
    expect(decoded.text?.split("\n")[1]).toBe("// 𝄞 caf\uFFFD");
  });
});

describe("firstInvalidUtf8", () => {
  it("property: agrees with a fatal TextDecoder on whether arbitrary bytes are UTF-8", () => {
    const fatal = new TextDecoder("utf-8", { fatal: true });
    const valid = (data: Uint8Array): boolean => {
      try {
        fatal.decode(data);
        return true;
      } catch {
        return false;
      }
    };
    const agrees = (data: Uint8Array) => (firstInvalidUtf8(data) === -1) === valid(data);
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), agrees), { numRuns: 2000 });
  });

  it("property: the prefix before the reported index is valid and the reported byte starts no valid sequence", () => {
    const badByte = fc.constantFrom(0x80, 0xbf, 0xc0, 0xc1, 0xf5, 0xff);
    const withBadByte = fc.tuple(fc.string({ unit: "grapheme" }), badByte, fc.string());
    fc.assert(
      fc.property(withBadByte, ([before, bad, after]) => {
        const data = bytes(before, [bad], after);
        return firstInvalidUtf8(data) === encode(before).length;
      }),
    );
  });

  it("rejects overlong forms, surrogates and code points above U+10FFFF", () => {
    expect(firstInvalidUtf8(Uint8Array.from([0xe0, 0x80, 0xaf]))).toBe(0);
    expect(firstInvalidUtf8(Uint8Array.from([0x41, 0xed, 0xa0, 0x80]))).toBe(1);
    expect(firstInvalidUtf8(Uint8Array.from([0xf4, 0x90, 0x80, 0x80]))).toBe(0);
    expect(firstInvalidUtf8(Uint8Array.from([0xf0, 0x9d, 0x84]))).toBe(0);
  });
});
