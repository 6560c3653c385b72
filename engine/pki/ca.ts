// A certificate authority on the control machine: reuse a valid one, or create it.
import { buildCaCert } from "./build.js";
import { pairPaths, readIfExists, writeAtomic } from "./files.js";
import { daysLeft, keyMatchesCert, parseCert, type CertInfo } from "./inspect.js";
import { generateRsaKey, type RsaKeyBits } from "./keys.js";

export interface CaSpec {
  dir: string;
  /** file base name: <name>.crt / <name>.key */
  name: string;
  cn: string;
  organization?: string[];
  days: number;
  keyBits: RsaKeyBits;
  /** regenerate when fewer days than this are left */
  renewBeforeDays: number;
}

export type Verdict = { valid: true; info: CertInfo; note?: string } | { valid: false; reason: string };

export function inspectCa(s: Pick<CaSpec, "dir" | "name" | "cn" | "renewBeforeDays">, now = Date.now()): Verdict {
  const p = pairPaths(s.dir, s.name);
  const certPem = readIfExists(p.cert);
  const keyPem = readIfExists(p.key);
  if (certPem === null) return { valid: false, reason: `${p.cert} does not exist` };
  if (keyPem === null) return { valid: false, reason: `${p.key} does not exist` };
  let parsed;
  try {
    parsed = parseCert(certPem);
  } catch (e) {
    return { valid: false, reason: `${p.cert} does not parse: ${(e as Error).message}` };
  }
  const { x509, info } = parsed;
  if (!info.isCA) return { valid: false, reason: `${p.cert} is not a CA certificate` };
  if (!keyMatchesCert(keyPem, x509)) return { valid: false, reason: `${p.key} is not the key of ${p.cert}` };
  const left = daysLeft(info, now);
  if (left < s.renewBeforeDays) return { valid: false, reason: `${p.cert} expires in ${left} days (renew threshold ${s.renewBeforeDays})` };
  // A different CN alone does not replace a CA: that would invalidate every
  // certificate it signed. Say so instead.
  const note = info.subjectCN !== s.cn ? `existing CA has CN "${info.subjectCN}", not "${s.cn}"; kept (delete ${p.cert} to replace it)` : undefined;
  return { valid: true, info, note };
}

export function createCa(s: CaSpec, now = Date.now()): CertInfo {
  const key = generateRsaKey(s.keyBits);
  const pem = buildCaCert({ subject: { cn: s.cn, organization: s.organization }, key: key.forge, days: s.days, now });
  const p = pairPaths(s.dir, s.name);
  // key first: a crash in between leaves a key without cert, which inspectCa rejects
  writeAtomic(p.key, key.pem, 0o600);
  writeAtomic(p.cert, pem, 0o644);
  return parseCert(pem).info;
}
