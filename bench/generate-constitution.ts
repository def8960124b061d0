// Generates a valid constitution of N articles over the reference schema, for the build-time and
// module-size benchmarks. Deterministic: rule i always reads the same. Article numbers stop at
// 3,999 (MMMCMXCIX), so beyond that the N rules share articles: 10,000 gives 3,334 articles of
// three forbids each, which is the same amount of policy. The rules cycle through
// the language's constructs (string, number and enum comparisons, set membership, `has` guards,
// regexes, builtins, quantifiers, messages with holes, advisory articles, unnamed permits).
//
//   node dist/bench/generate-constitution.js N OUT_DIR   writes OUT_DIR/generated.constitution

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const HEADER = `constitution generated version "1.0.0"

enum Clearance { public < internal < enterprise < confidential < secret < top_secret }
enum AgentType { strategic_advisor, data_analyst, code_executor }

schema {
  agent: { id: string, type: AgentType, clearance: Clearance, capabilities: set<string> },
  action: { type: string, target?: string, justification?: string, method?: string, path?: string, amount?: number },
  output?: { text: string },
  telemetry?: { api_calls_per_minute: number },
}

let restricted = {"classified_financials", "board_minutes", "hr_records"}
let ceiling = 10000
`;

const REMEDIES = ["log", "warn", "rollback", "throttle", "quarantine", "suspend"];
const CLEARANCES = ["internal", "enterprise", "confidential", "secret"];
const PATTERNS = [
  "^[a-z]+_[0-9]+$",
  "(AKIA|ASIA)[0-9A-Z]{16}",
  "-----BEGIN [A-Z ]*PRIVATE KEY-----",
  "\\d{3}-\\d{2}-\\d{4}",
];

/** The condition of forbid `i`: one of eight shapes, with constants that vary with `i`. */
function forbidCondition(i: number): string {
  switch (i % 8) {
    case 0:
      return `action.type == "op_${i}" and agent.clearance < ${CLEARANCES[i % CLEARANCES.length]}`;
    case 1:
      return `has action.target and action.target in restricted and agent.type != data_analyst`;
    case 2:
      return `has action.amount and action.amount > ceiling + ${i}`;
    case 3:
      return `has output and output.text matches "${PATTERNS[i % PATTERNS.length]!.replace(/\\/g, "\\\\")}"`;
    case 4:
      return `starts_with(action.type, "bulk_${i}") and not has action.justification`;
    case 5:
      return `has telemetry and telemetry.api_calls_per_minute > ${100 + i}`;
    case 6:
      return `any c in agent.capabilities: c == "cap_${i}"`;
    default:
      return `lower(agent.id) == "agent_${i}" or count(agent.capabilities) > ${5 + (i % 7)}`;
  }
}

/** Forbid `i`, and every third one a permit. */
function rules(i: number): string[] {
  const forbid = `  forbid rule_${i}\n    when ${forbidCondition(i)}\n    remedy ${REMEDIES[i % REMEDIES.length]}\n    appeal "review_board_${i % 5}"\n    message "agent {agent.id} broke rule ${i} doing {action.type}"`;
  return i % 3 === 0
    ? [forbid, `  permit when action.type == "task_${i}" and "skill_${i % 11}" in agent.capabilities`]
    : [forbid];
}

function article(number: number, ruleNumbers: number[]): string {
  const advisory = number % 10 === 9 ? " enforcement advisory" : "";
  return `article ${number} "Generated Article ${number}"${advisory} {\n${ruleNumbers.flatMap(rules).join("\n")}\n}`;
}

export const MAX_ARTICLES = 3999;

/** A valid constitution with `count` rule groups: one article each, or shared articles past `maxArticles`. */
export function generateConstitution(count: number, maxArticles = MAX_ARTICLES): string {
  const perArticle = Math.ceil(count / maxArticles);
  const body: string[] = [];
  for (let first = 1; first <= count; first += perArticle) {
    const ruleNumbers = Array.from({ length: Math.min(perArticle, count - first + 1) }, (_, k) => first + k);
    body.push(article(body.length + 1, ruleNumbers));
  }
  const registration = `registration {
  namespace "ai-strategic" when agent.type == strategic_advisor
  namespace "ai-analytics" when agent.type == data_analyst
  grant "read:market_data" when "market_analysis" in agent.capabilities
}`;
  return `${HEADER}\n${body.join("\n\n")}\n\n${registration}\n`;
}

/** Writes the generated constitution into `dir` (created if needed); returns the file path. */
export function writeGeneratedConstitution(articles: number, dir: string): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, "generated.constitution");
  writeFileSync(path, generateConstitution(articles));
  return path;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [count, dir] = process.argv.slice(2);
  if (count === undefined || dir === undefined)
    console.log(
      "usage: node dist/bench/generate-constitution.js N OUT_DIR (used by build-size.js; nothing to measure on its own)",
    );
  else console.log(writeGeneratedConstitution(Number(count), dir));
}
