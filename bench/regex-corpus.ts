// Build time, module size and matching speed for realistic secret-scanning regexes: gitleaks'
// default rules in musgo's dialect (test/fixtures/regex/gitleaks-rules.txt), once as one forbid
// per rule and once as a single forbid matching their union. Also lists the largest automata.
// Automata are memoised per pattern, so the per-rule constitution is built first, cold.
//
//   node dist/bench/regex-corpus.js

import { compileSources } from "../compiler/pipeline.js";
import { planConstitution } from "../compiler/lower/planner.js";
import { compileToWasm } from "../compiler/codegen/index.js";
import { encodeAutomaton, patternAutomaton } from "../compiler/regex/automaton.js";
import { loadConstitution } from "../runtime/index.js";
import {
  noMatchText,
  perRuleConstitution,
  readSecretRules,
  secretsConstitution,
  unionPattern,
  type SecretRule,
} from "./secret-rules.js";

/** Wall and CPU milliseconds: on a shared machine the CPU time is the steadier figure. */
function timed<T>(run: () => T): { value: T; ms: number; cpuMs: number } {
  const start = performance.now();
  const cpu = process.cpuUsage();
  const value = run();
  const { user, system } = process.cpuUsage(cpu);
  return { value, ms: performance.now() - start, cpuMs: (user + system) / 1000 };
}

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;

/** Check (which compiles the automata), plan, codegen; then MB/s of the module on text without a match. */
function measure(label: string, source: string, rules: readonly SecretRule[]): void {
  const check = timed(() => compileSources([{ path: "secrets.constitution", text: source }]));
  const checked = check.value.constitution;
  if (checked === null) throw new Error(`${label} does not check: ${JSON.stringify(check.value.diagnostics)}`);
  const plan = timed(() => planConstitution(checked));
  const codegen = timed(() => compileToWasm(plan.value));
  const regexes = plan.value.static.regexes;
  const dfas = regexes.flatMap((regex) => regex.dfas);
  const tables = regexes.reduce((sum, regex) => sum + encodeAutomaton(regex.dfas).length, 0);
  const engine = loadConstitution(codegen.value);
  const input = { output: { text: noMatchText(rules, 1024 * 1024) } };
  engine.evaluate(input);
  const run = timed(() => engine.evaluate(input));
  const states = dfas.reduce((sum, dfa) => sum + dfa.stateCount, 0).toLocaleString("en-US");
  const cells = [
    label,
    regexes.length,
    dfas.length,
    states,
    `${check.ms.toFixed(0)} ms (CPU ${check.cpuMs.toFixed(0)} ms)`,
    `${plan.ms.toFixed(0)} ms`,
    `${codegen.ms.toFixed(0)} ms`,
    kb(tables),
    kb(codegen.value.length),
    `${(1 / (run.ms / 1000)).toFixed(1)} MB/s`,
  ];
  console.log(`| ${cells.join(" | ")} |`);
}

const rules = readSecretRules().filter((rule) => rule.refused === undefined);
console.log(`${rules.length} rules\n`);
console.log("| constitution | regexes | DFAs | states | check | plan | codegen | DFA tables | module | match 1 MB |");
console.log("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
measure("one forbid per rule", perRuleConstitution(rules), rules);
measure("one forbid, the union", secretsConstitution([{ code: "leak", pattern: unionPattern(rules) }]), rules);

console.log("\nLargest automata (states × byte classes, table bytes):\n");
const sizes = rules.map((rule) => {
  const result = patternAutomaton(rule.pattern);
  if (!result.ok) throw new Error(`${rule.id}: ${result.message}`);
  return { id: rule.id, dfas: result.dfas, bytes: encodeAutomaton(result.dfas).length };
});
for (const { id, dfas, bytes } of sizes.sort((a, b) => b.bytes - a.bytes).slice(0, 6)) {
  console.log(`- ${id}: ${dfas.map((dfa) => `${dfa.stateCount} × ${dfa.classCount}`).join(" + ")}, ${kb(bytes)}`);
}
