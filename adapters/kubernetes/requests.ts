// The Kubernetes objects and patches musgo sends, built in one place for both the actuator and
// `musgo plan` (docs/enforcement.md, "Remedy → action"). Label and annotation keys live under `musgo.dev/`.

export const FIELD_MANAGER = "musgo";
export const QUARANTINE_LABEL = "quarantine";
export const REPLICAS_BEFORE_ANNOTATION = "musgo.dev/replicas-before";
export const CONTENT_TYPE = {
  json: "application/json",
  mergePatch: "application/merge-patch+json",
  strategicMergePatch: "application/strategic-merge-patch+json",
} as const;

export interface DeploymentRef {
  namespace: string;
  name: string;
}

export const networkPolicyName = (deployment: DeploymentRef): string => `quarantine-${deployment.name}`;

/** Denies all ingress and egress of the deployment's pods (under a CNI that enforces NetworkPolicy). */
export function quarantineNetworkPolicy(deployment: DeploymentRef, matchLabels: Record<string, string>) {
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: {
      name: networkPolicyName(deployment),
      namespace: deployment.namespace,
      labels: { "app.kubernetes.io/managed-by": FIELD_MANAGER, "musgo.dev/quarantined-deployment": deployment.name },
    },
    spec: { podSelector: { matchLabels }, policyTypes: ["Ingress", "Egress"] },
  };
}

/** Strategic merge patch: pin the pod template to `quarantine=true` nodes and label its pods. */
export function pinToQuarantineNodesPatch() {
  return {
    spec: {
      template: {
        metadata: { labels: { [QUARANTINE_LABEL]: "true" } },
        spec: { nodeSelector: { [QUARANTINE_LABEL]: "true" } },
      },
    },
  };
}

/** Strategic merge patch undoing pinToQuarantineNodesPatch (`null` deletes a map key). */
export function unpinPatch() {
  return {
    spec: {
      template: {
        metadata: { labels: { [QUARANTINE_LABEL]: null } },
        spec: { nodeSelector: { [QUARANTINE_LABEL]: null } },
      },
    },
  };
}

/** Merge patch for a running pod's quarantine label (`null` removes it). */
export function podLabelPatch(value: "true" | null) {
  return { metadata: { labels: { [QUARANTINE_LABEL]: value } } };
}

/** Merge patch remembering the replica count before a suspension (`null` forgets it). */
export function replicasBeforePatch(replicas: number | null) {
  return { metadata: { annotations: { [REPLICAS_BEFORE_ANNOTATION]: replicas === null ? null : String(replicas) } } };
}

/** Merge patch for the `/scale` subresource. */
export function scalePatch(replicas: number) {
  return { spec: { replicas } };
}

export const paths = {
  deployment: (d: DeploymentRef) => `/apis/apps/v1/namespaces/${d.namespace}/deployments/${d.name}`,
  scale: (d: DeploymentRef) => `/apis/apps/v1/namespaces/${d.namespace}/deployments/${d.name}/scale`,
  networkPolicies: (d: DeploymentRef) => `/apis/networking.k8s.io/v1/namespaces/${d.namespace}/networkpolicies`,
  networkPolicy: (d: DeploymentRef) =>
    `/apis/networking.k8s.io/v1/namespaces/${d.namespace}/networkpolicies/${networkPolicyName(d)}`,
  pods: (d: DeploymentRef) => `/api/v1/namespaces/${d.namespace}/pods`,
};
