// The config rules a JSON Schema cannot express (docs/cluster-config.md), each
// reported at the offending value with a fix hint. Runs after the schema applied
// its defaults; every check is linear in the number of hosts (5,000-host configs).
import { isIP } from "node:net";
import type { DiagnosticBag } from "../diagnostics.js";
import { locate, locateInScalar, type SourceDoc } from "../source.js";
import type { HostRecord } from "../types.js";
import { cidrContains, cidrsOverlap, parseCidr, type Cidr } from "./net.js";
import type { ClusterSpec } from "./types.js";

type Path = (string | number)[];

export function checkRules(src: SourceDoc, spec: ClusterSpec, hosts: HostRecord[], roles: Record<string, string[]>, bag: DiagnosticBag): void {
  const at = (...path: Path) => locate(src, ["spec", ...path]);
  hostAddresses(src, spec, hosts, bag);
  auth(spec, hosts, bag, at);
  roleUse(src, spec, hosts, bag);
  etcdRules(spec, roles, bag, at);
  loadBalancerRules(spec, roles, bag, at);
  networkRules(spec, hosts, roles, bag, at);
  systemRules(spec, bag, at);
}

// ------------------------------------------------------------------ hosts

const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?)*$/;

function hostAddresses(src: SourceDoc, spec: ClusterSpec, hosts: HostRecord[], bag: DiagnosticBag): void {
  // SSH endpoints are unique as address:port (hosts behind one NAT address differ by
  // port); internal addresses are unique, full stop: a real cluster breaks otherwise
  const endpoints = new Map<string, string>();
  const internal = new Map<string, string>();
  hosts.forEach((h, i) => {
    const written = spec.hosts[i];
    if (!isIP(h.address) && !HOSTNAME.test(h.address)) {
      bag.error("bad-address", `host ${h.name}: address "${h.address}" is neither an IP address nor a DNS name`, locate(src, ["spec", "hosts", i, "address"]), {
        hint: "write the IP or DNS name kubexm connects to over SSH",
      });
    }
    const endpoint = `${h.address}:${h.port}`;
    const sameEndpoint = endpoints.get(endpoint);
    if (sameEndpoint) {
      bag.error("duplicate-address", `host ${h.name} has the same SSH address and port (${endpoint}) as host ${sameEndpoint}`, locate(src, ["spec", "hosts", i, "address"]), {
        hint: "every host needs its own address, or its own port behind a shared NAT address",
      });
    } else endpoints.set(endpoint, h.name);

    const field = written.internalAddress !== undefined ? "internalAddress" : "address";
    const raw = written.internalAddress ?? written.address;
    const offsets = partOffsets(raw);
    const where = (a: string) => locateInScalar(src, ["spec", "hosts", i, field], offsets.get(a) ?? 0);
    if (written.internalAddress !== undefined) {
      const v4 = h.internalAddress.filter((a) => isIP(a) === 4);
      const v6 = h.internalAddress.filter((a) => isIP(a) === 6);
      for (const a of h.internalAddress) {
        if (!isIP(a)) bag.error("bad-address", `host ${h.name}: internalAddress "${a}" is not an IP address`, where(a), { hint: 'write one IP, or "v4,v6" such as "172.16.0.2,2022::2"' });
      }
      if (v4.length > 1 || v6.length > 1 || h.internalAddress.length > 2) {
        bag.error("bad-address", `host ${h.name}: internalAddress "${raw}" has more than one ${v4.length > 1 ? "IPv4" : "IPv6"} address`, locate(src, ["spec", "hosts", i, "internalAddress"]), {
          hint: 'write one IP, or one IPv4 and one IPv6 address: "v4,v6"',
        });
      }
    }
    for (const a of new Set(h.internalAddress)) {
      const other = internal.get(a);
      if (other) {
        bag.error("duplicate-address", `host ${h.name} reuses ${field === "internalAddress" ? "internal " : ""}address ${a} of host ${other}`, where(a), {
          hint: "every host needs its own internal addresses (a real cluster breaks otherwise)",
        });
      } else internal.set(a, h.name);
    }
  });
}

/** Each comma-separated part of "v4,v6" -> its offset in the value (for the caret). */
function partOffsets(raw: string): Map<string, number> {
  const out = new Map<string, number>();
  let off = 0;
  for (const part of raw.split(",")) {
    const lead = part.length - part.trimStart().length;
    if (!out.has(part.trim())) out.set(part.trim(), off + lead);
    off += part.length + 1;
  }
  return out;
}

