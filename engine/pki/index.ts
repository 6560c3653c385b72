// The PKI helpers used by the pki-ca and pki-cert steps (and later by kubeconfig,
// cert-expiry and certs renew): everything runs on the control machine.
export { buildCaCert, buildLeafCert, extKeyUsages, type Usage, type Subject } from "./build.js";
export { createCa, inspectCa, type CaSpec, type Verdict } from "./ca.js";
export { issueLeaf, inspectLeaf, type LeafSpec } from "./leaf.js";
export { parseCert, issuedBy, keyMatchesCert, daysLeft, type CertInfo } from "./inspect.js";
export { generateRsaKey, forgeKeyFromPem, RSA_KEY_BITS, type RsaKeyBits } from "./keys.js";
export { splitSans, normalizeIp, sameSans, sansText, type SanSet } from "./sans.js";
export { pairPaths, writeAtomic, readIfExists } from "./files.js";
