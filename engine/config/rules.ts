// The config rules a JSON Schema cannot express (cluster-config.md), each at the
// offending value with a fix hint.
import type { DiagnosticBag } from "../diagnostics.js";
import { locate, type SourceDoc } from "../source.js";
import type { HostRecord } from "../types.js";
import { cidrContains, cidrsOverlap, parseCidr, type Cidr } from "./net.js";
import type { ClusterSpec } from "./types.js";

export function checkRules(src: SourceDoc, spec: ClusterSpec, hosts: HostRecord[], roles: Record<string, string[]>, bag: DiagnosticBag): void {
  const at = (...path: (string | number)[]) => locate(src, ["spec", ...path]);
  uniqueAddresses(spec, hosts, bag, at);
  authPresent(spec, hosts, bag, at);

  // etcd
  const etcd = spec.etcd;
  if (etcd.type === "external" && !etcd.external?.endpoints?.length) {
    bag.error("etcd-external", "etcd.type is external but etcd.external.endpoints is empty", at("etcd", "type"), {
      hint: "list the existing etcd's endpoints under etcd.external.endpoints",
    });
  }
  if (etcd.type === "kubexm") {
    const n = roles.etcd.length;
    if (n === 0) bag.error("etcd-hosts", 'etcd.type is kubexm but roleGroups.etcd names no host', at("etcd", "type"), { hint: "add an odd number of hosts to roleGroups.etcd" });
    else if (n % 2 === 0) bag.warn("etcd-even", `roleGroups.etcd has ${n} hosts: an even count tolerates no more failures than ${n - 1}`, at("roleGroups", "etcd"), { hint: "use an odd number of etcd hosts" });
  }
  if (etcd.electionTimeout < 5 * etcd.heartbeatInterval) {
    bag.warn("etcd-timing", `etcd.electionTimeout (${etcd.electionTimeout}) should be at least 5x heartbeatInterval (${etcd.heartbeatInterval})`, at("etcd", "electionTimeout"));
  }

  // load balancers
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
  if (roles.master.length > 1 && !cpe.externalLoadBalancer && !cpe.internalLoadbalancer) {
    bag.error("lb-missing", `${roles.master.length} masters need a load balancer: set externalLoadBalancer or internalLoadbalancer`, at("controlPlaneEndpoint"), {
      hint: "e.g. internalLoadbalancer: haproxy",
    });
  }
  if ((cpe.internalLoadbalancer === "kube-vip" || cpe.externalLoadBalancer === "external") && !cpe.lb_address) {
    const which = cpe.internalLoadbalancer === "kube-vip" ? "internalLoadbalancer" : "externalLoadBalancer";
    bag.error("lb-address", `${which}: ${cpe[which]} needs controlPlaneEndpoint.lb_address (the VIP)`, at("controlPlaneEndpoint", which));
  }
  if (cpe.externalDNS && cpe.lb_address) {
    bag.error("lb-dns", "externalDNS is true: lb_address must be empty", at("controlPlaneEndpoint", "lb_address"));
  }

  // network
  const pods = cidrList(spec.network.kubePodsCIDR, "kubePodsCIDR", bag, at);
  const svcs = cidrList(spec.network.kubeServiceCIDR, "kubeServiceCIDR", bag, at);
  for (const p of pods) {
    for (const s of svcs) {
      if (cidrsOverlap(p, s)) bag.error("cidr-overlap", `kubePodsCIDR ${p.text} overlaps kubeServiceCIDR ${s.text}`, at("network", "kubeServiceCIDR"), { hint: "pick disjoint ranges" });
    }
  }
  for (const [name, list] of [["kubePodsCIDR", pods], ["kubeServiceCIDR", svcs]] as const) {
    for (const c of list) {
      for (const h of hosts) {
        for (const a of new Set([h.address, ...h.internalAddress])) {
          if (cidrContains(c, a)) bag.error("cidr-host", `${name} ${c.text} contains host ${h.name}'s address ${a}`, at("network", name), { hint: "the pod and service ranges must not include node addresses" });
        }
      }
    }
  }
  const calico = spec.network.calico;
  if (spec.network.plugin === "calico" && calico && calico.ipipMode !== "Never" && calico.vxlanMode !== "Never") {
    bag.error("calico-mode", `calico ipipMode (${calico.ipipMode}) and vxlanMode (${calico.vxlanMode}) are both enabled`, at("network", "calico", "vxlanMode"), {
      hint: 'set one of them to "Never"',
    });
  }
}

type At = (...path: (string | number)[]) => ReturnType<typeof locate>;

function cidrList(value: string, name: string, bag: DiagnosticBag, at: At): Cidr[] {
  const out: Cidr[] = [];
  const parts = value.split(",").map((s) => s.trim());
  for (const p of parts) {
    const c = parseCidr(p);
    if (!c) bag.error("cidr", `${name}: "${p}" is not a valid CIDR`, at("network", name), { hint: 'write one CIDR, or "v4,v6" such as 10.233.64.0/18,fd85:ee78:d8a6:8607::1:0/112' });
    else out.push(c);
  }
  if (out.length === 2 && out[0].version === out[1].version) bag.error("cidr", `${name}: a dual-stack value needs one v4 and one v6 CIDR`, at("network", name));
  if (parts.length > 2) bag.error("cidr", `${name}: at most two CIDRs ("v4,v6")`, at("network", name));
  return out;
}

function uniqueAddresses(spec: ClusterSpec, hosts: HostRecord[], bag: DiagnosticBag, at: At): void {
  const seen = new Map<string, string>();
  hosts.forEach((h, i) => {
    const own = new Set([h.address, ...h.internalAddress]);
    for (const a of own) {
      const other = seen.get(a);
      if (other && other !== h.name) {
        const field = spec.hosts[i].internalAddress?.includes(a) ? "internalAddress" : "address";
        bag.error("duplicate-address", `host ${h.name} reuses address ${a} of host ${other}`, at("hosts", i, field), {
          hint: "every host needs its own addresses (a real cluster breaks otherwise)",
        });
      } else seen.set(a, h.name);
    }
  });
}

function authPresent(spec: ClusterSpec, hosts: HostRecord[], bag: DiagnosticBag, at: At): void {
  hosts.forEach((h, i) => {
    if (h.password !== undefined && h.password === "") {
      bag.error("empty-password", `host ${h.name} has an empty password`, at("hosts", i, "password"), { hint: "remove it to use a key or the SSH agent" });
    }
  });
}
