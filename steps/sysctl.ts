// sysctl: kernel parameters set now and persisted in /etc/sysctl.d.
import type { StepContext, StepPlugin } from "../engine/types.js";
import { shq } from "../engine/connections/shell.js";
import { currentContent, must, writeContent } from "./lib/content.js";

interface Params {
  values: Record<string, string | number>;
  file?: string;
}

const fileOf = (p: Params) => p.file ?? "/etc/sysctl.d/99-kubexm.conf";
const text = (p: Params) => Object.entries(p.values).map(([k, v]) => `${k} = ${v}`).join("\n") + "\n";

async function live(ctx: StepContext, p: Params): Promise<Record<string, string>> {
  const r = await ctx.exec(Object.keys(p.values).map((k) => `sysctl -n ${shq(k)} 2>/dev/null || echo '?'`).join("; "), { sudo: false });
  const vals = r.stdout.split("\n");
  return Object.fromEntries(Object.keys(p.values).map((k, i) => [k, (vals[i] ?? "").trim().replace(/\s+/g, " ")]));
}

const step: StepPlugin<Params> = {
  name: "sysctl",
  description: "Set kernel parameters now and persist them in /etc/sysctl.d",
  target: "remote",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["values"],
    properties: {
      values: { type: "object", minProperties: 1, additionalProperties: { type: ["string", "number"] }, propertyNames: { pattern: "^[a-z0-9_.-]+$" } },
      file: { type: "string", pattern: "^/etc/sysctl\\.d/[^/]+\\.conf$" },
    },
  },
  async check(ctx, p) {
    const [cur, file] = await Promise.all([live(ctx, p), currentContent(ctx, fileOf(p))]);
    const off = Object.entries(p.values).filter(([k, v]) => cur[k] !== String(v)).map(([k]) => k);
    return !off.length && file === text(p) ? { done: true } : { done: false, message: off.length ? `would set ${off.join(", ")}` : `would write ${fileOf(p)}` };
  },
  async run(ctx, p) {
    await writeContent(ctx, fileOf(p), text(p), { mode: "0644" });
    await must(ctx, `sysctl -p ${shq(fileOf(p))}`, "sysctl -p");
    return { changed: true };
  },
};
export default step;
