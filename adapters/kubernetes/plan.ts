// `musgo plan`: the requests an operation would send, as data, computed without contacting the
// cluster. Values only the live Deployment can supply (its selector, its replica count) are named,
// not guessed. Built from the same request builders the actuator sends.

import type { ContainmentOperation, ContainmentPlanner, PlannedRequest } from "../../contract/ports.js";
import { deploymentNameFor, InvalidDeploymentNameError } from "./naming.js";
import {
  CONTENT_TYPE,
  FIELD_MANAGER,
  networkPolicyName,
  paths,
  pinToQuarantineNodesPatch,
  podLabelPatch,
  quarantineNetworkPolicy,
  replicasBeforePatch,
  scalePatch,
  unpinPatch,
  type DeploymentRef,
} from "./requests.js";

const SELECTOR = { "<from deployment>": "spec.selector.matchLabels" };

/** Plans an agent's containment in one namespace, naming its deployment by the actuator's rule. */
export class KubernetesPlanner implements ContainmentPlanner {
  constructor(private readonly options: { namespace: string; deploymentRule: string }) {}

  plan(operation: ContainmentOperation, agent: string): PlannedRequest[] {
    if (operation === "rollback") return [];
    let name: string;
    try {
      name = deploymentNameFor(agent, this.options.deploymentRule);
    } catch (e) {
      if (!(e instanceof InvalidDeploymentNameError)) throw e;
      // Enforcement would send nothing and report the step incomplete: the plan says so instead of failing.
      const target = { agent, namespace: this.options.namespace };
      return [{ action: operation, target, note: `not sent: ${e.message}` }];
    }
    return planKubernetes(operation, { namespace: this.options.namespace, name });
  }
}

export function planKubernetes(
  operation: Exclude<ContainmentOperation, "rollback">,
  d: DeploymentRef,
): PlannedRequest[] {
  const deployment = { apiVersion: "apps/v1", kind: "Deployment", namespace: d.namespace, name: d.name };
  const scale = { ...deployment, apiVersion: "autoscaling/v1", kind: "Scale" };
  const policy = {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    namespace: d.namespace,
    name: networkPolicyName(d),
  };
  const pods = { apiVersion: "v1", kind: "Pod", namespace: d.namespace, name: "<each pod selected by the deployment>" };
  const query = `?fieldManager=${FIELD_MANAGER}`;
  const patchDeployment = (action: string, body: unknown, contentType: string): PlannedRequest => ({
    action,
    target: deployment,
    request: { method: "PATCH", path: `${paths.deployment(d)}${query}`, contentType },
    body,
  });
  const patchPods = (action: string, value: "true" | null): PlannedRequest => ({
    action,
    target: pods,
    request: { method: "PATCH", path: `${paths.pods(d)}/<pod>${query}`, contentType: CONTENT_TYPE.mergePatch },
    body: podLabelPatch(value),
  });
  const scaleTo = (action: string, replicas: number | string, note: string): PlannedRequest => ({
    action,
    target: scale,
    request: { method: "PATCH", path: `${paths.scale(d)}${query}`, contentType: CONTENT_TYPE.mergePatch },
    body: typeof replicas === "number" ? scalePatch(replicas) : { spec: { replicas } },
    note,
  });
  switch (operation) {
    case "quarantine":
      return [
        {
          action: "create-network-policy",
          target: policy,
          request: { method: "POST", path: `${paths.networkPolicies(d)}${query}`, contentType: CONTENT_TYPE.json },
          body: quarantineNetworkPolicy(d, SELECTOR),
          note: "skipped when an identical policy exists; replaced when it differs",
        },
        patchPods("label-pods", "true"),
        patchDeployment("pin-to-quarantine-nodes", pinToQuarantineNodesPatch(), CONTENT_TYPE.strategicMergePatch),
      ];
    case "suspend":
      return [
        {
          ...patchDeployment("remember-replicas", replicasBeforePatch(null), CONTENT_TYPE.mergePatch),
          body: { metadata: { annotations: { "musgo.dev/replicas-before": "<spec.replicas of the deployment>" } } },
        },
        scaleTo("scale-to-zero", 0, "skipped when already at 0"),
      ];
    case "release":
      return [
        {
          action: "delete-network-policy",
          target: policy,
          request: { method: "DELETE", path: paths.networkPolicy(d), contentType: null },
          body: null,
          note: "skipped when absent",
        },
        patchPods("unlabel-pods", null),
        patchDeployment("unpin-from-quarantine-nodes", unpinPatch(), CONTENT_TYPE.strategicMergePatch),
        scaleTo("restore-replicas", "<musgo.dev/replicas-before annotation>", "only when the deployment was suspended"),
        patchDeployment("forget-replicas", replicasBeforePatch(null), CONTENT_TYPE.mergePatch),
      ];
  }
}
