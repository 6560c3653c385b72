// timezone: /etc/localtime and /etc/timezone name the wanted zone.
import type { StepPlugin } from "../engine/types.js";
import { shq } from "../engine/connections/shell.js";
import { must } from "./lib/content.js";

const step: StepPlugin<{ name: string }> = {
  name: "timezone",
  description: "Set the host's time zone (e.g. Asia/Shanghai)",
  target: "remote",
  schema: { type: "object", additionalProperties: false, required: ["name"], properties: { name: { type: "string", pattern: "^[A-Za-z0-9_+-]+(/[A-Za-z0-9_+-]+)*$" } } },
  async check(ctx, p) {
    // one level of the link: UTC is itself a link to Etc/UTC, so -f would never match "UTC"
    const r = await ctx.exec("readlink /etc/localtime; cat /etc/timezone 2>/dev/null", { sudo: false });
    const [link, file] = r.stdout.trim().split("\n");
    return link?.endsWith(`/zoneinfo/${p.name}`) && (file === undefined || file === p.name) ? { done: true } : { done: false, message: `would set the time zone to ${p.name}` };
  },
  async run(ctx, p) {
    const z = shq(p.name);
    await must(ctx, `test -e /usr/share/zoneinfo/${z} || { echo "unknown time zone ${p.name}" >&2; exit 1; }; ln -sfn /usr/share/zoneinfo/${z} /etc/localtime && echo ${z} > /etc/timezone`, "set time zone");
    return { changed: true };
  },
};
export default step;
