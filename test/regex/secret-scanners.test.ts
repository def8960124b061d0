// Realistic secret-scanning regexes (gitleaks' default rules, test/fixtures/regex/gitleaks-rules.txt)
// compile within the automaton caps, find their examples and pass their near-misses in every engine:
// the automaton runner, the interpreter (JavaScript RegExp), the IR evaluator and a built WASM module. The union of
// them all still matches in time linear in the input.

import { describe, expect, it } from "vitest";
import { MAX_DFA_STATES, MAX_PATTERN_STATES, patternAutomaton, type Dfa } from "../../compiler/regex/automaton.js";
import { automatonSearch } from "../../compiler/regex/dfa-search.js";
import { evaluateDecision } from "../../compiler/interp/index.js";
import { evaluateDecisionIr } from "../../compiler/ir/eval.js";
import { planConstitution } from "../../compiler/lower/planner.js";
import { compileSource, expectSameVerdicts, type CompiledConstitution } from "../wasm/support.js";
import {
  noMatchText,
  perRuleConstitution,
  readSecretRules,
  ruleCode,
  secretsConstitution,
  unionPattern,
  type SecretRule,
} from "../../bench/secret-rules.js";

const ALL_RULES = readSecretRules();
const RULES = ALL_RULES.filter((rule) => rule.refused === undefined);
const REFUSED = ALL_RULES.filter((rule) => rule.refused !== undefined);

function dfasOf(pattern: string): Dfa[] {
  const result = patternAutomaton(pattern);
  if (!result.ok) throw new Error(`/${pattern}/ does not compile: ${result.message}`);
  return result.dfas;
}

describe("gitleaks' default rules in musgo's dialect", () => {
  it("the fixture holds 30+ rules within the dialect, each with an example and a near-miss", () => {
    expect(RULES.length).toBeGreaterThanOrEqual(30);
    for (const rule of RULES) {
      expect([rule.id, typeof rule.example, typeof rule.nearMiss]).toEqual([rule.id, "string", "string"]);
    }
  });

  const byId = (rules: SecretRule[]) => rules.map((rule) => [rule.id, rule] as const);

  it.each(byId(RULES))("%s compiles within the caps, finds its example, passes its near-miss", (_, rule) => {
    const dfas = dfasOf(rule.pattern);
    for (const dfa of dfas) expect(dfa.stateCount).toBeLessThanOrEqual(MAX_DFA_STATES);
    const regExp = new RegExp(rule.pattern, "u");
    expect([automatonSearch(dfas, rule.example!), regExp.test(rule.example!)]).toEqual([true, true]);
    expect([automatonSearch(dfas, rule.nearMiss!), regExp.test(rule.nearMiss!)]).toEqual([false, false]);
  });

  it.each(byId(REFUSED))("%s is refused by the caps, quickly", (_, rule) => {
    const started = performance.now();
    const refusal = { ok: false, message: expect.stringContaining(rule.refused!) };
    expect(patternAutomaton(rule.pattern)).toMatchObject(refusal);
    expect(performance.now() - started).toBeLessThan(30_000);
  });

  it("one forbid per rule: the interpreter, the IR evaluator and the module fire where the rule finds", () => {
    const compiled = compileSource(perRuleConstitution(RULES));
    const policy = planConstitution(compiled.checked);
    for (const rule of RULES) {
      for (const [text, fires] of [
        [rule.example!, true],
        [rule.nearMiss!, false],
      ] as const) {
        const input = { output: { text } };
        const verdict = evaluateDecision(compiled.checked, input);
        const fired = verdict.violations.some((v) => v.code === ruleCode(rule));
        expect(fired, `${rule.id} on ${JSON.stringify(text)}`).toBe(fires);
        expect(evaluateDecisionIr(policy, input)).toEqual(verdict);
        expectSameVerdicts(compiled, input);
      }
    }
  }, 120_000);
});

describe("the union of all the rules", () => {
  const union = unionPattern(RULES);

  it("compiles into DFAs within both caps, and finds every example", () => {
    const dfas = dfasOf(union);
    expect(dfas.length).toBeGreaterThan(1);
    for (const dfa of dfas) expect(dfa.stateCount).toBeLessThanOrEqual(MAX_DFA_STATES);
    expect(dfas.reduce((sum, dfa) => sum + dfa.stateCount, 0)).toBeLessThanOrEqual(MAX_PATTERN_STATES);
    for (const rule of RULES) expect(automatonSearch(dfas, rule.example!), rule.id).toBe(true);
  }, 120_000);

  /** How much longer `large` runs than `small` (fastest of five runs each, at least 0.1 ms). */
  const growth = (small: () => unknown, large: () => unknown): number => fastest(large) / Math.max(fastest(small), 0.1);

  /** The fastest of a few runs, in ms: the growth ratio is what counts, not the absolute time. */
  const fastest = (run: () => void): number => {
    let best = Infinity;
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      run();
      best = Math.min(best, performance.now() - started);
    }
    return best;
  };

  it("linear time (automaton runner): 4n bytes take under 7.5× the time of n (4× is linear, quadratic 16×)", () => {
    const dfas = dfasOf(union);
    const [small, large] = [noMatchText(RULES, 64 * 1024), noMatchText(RULES, 256 * 1024)];
    expect(automatonSearch(dfas, small)).toBe(new RegExp(union, "u").test(small));
    expect(automatonSearch(dfas, large)).toBe(false);
    const ratio = growth(
      () => automatonSearch(dfas, small),
      () => automatonSearch(dfas, large),
    );
    expect(ratio).toBeLessThan(5 * 1.5);
  }, 120_000);

  it("linear time (WASM module): evaluating 4n bytes takes under 7.5× the time of n bytes", () => {
    const compiled: CompiledConstitution = compileSource(secretsConstitution([{ code: "leak", pattern: union }]));
    const small = { output: { text: noMatchText(RULES, 64 * 1024) } };
    const large = { output: { text: noMatchText(RULES, 256 * 1024) } };
    expect(compiled.engine.evaluate(large).violations).toEqual([]);
    const ratio = growth(
      () => compiled.engine.evaluate(small),
      () => compiled.engine.evaluate(large),
    );
    expect(ratio).toBeLessThan(5 * 1.5);
  }, 120_000);
});
