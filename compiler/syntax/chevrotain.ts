// chevrotain's package entry is a graph of ~200 small ESM files that takes ~0.8 s to load here,
// most of `musgo check`'s wall time. The same package ships a single-file ESM bundle that loads in
// ~0.15 s; its exports map does not list it, so it is resolved by path next to the entry point.

import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import type * as Chevrotain from "chevrotain";

const entry = createRequire(import.meta.url).resolve("chevrotain"); // …/chevrotain/lib/src/api.js
const bundle = pathToFileURL(join(dirname(entry), "..", "chevrotain.mjs")).href;
const chevrotain = (await import(bundle)) as typeof Chevrotain;

export const { CstParser, createToken, Lexer, EOF, tokenLabel } = chevrotain;
