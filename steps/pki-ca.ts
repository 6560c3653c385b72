// pki-ca: a certificate authority on the control machine (<dir>/<name>.crt and
// .key, key 0600). A CA that parses, is a CA, matches its key and is not within
// `renewBeforeDays` of expiry is reused (`ok`): certificates it signed stay valid.
import type { StepContext, StepPlugin } from "../engine/types.js";
import { createCa, inspectCa, pairPaths, type CaSpec, type CertInfo, type RsaKeyBits } from "../engine/pki/index.js";

interface Params {
  dir: string;
  name?: string;
  cn: string;
  organization?: string | string[];
  days?: number;
  keyType?: "rsa";
  keyBits?: RsaKeyBits;
  renewBeforeDays?: number;
}

function spec(ctx: StepContext, p: Params): CaSpec {
  const s: CaSpec = {
    dir: ctx.resolve(p.dir),
    name: p.name ?? "ca",
    cn: p.cn,
    organization: p.organization === undefined ? undefined : ([] as string[]).concat(p.organization),
    days: p.days ?? 3650,
    keyBits: p.keyBits ?? 2048,
    renewBeforeDays: p.renewBeforeDays ?? 30,
  };
  if (s.renewBeforeDays >= s.days) {
    throw new Error(`renewBeforeDays (${s.renewBeforeDays}) must be less than days (${s.days}): the certificate would be replaced on every run`);
  }
  return s;
}

function outputs(s: CaSpec, info: CertInfo) {
  const f = pairPaths(s.dir, s.name);
  return { cert: f.cert, key: f.key, fingerprint: info.fingerprint, serial: info.serial, notAfter: info.notAfter.toISOString() };
}

const step: StepPlugin<Params> = {
  name: "pki-ca",
  description: "Create (or reuse while valid) a certificate authority on the control machine: <dir>/<name>.crt and .key (RSA)",
  target: "local",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["dir", "cn"],
    properties: {
      dir: { type: "string", minLength: 1, description: "folder on the control machine, e.g. ${{ paths.certs('etcd') }}" },
      name: { type: "string", pattern: "^[A-Za-z0-9._-]+$", default: "ca", description: "file base name" },
      cn: { type: "string", minLength: 1, description: "subject common name" },
      organization: { oneOf: [{ type: "string" }, { type: "array", items: { type: "string" } }] },
      days: { type: "integer", minimum: 1, maximum: 36500, default: 3650 },
      keyType: { enum: ["rsa"], default: "rsa", description: "RSA only: node-forge cannot sign with ECDSA keys" },
      keyBits: { enum: [2048, 3072, 4096], default: 2048 },
      renewBeforeDays: { type: "integer", minimum: 0, default: 30, description: "replace the CA when fewer days are left" },
    },
  },
  async check(ctx, p) {
    const s = spec(ctx, p);
    const v = inspectCa(s);
    if (!v.valid) return { done: false, message: `would create CA ${s.cn}: ${v.reason}` };
    if (v.note) ctx.log.warn(v.note);
    return { done: true, message: `CA ${pairPaths(s.dir, s.name).cert} reused`, outputs: outputs(s, v.info) };
  },
  async run(ctx, p) {
    const s = spec(ctx, p);
    const info = createCa(s);
    ctx.log.info(`created CA ${s.cn} in ${s.dir}`);
    return { changed: true, outputs: outputs(s, info) };
  },
};
export default step;
