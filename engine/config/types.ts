// The cluster config (the seed's config.yaml) after loading: validated, defaults applied.
import type { SourceDoc } from "../source.js";
import type { HostRecord } from "../types.js";

export interface HostSpec {
  name: string;
  address: string;
  internalAddress?: string;
  port?: number;
  user?: string;
  password?: string;
  privateKeyPath?: string;
  privateKeyPassphrase?: string;
  arch?: "amd64" | "arm64";
  labels?: Record<string, string>;
}

export interface EtcdSpec {
  type: "kubexm" | "kubeadm" | "external";
  version: string;
  external?: { endpoints: string[]; caFile?: string; certFile?: string; keyFile?: string };
  dataDir: string;
  heartbeatInterval: number;
  electionTimeout: number;
  snapshotCount: number;
  autoCompactionRetention: number;
  metrics: "basic" | "extensive";
  quotaBackendBytes: number;
  maxRequestBytes: number;
  maxSnapshots: number;
  maxWals: number;
  logLevel: "debug" | "info" | "warn" | "error" | "panic" | "fatal";
  clientPort: number;
  peerPort: number;
}

export interface ClusterSpec {
  hosts: HostSpec[];
  roleGroups: Record<string, string[]>;
  controlPlaneEndpoint: {
    externalLoadBalancer: "kubexm" | "external" | "";
    internalLoadbalancer: "haproxy" | "nginx" | "kube-vip" | "";
    externalDNS: boolean;
    domain: string;
    lb_address: string;
    port: number;
  };
  system: { ntpServers: string[]; timezone?: string; rpms: string[]; debs: string[] };
  kubernetes: {
    type: "kubexm" | "kubeadm";
    version: string;
    clusterName: string;
    apiserverCertExtraSans: string[];
    containerRuntime: { type: "containerd" | "docker" | "cri-o" | "isula"; version?: string; [k: string]: unknown };
    autoRenewCerts: boolean;
    masqueradeAll: boolean;
    maxPods: number;
    podPidsLimit: number;
    nodeCidrMaskSize: number;
    proxyMode: "ipvs" | "iptables";
    featureGates: Record<string, boolean>;
    [k: string]: unknown;
  };
  etcd: EtcdSpec;
  network: {
    plugin: "calico" | "flannel" | "cilium" | "none";
    kubePodsCIDR: string;
    kubeServiceCIDR: string;
    calico?: { ipipMode: string; vxlanMode: string; vethMTU: number };
    [k: string]: unknown;
  };
  storage?: Record<string, unknown>;
  registry?: {
    privateRegistry?: string;
    namespaceOverride?: string;
    auths?: Record<string, { username?: string; password?: string; skipTLSVerify?: boolean; plainHTTP?: boolean; certsPath?: string }>;
    [k: string]: unknown;
  };
  /** where `download` steps fetch release artifacts from (an air-gapped site's mirror) */
  artifacts: { mirror?: string };
  addons: string[];
  dns?: Record<string, unknown>;
}

export interface LoadedCluster {
  /** metadata.name */
  name: string;
  file: string;
  /** validated, defaults applied; secrets intact: never print it raw (see engine/redact.ts) */
  spec: ClusterSpec;
  /** the machines, in file order, with roles filled in */
  hosts: HostRecord[];
  /** role group -> host names (ranges expanded); every known role present */
  roles: Record<string, string[]>;
  source: SourceDoc;
  /** every secret value, for redaction */
  secrets: string[];
  warnings: import("../diagnostics.js").Diagnostic[];
}

export const KNOWN_ROLES = ["etcd", "master", "worker", "registry", "loadbalancer"] as const;
