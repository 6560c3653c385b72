// http-check: an HTTP(S) endpoint answers with the expected status — from the
// control machine (fetch) or from the target host (curl).
import type { StepPlugin } from "../engine/types.js";
import { shq } from "../engine/connections/shell.js";

interface Params {
  url: string;
  status?: number[];
  timeoutSeconds?: number;
  insecure?: boolean;
  caFile?: string;
}

const step: StepPlugin<Params> = {
  name: "http-check",
  description: "Check that a URL answers with an expected HTTP status",
  target: "any",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["url"],
    properties: {
      url: { type: "string", pattern: "^https?://" },
      status: { type: "array", items: { type: "integer" }, default: [200] },
      timeoutSeconds: { type: "number", minimum: 1, default: 10 },
      insecure: { type: "boolean", description: "skip TLS verification (curl -k)" },
      caFile: { type: "string" },
    },
  },
  async run(ctx, p) {
    const want = p.status ?? [200];
    let code: number;
    if (ctx.host.local) {
      const res = await fetch(p.url, { signal: AbortSignal.any([ctx.signal, AbortSignal.timeout((p.timeoutSeconds ?? 10) * 1000)]) });
      await res.arrayBuffer();
      code = res.status;
    } else {
      const flags = [p.insecure ? "-k" : "", p.caFile ? `--cacert ${shq(p.caFile)}` : ""].join(" ");
      const r = await ctx.exec(`curl -sS -o /dev/null -w '%{http_code}' ${flags} --max-time ${p.timeoutSeconds ?? 10} ${shq(p.url)}`, { sudo: false });
      if (r.code !== 0) throw new Error(`curl ${p.url}: ${r.stderr.trim()}`);
      code = Number(r.stdout.trim());
    }
    if (!want.includes(code)) throw new Error(`${p.url} answered ${code}, expected ${want.join(" or ")}`);
    return { changed: false, outputs: { status: code } };
  },
};
export default step;
