// The language examples' limit (test/fixtures/language/s8-limits.constitution) as the engine declares it:
// `article III "Resource Limits" { limit api_calls per agent.id to <count> per minute remedy quarantine }`.

import type { LimitDeclaration } from "../../contract/engine.js";

export function apiCallsLimit(count = 100): LimitDeclaration {
  return {
    name: "api_calls",
    article: "III",
    articleValue: 3,
    articleLabel: "Article_III_Resource_Limits",
    enforcement: "mandatory",
    keyPath: ["agent", "id"],
    count,
    windowSeconds: 60,
    remedy: "quarantine",
  };
}
