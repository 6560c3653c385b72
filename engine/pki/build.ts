// Certificate building with node-forge, signed with SHA-256 (sha256WithRSAEncryption).
// Keys come from keys.ts (Node's crypto). Extensions follow what etcd and
// Kubernetes expect: a CA with keyCertSign, leaves with serverAuth/clientAuth.
import { randomBytes } from "node:crypto";
import forge from "node-forge";
import type { SanSet } from "./sans.js";

export type Usage = "server" | "client" | "peer";

export interface Subject {
  cn: string;
  organization?: string[];
}

/** notBefore is set this far in the past so hosts with a slightly slow clock accept the cert */
const BACKDATE_MS = 5 * 60 * 1000;

function attrs(s: Subject): forge.pki.CertificateField[] {
  return [{ name: "commonName", value: s.cn }, ...(s.organization ?? []).map((o) => ({ name: "organizationName", value: o }))];
}

/** A positive random 128-bit serial (hex, first bit clear so DER keeps it positive). */
function serial(): string {
  const b = randomBytes(16);
  b[0] &= 0x7f;
  b[0] |= 0x10; // no leading zero byte to be stripped
  return b.toString("hex");
}

function validity(cert: forge.pki.Certificate, days: number, now: number): void {
  cert.validity.notBefore = new Date(now - BACKDATE_MS);
  cert.validity.notAfter = new Date(now + days * 86_400_000);
}

function publicKeyOf(key: forge.pki.rsa.PrivateKey): forge.pki.rsa.PublicKey {
  return forge.pki.setRsaPublicKey(key.n, key.e);
}

export interface CaInput {
  subject: Subject;
  key: forge.pki.rsa.PrivateKey;
  days: number;
  now?: number;
}

export function buildCaCert(i: CaInput): string {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKeyOf(i.key);
  cert.serialNumber = serial();
  validity(cert, i.days, i.now ?? Date.now());
  cert.setSubject(attrs(i.subject));
  cert.setIssuer(attrs(i.subject));
  cert.setExtensions([
    { name: "basicConstraints", cA: true, critical: true },
    { name: "keyUsage", keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: "subjectKeyIdentifier" },
  ]);
  cert.sign(i.key, forge.md.sha256.create());
  return forge.pki.certificateToPem(cert);
}

export interface LeafInput {
  subject: Subject;
  key: forge.pki.rsa.PrivateKey;
  usages: Usage[];
  sans: SanSet;
  days: number;
  caCertPem: string;
  caKey: forge.pki.rsa.PrivateKey;
  now?: number;
}

/** The extended key usages a list of usages asks for (peer = server + client). */
export function extKeyUsages(usages: readonly Usage[]): { serverAuth: boolean; clientAuth: boolean } {
  return {
    serverAuth: usages.includes("server") || usages.includes("peer"),
    clientAuth: usages.includes("client") || usages.includes("peer"),
  };
}

export function buildLeafCert(i: LeafInput): string {
  const ca = forge.pki.certificateFromPem(i.caCertPem);
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKeyOf(i.key);
  cert.serialNumber = serial();
  validity(cert, i.days, i.now ?? Date.now());
  // never outlive the CA: a leaf valid past its issuer fails verification anyway
  if (cert.validity.notAfter > ca.validity.notAfter) cert.validity.notAfter = new Date(ca.validity.notAfter.getTime());
  cert.setSubject(attrs(i.subject));
  cert.setIssuer(ca.subject.attributes);
  const eku = extKeyUsages(i.usages);
  const altNames = [...i.sans.dns.map((value) => ({ type: 2, value })), ...i.sans.ips.map((ip) => ({ type: 7, ip }))];
  const exts: any[] = [
    { name: "basicConstraints", cA: false, critical: true },
    { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
    { name: "extKeyUsage", ...eku },
    { name: "subjectKeyIdentifier" },
    { name: "authorityKeyIdentifier", keyIdentifier: ca.generateSubjectKeyIdentifier().getBytes() },
  ];
  if (altNames.length) exts.push({ name: "subjectAltName", altNames });
  cert.setExtensions(exts);
  cert.sign(i.caKey, forge.md.sha256.create());
  return forge.pki.certificateToPem(cert);
}
