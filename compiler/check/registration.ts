// Stage 5: the registration block. Its conditions are typed like rule conditions, except that the
// registration request holds only `agent`, so reading any other schema root is an error (MG2071).

import type { RegistrationDecl } from "../ast/nodes.js";
import { rootEnv, type Globals } from "./env.js";
import { typeCondition } from "./expressions.js";
import type { CheckedRegistrationRule } from "./model.js";

export function checkRegistration(decl: RegistrationDecl | null, globals: Globals): CheckedRegistrationRule[] {
  if (decl === null) return [];
  const env = rootEnv(globals, { kind: "agentOnly" });
  return decl.items.map((item) => {
    typeCondition(item.when, env, "a registration condition");
    return { kind: item.kind === "Namespace" ? "namespace" : "grant", value: item.value.value, when: item.when };
  });
}
