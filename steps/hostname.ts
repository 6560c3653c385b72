// hostname: the host's name, now and after reboots (/etc/hostname).
import type { StepPlugin } from "../engine/types.js";
import { shq } from "../engine/connections/shell.js";
import { must } from "./lib/content.js";

const step: StepPlugin<{ name: string }> = {
  name: "hostname",
  description: "Set the host name (running and in /etc/hostname)",
  target: "remote",
  schema: { type: "object", additionalProperties: false, required: ["name"], properties: { name: { type: "string", pattern: "^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$" } } },
  async check(ctx, p) {
    const r = await ctx.exec("hostname; cat /etc/hostname 2>/dev/null", { sudo: false });
    const [now, file] = r.stdout.trim().split("\n");
    return now === p.name && file === p.name ? { done: true } : { done: false, message: `would rename ${now} to ${p.name}` };
  },
  async run(ctx, p) {
    await must(ctx, `echo ${shq(p.name)} > /etc/hostname && (hostnamectl set-hostname ${shq(p.name)} 2>/dev/null || hostname ${shq(p.name)})`, "set hostname");
    return { changed: true };
  },
};
export default step;
