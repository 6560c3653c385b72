// Subject alternative names: one list of strings as a playbook writes it, split
// into DNS names and IP addresses (v4 and v6), normalized so that "::1" and
// "0:0:0:0:0:0:0:1" compare equal.
import { isIP } from "node:net";

export interface SanSet {
  dns: string[];
  ips: string[];
}

/** Split and normalize; empty entries and duplicates are dropped, order kept. */
export function splitSans(sans: readonly string[]): SanSet {
  const dns: string[] = [];
  const ips: string[] = [];
  for (const raw of sans) {
    const s = raw.trim().replace(/^\[(.*)\]$/, "$1");
    if (!s) continue;
    if (isIP(s)) {
      const n = normalizeIp(s);
      if (!ips.includes(n)) ips.push(n);
    } else {
      const d = s.toLowerCase();
      if (!dns.includes(d)) dns.push(d);
    }
  }
  return { dns, ips };
}

/** Canonical text of an IP: v4 dotted, v6 as 8 full groups of 4 hex digits. */
export function normalizeIp(ip: string): string {
  if (isIP(ip) === 4) return ip.split(".").map((o) => String(Number(o))).join(".");
  return ipv6Groups(ip).map((g) => g.toString(16).padStart(4, "0")).join(":");
}

function ipv6Groups(ip: string): number[] {
  let s = ip.toLowerCase();
  // an embedded v4 tail (::ffff:1.2.3.4) becomes two groups
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (v4) {
    const o = v4[1].split(".").map(Number);
    s = s.slice(0, -v4[1].length) + `${((o[0] << 8) | o[1]).toString(16)}:${((o[2] << 8) | o[3]).toString(16)}`;
  }
  const [head, tail] = s.split("::");
  const h = head ? head.split(":") : [];
  const t = tail !== undefined && tail !== "" ? tail.split(":") : [];
  const fill = tail === undefined ? [] : new Array(8 - h.length - t.length).fill("0");
  return [...h, ...fill, ...t].map((g) => parseInt(g, 16));
}

/** Same sets, in any order. */
export function sameSans(a: SanSet, b: SanSet): boolean {
  const eq = (x: string[], y: string[]) => x.length === y.length && [...x].sort().join(",") === [...y].sort().join(",");
  return eq(a.dns, b.dns) && eq(a.ips, b.ips);
}

export function sansText(s: SanSet): string {
  return [...s.dns.map((d) => `DNS:${d}`), ...s.ips.map((i) => `IP:${i}`)].join(", ") || "(none)";
}
