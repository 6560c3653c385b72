// Address and CIDR helpers for the config rules (v4 and v6, no dependencies).
import { isIP } from "node:net";

export interface Cidr {
  text: string;
  version: 4 | 6;
  base: bigint;
  bits: number;
}

export function ipToBigInt(ip: string): { value: bigint; version: 4 | 6 } | undefined {
  const v = isIP(ip);
  if (v === 4) return { value: ip.split(".").reduce((acc, o) => (acc << 8n) + BigInt(Number(o)), 0n), version: 4 };
  if (v === 6) {
    let [head, tail] = ip.split("::") as [string, string | undefined];
    const h = head ? head.split(":") : [];
    const t = tail !== undefined && tail ? tail.split(":") : [];
    // an embedded v4 tail (::ffff:1.2.3.4)
    const last = (tail !== undefined ? t : h).at(-1);
    if (last && last.includes(".")) {
      const v4 = ipToBigInt(last)!.value;
      const arr = tail !== undefined ? t : h;
      arr.splice(arr.length - 1, 1, ((v4 >> 16n) & 0xffffn).toString(16), (v4 & 0xffffn).toString(16));
    }
    const fill = tail !== undefined ? 8 - h.length - t.length : 0;
    const groups = [...h, ...Array(fill).fill("0"), ...t];
    return { value: groups.reduce((acc, g) => (acc << 16n) + BigInt(parseInt(g || "0", 16)), 0n), version: 6 };
  }
  return undefined;
}

export function parseCidr(text: string): Cidr | undefined {
  const [ip, bitsS, extra] = text.trim().split("/");
  if (extra !== undefined || bitsS === undefined || !/^\d+$/.test(bitsS)) return undefined;
  const addr = ipToBigInt(ip);
  if (!addr) return undefined;
  const bits = Number(bitsS);
  const width = addr.version === 4 ? 32 : 128;
  if (bits > width) return undefined;
  const mask = ((1n << BigInt(width)) - 1n) ^ ((1n << BigInt(width - bits)) - 1n);
  return { text: text.trim(), version: addr.version, base: addr.value & mask, bits };
}

function range(c: Cidr): [bigint, bigint] {
  const width = c.version === 4 ? 32 : 128;
  return [c.base, c.base + (1n << BigInt(width - c.bits)) - 1n];
}

export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  if (a.version !== b.version) return false;
  const [a0, a1] = range(a);
  const [b0, b1] = range(b);
  return a0 <= b1 && b0 <= a1;
}

export function cidrContains(c: Cidr, ip: string): boolean {
  const addr = ipToBigInt(ip);
  if (!addr || addr.version !== c.version) return false;
  const [lo, hi] = range(c);
  return addr.value >= lo && addr.value <= hi;
}
