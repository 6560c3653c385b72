// Certificates signed by a CA on the control machine (server, client, peer):
// reused while they match the request, reissued otherwise.
import { buildLeafCert, extKeyUsages, type Usage } from "./build.js";
import type { Verdict } from "./ca.js";
import { pairPaths, readIfExists, writeAtomic } from "./files.js";
import { daysLeft, issuedBy, keyMatchesCert, parseCert, type CertInfo } from "./inspect.js";
import { forgeKeyFromPem, generateRsaKey, type RsaKeyBits } from "./keys.js";
import { sameSans, sansText, splitSans } from "./sans.js";
import { X509Certificate } from "node:crypto";

export interface LeafSpec {
  /** the CA's folder and base name */
  caDir: string;
  caName: string;
  /** where <name>.crt / <name>.key go */
  dir: string;
  name: string;
  cn: string;
  organization?: string[];
  usages: Usage[];
  /** DNS names and IPs (v4/v6) mixed */
  sans: string[];
  days: number;
  keyBits: RsaKeyBits;
  renewBeforeDays: number;
}

function readCa(s: LeafSpec): { certPem: string; keyPem: string } {
  const p = pairPaths(s.caDir, s.caName);
  const certPem = readIfExists(p.cert);
  const keyPem = readIfExists(p.key);
  if (certPem === null || keyPem === null) throw new Error(`CA ${p.cert} / ${p.key} not found: run pki-ca first`);
  return { certPem, keyPem };
}

export function inspectLeaf(s: LeafSpec, now = Date.now()): Verdict {
  const p = pairPaths(s.dir, s.name);
  const ca = pairPaths(s.caDir, s.caName);
  const caPem = readIfExists(ca.cert);
  if (caPem === null) return { valid: false, reason: `CA ${ca.cert} does not exist yet` };
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
  if (!issuedBy(x509, new X509Certificate(caPem))) return { valid: false, reason: `${p.cert} is not signed by ${ca.cert}` };
  if (!keyMatchesCert(keyPem, x509)) return { valid: false, reason: `${p.key} is not the key of ${p.cert}` };
  if (info.subjectCN !== s.cn) return { valid: false, reason: `${p.cert} has CN "${info.subjectCN}", want "${s.cn}"` };
  const wantOrg = s.organization ?? [];
  if (info.organization.join(",") !== wantOrg.join(",")) return { valid: false, reason: `${p.cert} has O=${info.organization.join(",") || "(none)"}, want ${wantOrg.join(",") || "(none)"}` };
  const want = splitSans(s.sans);
  if (!sameSans(info.sans, want)) return { valid: false, reason: `${p.cert} has SANs ${sansText(info.sans)}, want ${sansText(want)}` };
  const eku = extKeyUsages(s.usages);
  if (eku.serverAuth !== info.serverAuth || eku.clientAuth !== info.clientAuth) {
    return { valid: false, reason: `${p.cert} usages differ (serverAuth=${info.serverAuth}, clientAuth=${info.clientAuth}; want ${eku.serverAuth}/${eku.clientAuth})` };
  }
  const left = daysLeft(info, now);
  if (left < s.renewBeforeDays) return { valid: false, reason: `${p.cert} expires in ${left} days (renew threshold ${s.renewBeforeDays})` };
  return { valid: true, info };
}

export function issueLeaf(s: LeafSpec, now = Date.now()): CertInfo {
  const ca = readCa(s);
  const key = generateRsaKey(s.keyBits);
  const pem = buildLeafCert({
    subject: { cn: s.cn, organization: s.organization },
    key: key.forge,
    usages: s.usages,
    sans: splitSans(s.sans),
    days: s.days,
    caCertPem: ca.certPem,
    caKey: forgeKeyFromPem(ca.keyPem),
    now,
  });
  const p = pairPaths(s.dir, s.name);
  writeAtomic(p.key, key.pem, 0o600);
  writeAtomic(p.cert, pem, 0o644);
  return parseCert(pem).info;
}
