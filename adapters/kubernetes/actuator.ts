// Quarantine, suspension and release of an agent's Deployment through @kubernetes/client-node 1.4
// (docs/enforcement.md, "Remedy → action"). Every step first looks at the live object and writes
// only what is missing, so re-running an operation changes nothing; a run stops at the first failed
// step and reports the steps done and the steps left. Dry runs send every write with `dryRun=All`.

import * as k8s from "@kubernetes/client-node";
import type {
  ActuationOptions,
  ActuationReport,
  ContainmentActuator,
  StepResult,
  StepStatus,
} from "../../contract/ports.js";
import { deploymentNameFor } from "./naming.js";
import {
  FIELD_MANAGER,
  QUARANTINE_LABEL,
  REPLICAS_BEFORE_ANNOTATION,
  networkPolicyName,
  pinToQuarantineNodesPatch,
  podLabelPatch,
  quarantineNetworkPolicy,
  replicasBeforePatch,
  scalePatch,
  unpinPatch,
  type DeploymentRef,
} from "./requests.js";

export interface KubernetesActuatorOptions {
  kubeConfig: k8s.KubeConfig;
  namespace: string;
  /** Deployment naming rule with `{agent}` (default: the agent id itself, normalised). */
  deploymentRule?: string;
}

interface Step {
  name: string;
  run(): Promise<{ status: StepStatus; detail: string }>;
}

const SMP = k8s.setHeaderOptions("Content-Type", k8s.PatchStrategy.StrategicMergePatch);
const MP = k8s.setHeaderOptions("Content-Type", k8s.PatchStrategy.MergePatch);

export class KubernetesActuator implements ContainmentActuator {
  private readonly apps: k8s.AppsV1Api;
  private readonly core: k8s.CoreV1Api;
  private readonly net: k8s.NetworkingV1Api;

  constructor(private readonly options: KubernetesActuatorOptions) {
    this.apps = options.kubeConfig.makeApiClient(k8s.AppsV1Api);
    this.core = options.kubeConfig.makeApiClient(k8s.CoreV1Api);
    this.net = options.kubeConfig.makeApiClient(k8s.NetworkingV1Api);
  }

  /** The Deployment an agent runs as (throws InvalidDeploymentNameError for an unmappable id). */
  deploymentOf(agent: string): DeploymentRef {
    return { namespace: this.options.namespace, name: deploymentNameFor(agent, this.options.deploymentRule) };
  }

  quarantine(agent: string, options: ActuationOptions): Promise<ActuationReport> {
    return this.operate("quarantine", agent, options, (ops) => [
      ops.readDeployment,
      ops.createNetworkPolicy,
      ops.labelPods(true),
      ops.pinToQuarantineNodes,
    ]);
  }

  suspend(agent: string, options: ActuationOptions): Promise<ActuationReport> {
    return this.operate("suspend", agent, options, (ops) => [
      ops.readDeployment,
      ops.rememberReplicas,
      ops.scaleToZero,
    ]);
  }

  release(agent: string, options: ActuationOptions): Promise<ActuationReport> {
    return this.operate("release", agent, options, (ops) => [
      ops.readDeployment,
      ops.deleteNetworkPolicy,
      ops.labelPods(false),
      ops.unpin,
      ops.restoreReplicas,
      ops.forgetReplicas,
    ]);
  }

  private async operate(
    operation: ActuationReport["operation"],
    agent: string,
    { dryRun }: ActuationOptions,
    choose: (ops: DeploymentSteps) => Step[],
  ): Promise<ActuationReport> {
    let deployment: DeploymentRef;
    try {
      deployment = this.deploymentOf(agent);
    } catch (e) {
      return {
        operation,
        agent,
        target: agent,
        complete: false,
        steps: [],
        remaining: [],
        error: (e as Error).message,
      };
    }
    const steps = choose(new DeploymentSteps(this.apps, this.core, this.net, deployment, dryRun));
    const target = `deployment ${deployment.namespace}/${deployment.name}`;
    const done: StepResult[] = [];
    for (const [index, step] of steps.entries()) {
      try {
        done.push({ step: step.name, ...(await step.run()) });
      } catch (e) {
        const error = describeKubernetesError(e);
        done.push({ step: step.name, status: "failed", detail: error });
        const remaining = steps.slice(index + 1).map((s) => s.name);
        return {
          operation,
          agent,
          target,
          complete: false,
          steps: done,
          remaining,
          error: `step ${index + 1} of ${steps.length} (${step.name}) failed: ${error}`,
        };
      }
    }
    return { operation, agent, target, complete: true, steps: done, remaining: [], error: null };
  }
}

