// Reading certificates back: what the idempotency checks of pki-ca / pki-cert
// compare against what a playbook asks for. Signature checks use Node's
// X509Certificate (OpenSSL); extensions are read with node-forge.
import { X509Certificate } from "node:crypto";
import forge from "node-forge";
import { publicKeyDer } from "./keys.js";
import { normalizeIp, type SanSet } from "./sans.js";

export interface CertInfo {
  subjectCN: string;
  organization: string[];
  serial: string;
  /** SHA-256 of the DER, "AB:CD:..." as `openssl x509 -fingerprint -sha256` prints it */
  fingerprint: string;
  notBefore: Date;
  notAfter: Date;
  isCA: boolean;
  sans: SanSet;
  serverAuth: boolean;
  clientAuth: boolean;
}

export function parseCert(pem: string): { x509: X509Certificate; info: CertInfo } {
  const x509 = new X509Certificate(pem);
  const cert = forge.pki.certificateFromPem(pem);
  const dns: string[] = [];
  const ips: string[] = [];
  const san = cert.getExtension("subjectAltName") as { altNames?: { type: number; value: string; ip?: string }[] } | null;
  for (const a of san?.altNames ?? []) {
    if (a.type === 2) dns.push(a.value.toLowerCase());
    else if (a.type === 7 && a.ip) ips.push(normalizeIp(a.ip));
  }
  const eku = cert.getExtension("extKeyUsage") as { serverAuth?: boolean; clientAuth?: boolean } | null;
  const attr = (name: string) => cert.subject.attributes.filter((x) => x.name === name).map((x) => String(x.value));
  return {
    x509,
    info: {
      subjectCN: attr("commonName")[0] ?? "",
      organization: attr("organizationName"),
      serial: x509.serialNumber.toLowerCase(),
      fingerprint: x509.fingerprint256,
      notBefore: cert.validity.notBefore,
      notAfter: cert.validity.notAfter,
      isCA: x509.ca,
      sans: { dns, ips },
      serverAuth: !!eku?.serverAuth,
      clientAuth: !!eku?.clientAuth,
    },
  };
}

/** true when `leaf` names `ca` as issuer and carries a valid signature by its key */
export function issuedBy(leaf: X509Certificate, ca: X509Certificate): boolean {
  return leaf.checkIssued(ca) && leaf.verify(ca.publicKey);
}

/** true when the private key PEM is the pair of the certificate's public key */
export function keyMatchesCert(keyPem: string, cert: X509Certificate): boolean {
  try {
    return publicKeyDer(keyPem).equals(cert.publicKey.export({ type: "spki", format: "der" }));
  } catch {
    return false;
  }
}

/** whole days left before notAfter (negative when expired) */
export function daysLeft(info: CertInfo, now = Date.now()): number {
  return Math.floor((info.notAfter.getTime() - now) / 86_400_000);
}
