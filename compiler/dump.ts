// What `musgo build --dump-after STAGE` prints for each stage's product: the ASTs as JSON, a JSON
// summary of the checked constitution, the IR as JSON (as `--emit ir` writes it), the module as
// WebAssembly text. Everything but the WAT is rendered at once, before a later stage annotates
// the product in place (the checker adds `$type` to the AST).

import type { CheckedConstitution } from "./check/model.js";
import { wasmToWat } from "./codegen/index.js";
import type { StageName, StageProducts } from "./driver.js";

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

const DUMPERS: { [S in StageName]: (product: StageProducts[S]) => string | Promise<string> } = {
  parse: (parsed) => json(parsed.files),
  check: (constitution) => json(checkedSummary(constitution)),
  plan: (policy) => json(policy),
  emit: (wasm) => wasmToWat(wasm),
};

/** The product as text; JSON products are rendered before this returns. */
export function dumpProduct<S extends StageName>(stage: S, product: StageProducts[S]): Promise<string> {
  return Promise.resolve((DUMPERS[stage] as (product: StageProducts[S]) => string | Promise<string>)(product));
}

/** The checked constitution without its AST: declarations, resolved and folded. */
export function checkedSummary(c: CheckedConstitution | null): unknown {
  if (c === null) return null;
  return {
    name: c.name,
    version: c.version,
    digest: c.digest,
    files: c.files.map((f) => f.path),
    schema: c.schema,
    enums: c.enums,
    lets: Object.fromEntries(c.lets),
    articles: c.articles.map((a) => ({
      number: a.number,
      title: a.title,
      enforcement: a.enforcement,
      rules: a.rules.map((r) => ({ kind: r.kind, code: r.code, ...(r.kind === "forbid" ? { remedy: r.remedy } : {}) })),
      limits: a.limits.map(({ node: _node, ...limit }) => limit),
    })),
    registration: c.registration.map(({ kind, value }) => ({ kind, value })),
    tests: c.tests.map((t) => t.name.value),
  };
}