/** The steps of every operation on one Deployment; `readDeployment` runs first and feeds the others. */
class DeploymentSteps {
  private live: k8s.V1Deployment | null = null;

  constructor(
    private readonly apps: k8s.AppsV1Api,
    private readonly core: k8s.CoreV1Api,
    private readonly net: k8s.NetworkingV1Api,
    private readonly ref: DeploymentRef,
    private readonly dryRun: boolean,
  ) {}

  private get write() {
    return { fieldManager: FIELD_MANAGER, ...(this.dryRun ? { dryRun: "All" } : {}) };
  }

  private wrote(detail: string): { status: StepStatus; detail: string } {
    return {
      status: this.dryRun ? "dry-run" : "done",
      detail: this.dryRun ? `would ${detail} (accepted by the server with dryRun=All)` : detail,
    };
  }

  private get deployment(): k8s.V1Deployment {
    if (this.live === null) throw new Error("internal: the deployment was not read first");
    return this.live;
  }

  private get matchLabels(): Record<string, string> {
    const labels = this.deployment.spec?.selector.matchLabels;
    if (labels === undefined || Object.keys(labels).length === 0)
      throw new Error(`deployment ${this.ref.name} has no spec.selector.matchLabels to select its pods by`);
    return labels;
  }

  readonly readDeployment: Step = {
    name: "read-deployment",
    run: async () => {
      this.live = await this.apps.readNamespacedDeployment({ name: this.ref.name, namespace: this.ref.namespace });
      return {
        status: "done",
        detail: `read deployment ${this.ref.namespace}/${this.ref.name} (replicas ${this.deployment.spec?.replicas ?? 1})`,
      };
    },
  };

  readonly createNetworkPolicy: Step = {
    name: "create-network-policy",
    run: async () => {
      const desired = quarantineNetworkPolicy(this.ref, this.matchLabels);
      const existing = await this.readNetworkPolicy();
      if (existing === null) {
        await this.net.createNamespacedNetworkPolicy({ namespace: this.ref.namespace, body: desired, ...this.write });
        return this.wrote(`create network policy ${desired.metadata.name}`);
      }
      if (JSON.stringify(existing.spec) === JSON.stringify(desired.spec))
        return { status: "unchanged", detail: `network policy ${desired.metadata.name} already isolates the pods` };
      const resourceVersion = existing.metadata?.resourceVersion;
      const body = {
        ...desired,
        metadata: { ...desired.metadata, ...(resourceVersion === undefined ? {} : { resourceVersion }) },
      };
      await this.net.replaceNamespacedNetworkPolicy({
        name: desired.metadata.name,
        namespace: this.ref.namespace,
        body,
        ...this.write,
      });
      return this.wrote(`replace network policy ${desired.metadata.name}, which had a different spec`);
    },
  };

  readonly deleteNetworkPolicy: Step = {
    name: "delete-network-policy",
    run: async () => {
      const name = networkPolicyName(this.ref);
      if ((await this.readNetworkPolicy()) === null)
        return { status: "unchanged", detail: `no network policy ${name}` };
      await this.net.deleteNamespacedNetworkPolicy({
        name,
        namespace: this.ref.namespace,
        ...(this.dryRun ? { dryRun: "All" } : {}),
      });
      return this.wrote(`delete network policy ${name}`);
    },
  };

  labelPods(quarantined: boolean): Step {
    return {
      name: quarantined ? "label-pods" : "unlabel-pods",
      run: async () => {
        const selector = Object.entries(this.matchLabels)
          .map(([k, v]) => `${k}=${v}`)
          .join(",");
        const pods = await this.core.listNamespacedPod({ namespace: this.ref.namespace, labelSelector: selector });
        const pending = pods.items.filter(
          (pod) => (pod.metadata?.labels?.[QUARANTINE_LABEL] === "true") !== quarantined,
        );
        for (const pod of pending) {
          const body = podLabelPatch(quarantined ? "true" : null);
          await this.core.patchNamespacedPod(
            { name: pod.metadata!.name!, namespace: this.ref.namespace, body, ...this.write },
            MP,
          );
        }
        if (pending.length === 0)
          return {
            status: "unchanged",
            detail: `all ${pods.items.length} pods already ${quarantined ? "" : "un"}labelled`,
          };
        return this.wrote(
          `${quarantined ? "label" : "unlabel"} ${pending.length} of ${pods.items.length} pods ${QUARANTINE_LABEL}=true`,
        );
      },
    };
  }

