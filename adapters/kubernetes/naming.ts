// Agent id → Deployment name. The default rule follows the seed: `advisor_7f2a9c1b` runs as
// `advisor-7f2a9c1b`. A rule is a template with `{agent}`; the result is lowercased, `_` becomes
// `-`, and it must then be a DNS-1123 label (the NetworkPolicy name adds `quarantine-` to it).

export const DEFAULT_DEPLOYMENT_RULE = "{agent}";
const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** Leaves room for the `quarantine-` prefix of the NetworkPolicy name. */
const MAX_LENGTH = 63 - "quarantine-".length;

export class InvalidDeploymentNameError extends Error {}

/** Throws unless `rule` is a naming rule: a template with `{agent}`. */
export function checkDeploymentRule(rule: string): void {
  if (!rule.includes("{agent}"))
    throw new InvalidDeploymentNameError(`deployment naming rule \`${rule}\` must contain \`{agent}\``);
}

export function deploymentNameFor(agent: string, rule: string = DEFAULT_DEPLOYMENT_RULE): string {
  checkDeploymentRule(rule);
  const name = rule.replaceAll("{agent}", agent).toLowerCase().replaceAll("_", "-");
  const problem = dnsLabelProblem(name);
  if (problem !== null) {
    throw new InvalidDeploymentNameError(
      `agent \`${agent}\` cannot be mapped to a Kubernetes deployment name with rule \`${rule}\`: \`${name}\` ${problem}`,
    );
  }
  return name;
}

function dnsLabelProblem(name: string): string | null {
  if (name.length === 0) return "is empty";
  if (name.length > MAX_LENGTH) return `is ${name.length} characters long; at most ${MAX_LENGTH} are allowed`;
  if (!DNS_1123_LABEL.test(name))
    return "is not a DNS-1123 label (lowercase letters, digits and `-`, starting and ending with a letter or digit)";
  return null;
}
