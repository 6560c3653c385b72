// modprobe: a kernel module loaded now and at boot (/etc/modules-load.d).
import type { StepPlugin } from "../engine/types.js";
import { shq } from "../engine/connections/shell.js";
import { currentContent, must, writeContent } from "./lib/content.js";

const step: StepPlugin<{ name: string; persist?: boolean }> = {
  name: "modprobe",
  description: "Load a kernel module and persist it in /etc/modules-load.d",
  target: "remote",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["name"],
    properties: { name: { type: "string", pattern: "^[A-Za-z0-9_-]+$" }, persist: { type: "boolean", default: true } },
  },
  async check(ctx, p) {
    const loaded = (await ctx.exec(`grep -q ${shq(`^${p.name.replace(/-/g, "_")} `)} /proc/modules`, { sudo: false })).code === 0;
    const persisted = p.persist === false || (await currentContent(ctx, `/etc/modules-load.d/${p.name}.conf`)) === `${p.name}\n`;
    return loaded && persisted ? { done: true } : { done: false, message: `would load${loaded ? "" : ""} ${p.name}` };
  },
  async run(ctx, p) {
    await must(ctx, `modprobe ${shq(p.name)}`, `modprobe ${p.name}`);
    if (p.persist !== false) await writeContent(ctx, `/etc/modules-load.d/${p.name}.conf`, `${p.name}\n`, { mode: "0644" });
    return { changed: true };
  },
};
export default step;