  readonly pinToQuarantineNodes: Step = {
    name: "pin-to-quarantine-nodes",
    run: async () => {
      if (this.isPinned())
        return { status: "unchanged", detail: "pod template already pinned to quarantine=true nodes" };
      await this.patchDeployment(pinToQuarantineNodesPatch(), SMP);
      return this.wrote("patch the pod template: nodeSelector quarantine=true, label quarantine=true");
    },
  };

  readonly unpin: Step = {
    name: "unpin-from-quarantine-nodes",
    run: async () => {
      const template = this.deployment.spec?.template;
      const touched =
        template?.spec?.nodeSelector?.[QUARANTINE_LABEL] !== undefined ||
        template?.metadata?.labels?.[QUARANTINE_LABEL] !== undefined;
      if (!touched) return { status: "unchanged", detail: "pod template not pinned to quarantine nodes" };
      await this.patchDeployment(unpinPatch(), SMP);
      return this.wrote("remove the quarantine nodeSelector and label from the pod template");
    },
  };

  readonly rememberReplicas: Step = {
    name: "remember-replicas",
    run: async () => {
      const remembered = this.deployment.metadata?.annotations?.[REPLICAS_BEFORE_ANNOTATION];
      if (remembered !== undefined)
        return { status: "unchanged", detail: `replicas before suspension already recorded (${remembered})` };
      const replicas = this.deployment.spec?.replicas ?? 1;
      await this.patchDeployment(replicasBeforePatch(replicas), MP);
      return this.wrote(`annotate ${REPLICAS_BEFORE_ANNOTATION}=${replicas}`);
    },
  };

  readonly scaleToZero: Step = {
    name: "scale-to-zero",
    run: async () => this.scaleTo(0),
  };

  readonly restoreReplicas: Step = {
    name: "restore-replicas",
    run: async () => {
      const remembered = this.deployment.metadata?.annotations?.[REPLICAS_BEFORE_ANNOTATION];
      if (remembered === undefined)
        return { status: "unchanged", detail: "not suspended: no replica count to restore" };
      return this.scaleTo(Number(remembered));
    },
  };

  readonly forgetReplicas: Step = {
    name: "forget-replicas",
    run: async () => {
      if (this.deployment.metadata?.annotations?.[REPLICAS_BEFORE_ANNOTATION] === undefined)
        return { status: "unchanged", detail: "no replica annotation" };
      await this.patchDeployment(replicasBeforePatch(null), MP);
      return this.wrote(`remove annotation ${REPLICAS_BEFORE_ANNOTATION}`);
    },
  };

  private isPinned(): boolean {
    const template = this.deployment.spec?.template;
    return (
      template?.spec?.nodeSelector?.[QUARANTINE_LABEL] === "true" &&
      template.metadata?.labels?.[QUARANTINE_LABEL] === "true"
    );
  }

  private async scaleTo(replicas: number): Promise<{ status: StepStatus; detail: string }> {
    if ((this.deployment.spec?.replicas ?? 1) === replicas)
      return { status: "unchanged", detail: `already at ${replicas} replicas` };
    const ref = { name: this.ref.name, namespace: this.ref.namespace };
    await this.apps.patchNamespacedDeploymentScale({ ...ref, body: scalePatch(replicas), ...this.write }, MP);
    return this.wrote(`scale to ${replicas} replicas`);
  }

  private async patchDeployment(body: object, contentType: typeof SMP): Promise<void> {
    await this.apps.patchNamespacedDeployment(
      { name: this.ref.name, namespace: this.ref.namespace, body, ...this.write },
      contentType,
    );
  }

  private async readNetworkPolicy(): Promise<k8s.V1NetworkPolicy | null> {
    try {
      return await this.net.readNamespacedNetworkPolicy({
        name: networkPolicyName(this.ref),
        namespace: this.ref.namespace,
      });
    } catch (e) {
      if (statusCode(e) === 404) return null;
      throw e;
    }
  }
}

function statusCode(error: unknown): number | null {
  return error instanceof k8s.ApiException ? error.code : null;
}

/** `404 NotFound: deployments.apps "x" not found`, from an ApiException's Status body. */
export function describeKubernetesError(error: unknown): string {
  if (!(error instanceof k8s.ApiException)) return (error as Error).message ?? String(error);
  try {
    const status = JSON.parse(error.body as string) as { reason?: string; message?: string };
    return `${error.code} ${status.reason ?? ""}: ${status.message ?? ""}`.trim();
  } catch {
    return `${error.code}: ${String(error.body)}`;
  }
}
