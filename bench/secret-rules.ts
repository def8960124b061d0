// The secret-scanning corpus (gitleaks' default rules in musgo's dialect, in
// test/fixtures/regex/gitleaks-rules.txt): read by test/regex/secret-scanners.test.ts and
// bench/regex-corpus.ts.

import { readFileSync } from "node:fs";

export interface SecretRule {
  id: string;
  pattern: string;
  example?: string | undefined;
  nearMiss?: string | undefined;
  /** Set on a rule the automaton caps refuse: a fragment of the message. */
  refused?: string | undefined;
}

/** Relative to the repository root, where tests and benchmarks run. */
const FIXTURE = "test/fixtures/regex/gitleaks-rules.txt";

/** Every record of the fixture: `key: "JSON string"` lines, blank lines between records, `#` comments. */
export function readSecretRules(path: string = FIXTURE): SecretRule[] {
  const records = readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => !line.startsWith("#"))
    .join("\n")
    .split(/\n{2,}/)
    .filter((record) => record.trim() !== "");
  return records.map((record) => {
    const lines = record.trim().split("\n");
    const fields = new Map(lines.map((line) => line.split(/: (.*)/s).slice(0, 2) as [string, string]));
    const text = (key: string): string | undefined => {
      const value = fields.get(key);
      return value === undefined ? undefined : (JSON.parse(value) as string);
    };
    return {
      id: fields.get("id")!,
      pattern: text("pattern")!,
      example: text("example"),
      nearMiss: text("near-miss"),
      refused: text("refused"),
    };
  });
}

/** The rule code a constitution gives a corpus rule (`1password-secret-key` → `leak_1password_secret_key`). */
export function ruleCode(rule: SecretRule): string {
  return `leak_${rule.id.replace(/-/g, "_")}`;
}

/** One pattern matching where any of the rules does. */
export function unionPattern(rules: readonly SecretRule[]): string {
  return rules.map((rule) => `(?:${rule.pattern})`).join("|");
}

/** A constitution with one forbid per pattern, over an optional `output.text`. */
export function secretsConstitution(rules: readonly { code: string; pattern: string }[]): string {
  const forbids = rules.map(({ code, pattern }) => {
    return `  forbid ${code} when has output and output.text matches ${JSON.stringify(pattern)} remedy log\n`;
  });
  const header = 'constitution secrets version "1.0.0"\nschema { output?: { text: string } }\n';
  return `${header}article I "Secrets" {\n${forbids.join("")}}\n`;
}

/** One forbid per rule, coded by `ruleCode`. */
export function perRuleConstitution(rules: readonly SecretRule[]): string {
  return secretsConstitution(rules.map((rule) => ({ code: ruleCode(rule), pattern: rule.pattern })));
}

/** Text with no match: the near-misses over and over, `n` bytes (ASCII). */
export function noMatchText(rules: readonly SecretRule[], n: number): string {
  const period = rules.map((rule) => rule.nearMiss!).join(" ");
  return period.repeat(Math.ceil(n / period.length)).slice(0, n);
}
