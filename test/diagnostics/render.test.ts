// Rendering diagnostics for a terminal: control characters escaped, carets aligned, output capped.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { error, type Diagnostic } from "../../compiler/diagnostics/diagnostic.js";
import { LineMap } from "../../compiler/diagnostics/span.js";
import {
  DIAGNOSTICS_SHOWN_PER_FILE,
  escapeControlCharacters,
  renderDiagnostic,
  renderDiagnostics,
} from "../../compiler/diagnostics/render.js";
import { DEFAULT_ERROR_LIMIT } from "../../compiler/diagnostics/sink.js";
import { compileSources } from "../../compiler/pipeline.js";

function diagnosticAt(text: string, word: string, file = "a.constitution"): Diagnostic {
  const start = text.indexOf(word);
  return error("MG2004", new LineMap(file, text).span(start, start + word.length), `unknown type \`${word}\``, "hint");
}

/** Every C0 control but tab and line feed, and DEL. */
const TERMINAL_CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f]/;

describe("control characters in rendered diagnostics", () => {
  it("shows ESC and NUL in a comment as \\u escapes and keeps the caret under the token", () => {
    const text = "schema { a: strin } // \u001b[31mred\u001b[0m \u0000\n";
    const rendered = renderDiagnostic(diagnosticAt(text, "strin"), () => text);
    expect(rendered).toContain("\\u001b[31mred\\u001b[0m \\u0000");
    expect(rendered).not.toMatch(TERMINAL_CONTROLS);
    const [, , excerpt, carets] = rendered.split("\n");
    expect(excerpt!.indexOf("strin")).toBe(carets!.indexOf("^"));
  });

  it("keeps the caret aligned when escapes come before the token", () => {
    const text = 'let s = "\u001b\u0007" + strin\n';
    const [, , excerpt, carets] = renderDiagnostic(diagnosticAt(text, "strin"), () => text).split("\n");
    expect(excerpt!.indexOf("strin")).toBe(carets!.indexOf("^"));
    expect(carets!.endsWith(" ^^^^^")).toBe(true);
  });

  it("escapes control characters in messages, e.g. the lexer's unexpected character", () => {
    const text = 'constitution x version "1.0.0"\nlet a = \u001b[2J\n';
    const { diagnostics } = compileSources([{ path: "e.constitution", text }]);
    const rendered = renderDiagnostics(diagnostics, () => text);
    expect(rendered).toContain("unexpected character `\\u001b`");
    expect(rendered).not.toMatch(TERMINAL_CONTROLS);
  });

  it("escapes C1 controls (0x9B is a CSI) and bidirectional overrides", () => {
    expect(escapeControlCharacters("a\u009b31mb\u202ec\u2066")).toBe("a\\u009b31mb\\u202ec\\u2066");
  });

  it("property: escaped text holds no terminal control character and reads back to the original", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (text) => {
        const escaped = escapeControlCharacters(text.replace(/\\/g, ""));
        const unescape = (_: string, hex: string) => String.fromCharCode(parseInt(hex, 16));
        const restored = escaped.replace(/\\u([0-9a-f]{4})/g, unescape);
        return !TERMINAL_CONTROLS.test(escaped) && restored === text.replace(/\\/g, "");
      }),
    );
  });
});

describe("diagnostic cap", () => {
  function many(count: number, file: string): Diagnostic[] {
    const text = "x\n".repeat(count);
    const lines = new LineMap(file, text);
    const at = (i: number) => lines.span(i * 2, i * 2 + 1);
    return Array.from({ length: count }, (_, i) => error("MG1001", at(i), "unexpected character `x`"));
  }

  it(`shows ${DIAGNOSTICS_SHOWN_PER_FILE} per file, then an "N more" line, and counts them all`, () => {
    const diagnostics = [...many(250, "a.constitution"), ...many(3, "b.constitution")];
    const rendered = renderDiagnostics(diagnostics, () => undefined);
    expect(rendered.match(/^a\.constitution:\d+:1: error/gm)).toHaveLength(DIAGNOSTICS_SHOWN_PER_FILE);
    expect(rendered.match(/^b\.constitution:\d+:1: error/gm)).toHaveLength(3);
    const cap = DIAGNOSTICS_SHOWN_PER_FILE;
    expect(rendered).toContain(`… and 150 more in a.constitution (the first ${cap} are shown)`);
    expect(rendered).not.toContain("more in b.constitution");
    expect(rendered.trimEnd().endsWith("253 errors, 0 warnings")).toBe(true);
  });

  it("a file of 20,000 stray characters renders the sink's 100 errors and its MG4090 summary", () => {
    const text = `constitution x version "1.0.0"\n${"@\n".repeat(20_000)}\n`;
    const { diagnostics } = compileSources([{ path: "junk.constitution", text }]);
    expect(diagnostics.filter((d) => d.code !== "MG4090")).toHaveLength(DEFAULT_ERROR_LIMIT);
    const rendered = renderDiagnostics(diagnostics, () => text);
    expect(rendered.match(/^junk\.constitution:/gm)).toHaveLength(DEFAULT_ERROR_LIMIT + 1);
    expect(rendered).toMatch(/^junk\.constitution:\d+:1: error\[MG4090\]: \d+ more errors in `junk\.constitution`/m);
    expect(rendered).not.toContain("… and");
  });

  it("the cap never hides an MG4090 summary, however many diagnostics precede it", () => {
    const summary = error("MG4090", many(1, "a.constitution")[0]!.span, "7 more errors in `a.constitution` not shown");
    const rendered = renderDiagnostics([...many(150, "a.constitution"), summary], () => undefined);
    expect(rendered).toContain("error[MG4090]: 7 more errors");
    expect(rendered).toContain(`… and 50 more in a.constitution (the first ${DIAGNOSTICS_SHOWN_PER_FILE} are shown)`);
  });
});