function auth(spec: ClusterSpec, hosts: HostRecord[], bag: DiagnosticBag, at: (...p: Path) => ReturnType<typeof locate>): void {
  hosts.forEach((h, i) => {
    if (spec.hosts[i].password === "") {
      bag.error("empty-password", `host ${h.name} has an empty password`, at("hosts", i, "password"), { hint: "remove it to log in with privateKeyPath or the SSH agent" });
    }
    if (spec.hosts[i].privateKeyPath === "") {
      bag.error("empty-key-path", `host ${h.name} has an empty privateKeyPath`, at("hosts", i, "privateKeyPath"), { hint: "remove it to log in with the password or the SSH agent" });
    }
    if (h.privateKeyPassphrase && !spec.hosts[i].privateKeyPath) {
      bag.error("passphrase-without-key", `host ${h.name} has privateKeyPassphrase but no privateKeyPath`, at("hosts", i, "privateKeyPassphrase"), { hint: "add the key's privateKeyPath, or remove the passphrase" });
    }
  });
}

function roleUse(src: SourceDoc, spec: ClusterSpec, hosts: HostRecord[], bag: DiagnosticBag): void {
  // a host named in ntpServers has a job (it serves time) even without a role
  const ntp = new Set(spec.system.ntpServers);
  hosts.forEach((h, i) => {
    if (!h.roles.length && !ntp.has(h.name)) {
      bag.warn("host-without-role", `host ${h.name} is in no role group: kubexm will not touch it`, locate(src, ["spec", "hosts", i, "name"]), {
        hint: "add it to roleGroups (etcd, master, worker, registry, loadbalancer) or remove it",
      });
    }
  });
}

// ------------------------------------------------------------------ etcd

function etcdRules(spec: ClusterSpec, roles: Record<string, string[]>, bag: DiagnosticBag, at: (...p: Path) => ReturnType<typeof locate>): void {
  const etcd = spec.etcd;
  const n = roles.etcd.length;
  if (etcd.type === "external" && !etcd.external?.endpoints?.length) {
    bag.error("etcd-external", "etcd.type is external but etcd.external.endpoints is empty", at("etcd", "type"), {
      hint: "list the existing etcd's client URLs under etcd.external.endpoints",
    });
  }
  if (etcd.type !== "external" && etcd.external) {
    bag.warn("etcd-external-unused", `etcd.external is ignored: etcd.type is ${etcd.type}`, at("etcd", "external"), { hint: "set etcd.type: external, or remove etcd.external" });
  }
  if (etcd.type === "external" && n > 0) {
    bag.warn("etcd-hosts-unused", "etcd.type is external: the hosts of roleGroups.etcd get no etcd", at("roleGroups", "etcd"), { hint: "remove roleGroups.etcd, or use etcd.type: kubexm" });
  }
  if (etcd.type === "kubexm") {
    if (n === 0) {
      bag.error("etcd-hosts", "etcd.type is kubexm but roleGroups.etcd names no host", at("etcd", "type"), { hint: "add an odd number of hosts (1, 3, 5) to roleGroups.etcd" });
    } else if (n % 2 === 0) {
      bag.warn("etcd-even", `roleGroups.etcd has ${n} hosts: an even count tolerates no more failures than ${n - 1}`, at("roleGroups", "etcd"), { hint: "use an odd number of etcd hosts" });
    }
  }
  if (etcd.type === "kubeadm" && n > 0) {
    const masters = new Set(roles.master);
    const stray = roles.etcd.filter((h) => !masters.has(h));
    if (stray.length) {
      bag.warn("etcd-stacked", `etcd.type is kubeadm (stacked on the masters): ${stray.join(", ")} in roleGroups.etcd ${stray.length === 1 ? "is" : "are"} not a master`, at("roleGroups", "etcd"), {
        hint: "with kubeadm, etcd runs on every master: leave roleGroups.etcd empty or list the masters",
      });
    }
  }
  if (etcd.electionTimeout < 5 * etcd.heartbeatInterval) {
    bag.warn("etcd-timing", `etcd.electionTimeout (${etcd.electionTimeout}) should be at least 5x heartbeatInterval (${etcd.heartbeatInterval})`, at("etcd", "electionTimeout"), {
      hint: "etcd recommends an election timeout of 5-10 heartbeats",
    });
  }
  if (etcd.clientPort === etcd.peerPort) {
    bag.error("etcd-ports", `etcd.clientPort and etcd.peerPort are both ${etcd.clientPort}`, at("etcd", "peerPort"), { hint: "the defaults are 2379 (client) and 2380 (peer)" });
  }
}

