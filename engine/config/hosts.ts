// spec.hosts + spec.roleGroups -> HostRecords with their roles, and the role map
// (role -> host names, ranges expanded). Problems go into the bag at the entry at fault.
import { homedir } from "node:os";
import { resolve } from "node:path";
import type { DiagnosticBag } from "../diagnostics.js";
import { didYouMean } from "../schema-errors.js";
import { locate, type SourceDoc } from "../source.js";
import type { HostRecord } from "../types.js";
import { expandHostRange } from "./ranges.js";
import { KNOWN_ROLES, type ClusterSpec, type HostSpec } from "./types.js";

export interface BuiltHosts {
  hosts: HostRecord[];
  roles: Record<string, string[]>;
}

export function buildHosts(src: SourceDoc, spec: ClusterSpec, bag: DiagnosticBag): BuiltHosts {
  const byName = new Map<string, HostRecord>();
  const hosts: HostRecord[] = (spec.hosts ?? []).map((h, i) => {
    const rec = hostRecord(h);
    const first = byName.get(h.name);
    if (first) {
      bag.error("duplicate-host", `host name "${h.name}" is used twice`, locate(src, ["spec", "hosts", i, "name"]), {
        hint: "host names must be unique: rename one of them",
      });
    } else byName.set(h.name, rec);
    return rec;
  });

  const roles: Record<string, string[]> = {};
  for (const r of KNOWN_ROLES) roles[r] = [];
  for (const [role, entries] of Object.entries(spec.roleGroups ?? {})) {
    const names: string[] = [];
    const seen = new Set<string>();
    (entries ?? []).forEach((entry, i) => {
      const at = locate(src, ["spec", "roleGroups", role, i]);
      const r = expandHostRange(String(entry));
      if ("error" in r) return bag.error("host-range", r.error, at, { hint: "write a range as name[first:last], e.g. node[5:6]" });
      const isRange = r.names.length !== 1 || r.names[0] !== String(entry).trim();
      for (const n of r.names) {
        const host = byName.get(n);
        if (!host) {
          // a guess for a name inside a range is noise (node9 -> node1): say which range named it
          const guess = isRange ? undefined : didYouMean(n, byName.keys());
          bag.error("unknown-host", `role "${role}" names host "${n}", which is not in spec.hosts${guess ? ` (did you mean "${guess}"?)` : ""}`, at, {
            hint: isRange ? `the range ${String(entry).trim()} includes ${n}: add that host or shorten the range` : "add the host to spec.hosts or fix the name",
          });
          continue;
        }
        if (seen.has(n)) {
          bag.warn("duplicate-role-entry", `role "${role}" lists ${n} twice`, at, { hint: isRange ? `the range ${String(entry).trim()} includes ${n} again` : "remove the second entry" });
          continue;
        }
        seen.add(n);
        names.push(n);
        host.roles.push(role);
      }
    });
    roles[role] = names;
  }
  return { hosts, roles };
}

/** One host with the loader's defaults (port 22, user root, arch amd64, internalAddress = address). */
export function hostRecord(h: HostSpec): HostRecord {
  const internal = splitAddresses(h.internalAddress ?? h.address);
  return {
    name: h.name,
    address: h.address,
    internalAddress: internal,
    internalAddressV4: internal.find((a) => !a.includes(":")),
    internalAddressV6: internal.find((a) => a.includes(":")),
    port: h.port ?? 22,
    user: h.user ?? "root",
    arch: h.arch ?? "amd64",
    labels: h.labels ?? {},
    roles: [],
    password: h.password,
    privateKeyPath: h.privateKeyPath ? expandHome(h.privateKeyPath) : undefined,
    privateKeyPassphrase: h.privateKeyPassphrase,
    becomePassword: h.becomePassword,
  };
}

export function splitAddresses(value: string): string[] {
  return value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

/** `~/x` and `~` name the user's home, as in ssh. */
export function expandHome(p: string): string {
  if (p === "~") return homedir();
  return p.startsWith("~/") ? resolve(homedir(), p.slice(2)) : p;
}

/** Every secret value of the spec, so that a Redactor can mask it everywhere. */
export function collectSecrets(spec: ClusterSpec): string[] {
  const out = new Set<string>();
  for (const h of spec.hosts ?? []) for (const s of [h.password, h.privateKeyPassphrase, h.becomePassword]) if (s) out.add(s);
  for (const a of Object.values(spec.registry?.auths ?? {})) for (const s of [a?.password, a?.token]) if (s) out.add(s);
  return [...out];
}
