// `musgo plan`: what `musgo enforce` would do for an input, as multi-document YAML, contacting
// nothing (the kubeconfig file is read for its namespace only; no cluster or Vault is called).

import { stringify } from "yaml";
import { planKubernetes } from "../../adapters/kubernetes/plan.js";
import { deploymentNameFor, InvalidDeploymentNameError } from "../../adapters/kubernetes/naming.js";
import { loadCluster } from "../../adapters/kubernetes/kubeconfig.js";
import { agentIdOf, Guard } from "../../guard/guard.js";
import { planRemedy } from "../../guard/plan-remedy.js";
import { parseCommandArgs } from "../args.js";
import { loadEngine, parseEngineKind } from "../engine.js";
import { EXIT, UsageError, UserError, type Command } from "../io.js";
import { DEFAULT_PATHS } from "./check.js";
import { readDecisionInput } from "./enforce.js";
import { resolveTargets, TARGET_OPTIONS, TARGET_USAGE, type ResolvedTargets } from "../targets.js";

export const planCommand: Command = {
  usage: `usage: musgo plan [PATHS...|FILE.wasm] --input FILE|- [options]

Judges the input like \`musgo enforce\` and prints, as multi-document YAML, the verdict and one
document per request enforcement would send. Contacts no cluster and no Vault.

options:
  --input FILE|-          the decision input (JSON)
  --engine interp|wasm    which engine evaluates
${TARGET_USAGE}
  -h, --help              show this help
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { ...TARGET_OPTIONS, input: { type: "string" }, engine: { type: "string" } });
    if (values.input === undefined) throw new UsageError("--input is required");
    const targets = await resolveTargets(values, io);
    const engine = await loadEngine(positionals.length > 0 ? positionals : DEFAULT_PATHS, { engine: parseEngineKind(values.engine) });
    const input = await readDecisionInput(values.input, io);
    // A Guard without actuators: judging applies the limits and contacts nothing.
    const verdict = new Guard({ engine }).judge(input);
    const remedy = planRemedy(verdict);
    const agent = agentIdOf(input);
    const documents: unknown[] = [{ verdict, remedy: remedy.remedy, agent }];
    if (agent !== null) documents.push(...actionsFor(remedy, agent, verdict.violation, targets));
    io.stdout(documents.map((doc) => stringify(doc)).join("---\n"));
    return EXIT.ok;
  },
};

function actionsFor(remedy: ReturnType<typeof planRemedy>, agent: string, violation: string | null, targets: ResolvedTargets): unknown[] {
  const actions: unknown[] = [];
  if (remedy.containment === "quarantine" || remedy.containment === "suspend") {
    actions.push(...planKubernetes(remedy.containment, { namespace: planNamespace(targets), name: deploymentName(agent, targets) }));
  }
  if (remedy.containment === "rollback") {
    actions.push({ action: "restore-checkpoint", target: { kind: "AgentState", agent, store: targets.stateDir }, note: "the agent's latest checkpoint becomes its live state" });
  }
  if (remedy.incident) {
    const { mount, path, address } = targets.vault;
    actions.push({
      action: "record-incident",
      target: { kind: "VaultKV", path: `${mount}/${path}/<yyyymmdd>_<seq>`, vault: address ?? "(not configured: no incident would be written)" },
      request: { method: "POST", path: `/v1/${mount}/data/${path}/<yyyymmdd>_<seq>`, contentType: "application/json" },
      body: { data: { agent, action: remedy.remedy, reason: violation ?? remedy.remedy }, options: { cas: 0 } },
    });
  }
  return actions;
}

function deploymentName(agent: string, targets: ResolvedTargets): string {
  try {
    return deploymentNameFor(agent, targets.kubernetes.deploymentRule);
  } catch (e) {
    if (e instanceof InvalidDeploymentNameError) throw new UserError(e.message);
    throw e;
  }
}

/** The namespace enforcement would use; reading the kubeconfig file contacts no cluster. */
function planNamespace(targets: ResolvedTargets): string {
  const { kubeconfig, context, namespace } = targets.kubernetes;
  if (namespace !== undefined) return namespace;
  if (kubeconfig === null) return "default";
  return loadCluster({ kubeconfig, ...(context === undefined ? {} : { context }) }).namespace;
}