// ------------------------------------------------------------------ load balancers

function loadBalancerRules(spec: ClusterSpec, roles: Record<string, string[]>, bag: DiagnosticBag, at: (...p: Path) => ReturnType<typeof locate>): void {
  const cpe = spec.controlPlaneEndpoint;
  const lbHosts = roles.loadbalancer.length;
  if (cpe.externalLoadBalancer === "kubexm" && lbHosts === 0) {
    bag.error("lb-hosts", "externalLoadBalancer is kubexm but roleGroups.loadbalancer names no host", at("controlPlaneEndpoint", "externalLoadBalancer"), {
      hint: "add the keepalived + haproxy/nginx hosts to roleGroups.loadbalancer",
    });
  }
  if (cpe.externalLoadBalancer === "external" && lbHosts > 0) {
    bag.error("lb-hosts", "externalLoadBalancer is external but roleGroups.loadbalancer names hosts", at("roleGroups", "loadbalancer"), {
      hint: "an external load balancer is yours: remove roleGroups.loadbalancer, or use externalLoadBalancer: kubexm",
    });
  }
  if (cpe.externalLoadBalancer === "" && lbHosts > 0) {
    bag.warn("lb-hosts-unused", "roleGroups.loadbalancer names hosts but externalLoadBalancer is \"\": they get no load balancer", at("roleGroups", "loadbalancer"), {
      hint: "set externalLoadBalancer: kubexm to run keepalived + haproxy/nginx on them",
    });
  }
  if (roles.master.length > 1 && !cpe.externalLoadBalancer && !cpe.internalLoadbalancer) {
    bag.error("lb-missing", `${roles.master.length} masters need a load balancer: set externalLoadBalancer or internalLoadbalancer`, at("controlPlaneEndpoint"), {
      hint: "e.g. internalLoadbalancer: haproxy",
    });
  }
  const vipNeeded = cpe.internalLoadbalancer === "kube-vip" ? "internalLoadbalancer" : cpe.externalLoadBalancer === "external" ? "externalLoadBalancer" : undefined;
  if (vipNeeded && !cpe.lb_address && !cpe.externalDNS) {
    bag.error("lb-address", `${vipNeeded}: ${cpe[vipNeeded]} needs controlPlaneEndpoint.lb_address (the VIP)`, at("controlPlaneEndpoint", vipNeeded), {
      hint: "set lb_address to the virtual IP clients use to reach the apiservers",
    });
  }
  if (cpe.lb_address && !isIP(cpe.lb_address)) {
    bag.error("lb-address", `lb_address "${cpe.lb_address}" is not an IP address`, at("controlPlaneEndpoint", "lb_address"), { hint: "write the VIP, e.g. 172.16.0.100 (the DNS name goes in domain)" });
  }
  if (cpe.externalDNS && cpe.lb_address) {
    bag.error("lb-dns", "externalDNS is true: lb_address must be empty", at("controlPlaneEndpoint", "lb_address"), { hint: 'external DNS resolves the domain: set lb_address: ""' });
  }
}

// ------------------------------------------------------------------ network

