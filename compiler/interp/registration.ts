// The registration entrypoint (docs/language.md, "Registration"): the request `{"agent": {...}}` is validated against
// the schema's `agent` field alone; the first matching `namespace` wins and every matching `grant`
// is listed once, in source order.

import type { CheckedConstitution } from "../check/model.js";
import type { RecordSchema } from "../../contract/schema.js";
import { validateInput } from "../../contract/validate-input.js";
import { invalidRegistration, makeRegistration, type RegistrationResult } from "../../contract/verdict.js";
import { holds, rootScope } from "./evaluate.js";
import { projectInput } from "./project-input.js";

/** The schema a registration request is checked against: a record holding only `agent`. */
export function registrationSchema(schema: RecordSchema): RecordSchema {
  return { kind: "record", fields: schema.fields.filter((field) => field.name === "agent") };
}

export function evaluateRegistration(c: CheckedConstitution, input: unknown): RegistrationResult {
  const schema = registrationSchema(c.schema);
  const error = validateInput(schema, input);
  if (error !== null) return invalidRegistration(error);
  const scope = rootScope(projectInput(schema, input), c.lets);
  const matching = c.registration.filter((rule) => holds(rule.when, scope));
  const namespace = matching.find((rule) => rule.kind === "namespace")?.value ?? null;
  const permissions = [...new Set(matching.filter((rule) => rule.kind === "grant").map((rule) => rule.value))];
  return makeRegistration(namespace, permissions);
}
