// fetch: a file from the host to the control machine (kubeconfigs, logs, backups).
import type { StepPlugin } from "../engine/types.js";
import { fileSha256 } from "./download.js";

const step: StepPlugin<{ src: string; dest: string }> = {
  name: "fetch",
  description: "Copy a file from the host to the control machine (skipped when unchanged)",
  target: "any",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["src", "dest"],
    properties: { src: { type: "string", description: "path on the host" }, dest: { type: "string", description: "local path" } },
  },
  async check(ctx, p) {
    const [remote, local] = await Promise.all([ctx.conn.sha256(p.src, { sudo: ctx.become }), fileSha256(ctx.resolve(p.dest))]);
    if (remote === null) return { done: false, message: `${p.src} does not exist on ${ctx.host.name}` };
    return remote === local ? { done: true } : { done: false, message: `would fetch ${p.src}` };
  },
  async run(ctx, p) {
    const r = await ctx.conn.get(p.src, ctx.resolve(p.dest), { sudo: ctx.become, signal: ctx.signal });
    return { changed: r.changed, outputs: { dest: ctx.resolve(p.dest) } };
  },
};
export default step;
