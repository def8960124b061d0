// What `musgo build --dump-after STAGE` prints for each stage's product: the ASTs as JSON, a JSON
// summary of the checked constitution, the IR as JSON (as `--emit ir` writes it), the module as
// WebAssembly text. Everything but the WAT is rendered at once, before a later stage annotates
// the product in place (the checker adds `$type` to the AST). Source file names in the IR and the
// summary are relative to `cwd` (with `/`), so the output does not depend on where the checkout
// lives or how the paths were given.

import { isAbsolute, relative, sep } from "node:path";
import type { CheckedConstitution } from "./check/model.js";
import { wasmToWat } from "./codegen/index.js";
import type { StageName, StageProducts } from "./driver.js";
import type { IrPolicy } from "./ir/ir.js";

type Dumper<S extends StageName> = (product: StageProducts[S], cwd: string) => string | Promise<string>;

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

const DUMPERS: { [S in StageName]: Dumper<S> } = {
  parse: (parsed) => json(parsed.files),
  check: (constitution, cwd) => json(checkedSummary(constitution, cwd)),
  plan: (policy, cwd) => json(portableIr(policy, cwd)),
  emit: (wasm) => wasmToWat(wasm),
};

/** The product as text; JSON products are rendered before this returns. */
export function dumpProduct<S extends StageName>(stage: S, product: StageProducts[S], cwd: string): Promise<string> {
  return Promise.resolve((DUMPERS[stage] as Dumper<S>)(product, cwd));
}

function displayPath(file: string, cwd: string): string {
  return (isAbsolute(file) ? relative(cwd, file) : file).split(sep).join("/");
}

/** The IR with its source files relative to `cwd`. */
function portableIr(policy: IrPolicy, cwd: string): IrPolicy {
  const files = policy.static.files.map((file) => displayPath(file, cwd));
  return { ...policy, static: { ...policy.static, files } };
}

/** The checked constitution without its AST: declarations, resolved and folded. */
export function checkedSummary(c: CheckedConstitution | null, cwd: string): unknown {
  if (c === null) return null;
  return {
    name: c.name,
    version: c.version,
    digest: c.digest,
    files: c.files.map((f) => displayPath(f.path, cwd)),
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
