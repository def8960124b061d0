// The Kubernetes adapter's public surface.

export { KubernetesActuator, describeKubernetesError, type KubernetesActuatorOptions } from "./actuator.js";
export { loadCluster, KubeconfigError, type ClusterSelection, type ClusterConnection } from "./kubeconfig.js";
export { deploymentNameFor, DEFAULT_DEPLOYMENT_RULE, InvalidDeploymentNameError } from "./naming.js";
export { planKubernetes, KubernetesPlanner } from "./plan.js";
export {
  FIELD_MANAGER,
  QUARANTINE_LABEL,
  REPLICAS_BEFORE_ANNOTATION,
  networkPolicyName,
  type DeploymentRef,
} from "./requests.js";
