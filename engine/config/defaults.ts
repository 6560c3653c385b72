// Defaults a JSON Schema `default` cannot express: values that depend on other
// values. Plain defaults (port 22, etcd.dataDir, ...) live in the schema, applied
// by ajv's useDefaults, so the schema, the docs and editors show the same ones.
import type { ClusterSpec, ContainerRuntimeType } from "./types.js";

export const DEFAULT_KUBERNETES_VERSION = "v1.32.4";
export const DEFAULT_ETCD_VERSION = "v3.5.21";

/** A runtime's version when neither containerRuntime.version nor containerRuntime.<type>.version is set. */
export const DEFAULT_RUNTIME_VERSIONS: Record<ContainerRuntimeType, string> = {
  containerd: "1.7.27",
  docker: "27.5.1",
  "cri-o": "1.32.4",
  isula: "2.1.5",
};

export function applyDerivedDefaults(spec: ClusterSpec): void {
  const rt = spec.kubernetes.containerRuntime;
  // the seed writes the version both at containerRuntime.version and under
  // containerRuntime.containerd.version: either one, the flat one wins
  const nested = rt[rt.type] as { version?: string } | undefined;
  rt.version ??= nested?.version ?? DEFAULT_RUNTIME_VERSIONS[rt.type];
  // a domain is needed for the apiserver certificate and /etc/hosts
  spec.controlPlaneEndpoint.domain ||= "lb.kubexm.local";
}
