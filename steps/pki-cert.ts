// pki-cert: a certificate signed by a CA made with pki-ca, on the control machine
// (<dir>/<name>.crt and .key, key 0600). Usages: server (serverAuth), client
// (clientAuth), peer (both). SANs mix DNS names and IPs, v4 and v6. Reused while
// it is signed by this CA, matches its key, CN, O, SANs and usages, and is not
// near expiry; otherwise reissued with a new key.
import type { StepContext, StepPlugin } from "../engine/types.js";
import { inspectLeaf, issueLeaf, pairPaths, type CertInfo, type LeafSpec, type RsaKeyBits, type Usage } from "../engine/pki/index.js";

interface Params {
  caDir: string;
  caName?: string;
  dir?: string;
  name: string;
  cn: string;
  organization?: string | string[];
  usages: Usage | Usage[];
  sans?: (string | null)[];
  days?: number;
  keyType?: "rsa";
  keyBits?: RsaKeyBits;
  renewBeforeDays?: number;
}

function spec(ctx: StepContext, p: Params): LeafSpec {
  const caDir = ctx.resolve(p.caDir);
  const s: LeafSpec = {
    caDir,
    caName: p.caName ?? "ca",
    dir: p.dir ? ctx.resolve(p.dir) : caDir,
    name: p.name,
    cn: p.cn,
    organization: p.organization === undefined ? undefined : ([] as string[]).concat(p.organization),
    usages: ([] as Usage[]).concat(p.usages),
    // null/"" entries come from optional addresses (a host without IPv6): dropped
    sans: (p.sans ?? []).filter((x): x is string => typeof x === "string" && x.trim() !== ""),
    days: p.days ?? 365,
    keyBits: p.keyBits ?? 2048,
    renewBeforeDays: p.renewBeforeDays ?? 30,
  };
  if (s.renewBeforeDays >= s.days) {
    throw new Error(`renewBeforeDays (${s.renewBeforeDays}) must be less than days (${s.days}): the certificate would be replaced on every run`);
  }
  return s;
}

function outputs(s: LeafSpec, info: CertInfo) {
  const f = pairPaths(s.dir, s.name);
  const ca = pairPaths(s.caDir, s.caName);
  return {
    cert: f.cert,
    key: f.key,
    ca: ca.cert,
    fingerprint: info.fingerprint,
    serial: info.serial,
    notAfter: info.notAfter.toISOString(),
    sans: [...info.sans.dns, ...info.sans.ips],
  };
}

const step: StepPlugin<Params> = {
  name: "pki-cert",
  description: "Issue (or reuse while it matches) a server/client/peer certificate signed by a pki-ca CA, SANs DNS + IPv4/IPv6",
  target: "local",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["caDir", "name", "cn", "usages"],
    properties: {
      caDir: { type: "string", minLength: 1, description: "the CA's folder (pki-ca `dir`)" },
      caName: { type: "string", pattern: "^[A-Za-z0-9._-]+$", default: "ca", description: "the CA's file base name" },
      dir: { type: "string", description: "where to write the certificate (default: caDir)" },
      name: { type: "string", pattern: "^[A-Za-z0-9._-]+$", description: "file base name: <name>.crt / <name>.key" },
      cn: { type: "string", minLength: 1 },
      organization: { oneOf: [{ type: "string" }, { type: "array", items: { type: "string" } }] },
      usages: {
        oneOf: [
          { enum: ["server", "client", "peer"] },
          { type: "array", minItems: 1, items: { enum: ["server", "client", "peer"] } },
        ],
        description: "server = serverAuth, client = clientAuth, peer = both",
      },
      sans: { type: "array", items: { type: ["string", "null"] }, description: "DNS names and IP addresses (v4, v6); empty entries are ignored" },
      days: { type: "integer", minimum: 1, maximum: 36500, default: 365 },
      keyType: { enum: ["rsa"], default: "rsa", description: "RSA only: node-forge cannot sign with ECDSA keys" },
      keyBits: { enum: [2048, 3072, 4096], default: 2048 },
      renewBeforeDays: { type: "integer", minimum: 0, default: 30 },
    },
  },
  async check(ctx, p) {
    const s = spec(ctx, p);
    const v = inspectLeaf(s);
    if (!v.valid) return { done: false, message: `would issue ${s.name}: ${v.reason}` };
    return { done: true, message: `${pairPaths(s.dir, s.name).cert} reused`, outputs: outputs(s, v.info) };
  },
  async run(ctx, p) {
    const s = spec(ctx, p);
    const info = issueLeaf(s);
    ctx.log.info(`issued ${s.name} (CN ${s.cn}) in ${s.dir}`);
    return { changed: true, outputs: outputs(s, info) };
  },
};
export default step;