function networkRules(spec: ClusterSpec, hosts: HostRecord[], roles: Record<string, string[]>, bag: DiagnosticBag, at: (...p: Path) => ReturnType<typeof locate>): void {
  const net = spec.network;
  const pods = cidrList(net.kubePodsCIDR, "kubePodsCIDR", bag, at);
  const svcs = cidrList(net.kubeServiceCIDR, "kubeServiceCIDR", bag, at);
  for (const p of pods) {
    for (const s of svcs) {
      if (cidrsOverlap(p, s)) bag.error("cidr-overlap", `kubePodsCIDR ${p.text} overlaps kubeServiceCIDR ${s.text}`, at("network", "kubeServiceCIDR"), { hint: "pick disjoint ranges, e.g. pods 10.233.64.0/18 and services 10.233.0.0/18" });
    }
  }
  for (const [name, list] of [["kubePodsCIDR", pods], ["kubeServiceCIDR", svcs]] as const) {
    for (const c of list) {
      for (const h of hosts) {
        for (const a of new Set([h.address, ...h.internalAddress])) {
          if (cidrContains(c, a)) {
            bag.error("cidr-host", `${name} ${c.text} contains host ${h.name}'s address ${a}`, at("network", name), { hint: "the pod and service ranges must not include node addresses" });
          }
        }
      }
    }
  }
  if (pods.length && svcs.length && pods.length !== svcs.length) {
    bag.error("cidr-stack", `kubePodsCIDR has ${pods.length} and kubeServiceCIDR ${svcs.length} ranges: dual stack needs "v4,v6" in both`, at("network", "kubeServiceCIDR"), {
      hint: "write both as one range, or both as \"v4,v6\"",
    });
  }
  const podV4 = pods.find((c) => c.version === 4);
  const mask = spec.kubernetes.nodeCidrMaskSize;
  if (podV4 && mask <= 32) {
    if (podV4.bits > mask) {
      bag.error("node-cidr", `kubePodsCIDR ${podV4.text} is smaller than one node's range (nodeCidrMaskSize ${mask})`, at("network", "kubePodsCIDR"), {
        hint: `use a pod range of /${mask} or larger, or raise kubernetes.nodeCidrMaskSize`,
      });
    } else {
      const capacity = 2 ** (mask - podV4.bits);
      const nodes = new Set([...roles.master, ...roles.worker]).size;
      if (nodes > capacity) {
        // a warning: the nodes past the room join, but get no pod range (NotReady)
        bag.warn("node-cidr", `kubePodsCIDR ${podV4.text} with nodeCidrMaskSize ${mask} has room for ${capacity} nodes, but ${nodes} are masters or workers`, at("network", "kubePodsCIDR"), {
          hint: "use a larger pod range or a larger nodeCidrMaskSize",
        });
      }
    }
  }
  const calico = net.calico;
  if (net.plugin === "calico" && calico && calico.ipipMode !== "Never" && calico.vxlanMode !== "Never") {
    bag.error("calico-mode", `calico ipipMode (${calico.ipipMode}) and vxlanMode (${calico.vxlanMode}) are both enabled`, at("network", "calico", "vxlanMode"), {
      hint: 'set one of them to "Never"',
    });
  }
  (spec.kubernetes.kubeProxyConfiguration?.ipvs?.excludeCIDRs ?? []).forEach((c, i) => {
    if (!parseCidr(String(c))) {
      bag.error("cidr", `excludeCIDRs: "${c}" is not a valid CIDR`, at("kubernetes", "kubeProxyConfiguration", "ipvs", "excludeCIDRs", i), { hint: "write a CIDR such as 172.16.0.0/24" });
    }
  });
}

function cidrList(value: string, name: string, bag: DiagnosticBag, at: (...p: Path) => ReturnType<typeof locate>): Cidr[] {
  const out: Cidr[] = [];
  const parts = value.split(",").map((s) => s.trim());
  for (const p of parts) {
    const c = parseCidr(p);
    if (!c) bag.error("cidr", `${name}: "${p}" is not a valid CIDR`, at("network", name), { hint: 'write one CIDR, or "v4,v6" such as 10.233.64.0/18,fd85:ee78:d8a6:8607::1:0/112' });
    else out.push(c);
  }
  const dual = { hint: 'dual stack is "v4,v6", e.g. 10.233.0.0/18,fd85:ee78:d8a6:8607::1000/116' };
  if (parts.length > 2) bag.error("cidr", `${name}: at most two CIDRs ("v4,v6")`, at("network", name), dual);
  else if (out.length === 2 && out[0].version === out[1].version) bag.error("cidr", `${name}: a dual-stack value needs one IPv4 and one IPv6 CIDR`, at("network", name), dual);
  return out;
}

// ------------------------------------------------------------------ system

function systemRules(spec: ClusterSpec, bag: DiagnosticBag, at: (...p: Path) => ReturnType<typeof locate>): void {
  const tz = spec.system.timezone;
  if (tz !== undefined && !validTimeZone(tz)) {
    bag.error("timezone", `system.timezone "${tz}" is not a known time zone`, at("system", "timezone"), { hint: "write an IANA name such as Asia/Shanghai or UTC" });
  }
}

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
