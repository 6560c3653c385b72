// The cluster config (the seed's config.yaml) after loading: validated, defaults
// applied. Field names follow the seed; schemas/cluster.schema.json is the source of
// the defaults and docs/cluster-config.md the reference.
import type { Diagnostic } from "../diagnostics.js";
import type { SourceDoc } from "../source.js";
import type { HostRecord } from "../types.js";

export interface HostSpec {
  name: string;
  /** the address kubexm connects to over SSH */
  address: string;
  /** one address or "v4,v6"; default: address */
  internalAddress?: string;
  port?: number;
  user?: string;
  password?: string;
  privateKeyPath?: string;
  privateKeyPassphrase?: string;
  /** sudo password when it differs from `password` */
  becomePassword?: string;
  arch?: "amd64" | "arm64";
  labels?: Record<string, string>;
}

export type ContainerRuntimeType = "containerd" | "docker" | "cri-o" | "isula";

export interface RuntimeOptions {
  version?: string;
  /** one mirror or a list (the seed writes a single string) */
  registryMirrors?: string | string[];
  insecureRegistries?: string | string[];
  dataDir?: string;
  [k: string]: unknown;
}

export interface ContainerRuntimeSpec {
  type: ContainerRuntimeType;
  /** filled by the loader: containerRuntime.version, else <type>.version, else the default */
  version: string;
  containerd?: RuntimeOptions;
  docker?: RuntimeOptions;
  "cri-o"?: RuntimeOptions;
  isula?: RuntimeOptions;
}

export interface KubernetesSpec {
  /** kubexm: binaries + systemd; kubeadm: kubeadm */
  type: "kubexm" | "kubeadm";
  /** semver with a leading v */
  version: string;
  clusterName: string;
  kubeletArgs: string[];
  apiserverCertExtraSans: string[];
  containerRuntime: ContainerRuntimeSpec;
  autoRenewCerts: boolean;
  masqueradeAll: boolean;
  maxPods: number;
  podPidsLimit: number;
  nodeCidrMaskSize: number;
  proxyMode: "ipvs" | "iptables";
  featureGates: Record<string, boolean>;
  kata?: { enabled: boolean };
  nodeFeatureDiscovery?: { enabled: boolean };
  kubeProxyConfiguration?: { ipvs?: { excludeCIDRs?: string[] }; [k: string]: unknown };
}

export interface EtcdSpec {
  /** kubexm: binaries + systemd; kubeadm: stacked on the masters; external: an existing etcd */
  type: "kubexm" | "kubeadm" | "external";
  version: string;
  external?: { endpoints: string[]; caFile?: string; certFile?: string; keyFile?: string };
  dataDir: string;
  /** milliseconds */
  heartbeatInterval: number;
  /** milliseconds */
  electionTimeout: number;
  snapshotCount: number;
  /** hours; 0 disables */
  autoCompactionRetention: number;
  metrics: "basic" | "extensive";
  quotaBackendBytes: number;
  maxRequestBytes: number;
  /** 0 = unlimited */
  maxSnapshots: number;
  /** 0 = unlimited */
  maxWals: number;
  logLevel: "debug" | "info" | "warn" | "error" | "panic" | "fatal";
  clientPort: number;
  peerPort: number;
}

export interface ControlPlaneEndpointSpec {
  /** kubexm: keepalived + haproxy/nginx on the loadbalancer hosts; external: the user's own LB; "": none */
  externalLoadBalancer: "kubexm" | "external" | "";
  /** haproxy | nginx: a proxy pod on every worker; kube-vip: a VIP; "": none */
  internalLoadbalancer: "haproxy" | "nginx" | "kube-vip" | "";
  externalDNS: boolean;
  domain: string;
  /** the VIP (external LB or kube-vip) */
  lb_address: string;
  port: number;
}

export interface SystemSpec {
  /** chrony servers; a name from spec.hosts makes that host an NTP server */
  ntpServers: string[];
  timezone?: string;
  rpms: string[];
  debs: string[];
}

export type CalicoMode = "Always" | "CrossSubnet" | "Never";

export interface NetworkSpec {
  plugin: "calico" | "flannel" | "cilium" | "none";
  /** one CIDR or "v4,v6" */
  kubePodsCIDR: string;
  /** one CIDR or "v4,v6" */
  kubeServiceCIDR: string;
  calico: { ipipMode: CalicoMode; vxlanMode: CalicoMode; vethMTU: number };
  flannel?: { backendMode: "vxlan" | "host-gw" | "wireguard" };
  cilium?: { kubeProxyReplacement?: boolean; [k: string]: unknown };
  ippool?: { blockSize: number };
  multusCNI?: { enabled: boolean };
}

export interface RegistryAuth {
  username?: string;
  password?: string;
  /** an identity/bearer token instead of username + password */
  token?: string;
  skipTLSVerify?: boolean;
  plainHTTP?: boolean;
  certsPath?: string;
}

export interface RegistrySpec {
  /** what runs on the registry host: a plain registry or Harbor */
  type: "registry" | "harbor";
  privateRegistry: string;
  namespaceOverride: string;
  /** registry host name -> credentials (secrets: redacted everywhere) */
  auths: Record<string, RegistryAuth>;
  containerdDataDir: string;
  dockerDataDir: string;
  registryDataDir: string;
}

export interface DnsZone {
  zones: string[];
  nameservers: string[];
  cache?: number;
  rewrite?: string[];
}

export interface DnsSpec {
  /** hosts-file content CoreDNS serves */
  dnsEtcHosts?: string;
  coredns?: { additionalConfigs?: string; externalZones?: DnsZone[]; rewriteBlock?: string; upstreamDNSServers?: string[] };
  nodelocaldns?: { externalZones?: DnsZone[] };
}

export interface ArtifactsSpec {
  /** base URL of a local artifact mirror: <mirror>/<component>/<version>/<file> (air-gapped sites) */
  mirror?: string;
}

export interface ClusterSpec {
  hosts: HostSpec[];
  /** role -> host names as written (ranges unexpanded: see LoadedCluster.roles) */
  roleGroups: Record<string, string[]>;
  controlPlaneEndpoint: ControlPlaneEndpointSpec;
  system: SystemSpec;
  kubernetes: KubernetesSpec;
  etcd: EtcdSpec;
  network: NetworkSpec;
  storage: { openebs?: { basePath: string }; [k: string]: unknown };
  registry: RegistrySpec;
  artifacts: ArtifactsSpec;
  /** addon names (Helm charts or YAML) */
  addons: string[];
  dns?: DnsSpec;
}

export interface LoadedCluster {
  /** metadata.name */
  name: string;
  file: string;
  /** validated, defaults applied; secrets intact: never print it raw (see engine/redact.ts) */
  spec: ClusterSpec;
  /** the machines, in file order, with roles filled in */
  hosts: HostRecord[];
  /** role group -> host names (ranges expanded); every known role present ([] when empty) */
  roles: Record<string, string[]>;
  source: SourceDoc;
  /** every secret value (host passwords and passphrases, registry passwords and tokens), for redaction */
  secrets: string[];
  /** problems that do not stop a run (an even etcd count, ...): print them */
  warnings: Diagnostic[];
}

export interface LoadOptions {
  /** the config's text, when it does not come from the file (stdin, tests); `file` still names it */
  text?: string;
}

export const KNOWN_ROLES = ["etcd", "master", "worker", "registry", "loadbalancer"] as const;
export type Role = (typeof KNOWN_ROLES)[number];
