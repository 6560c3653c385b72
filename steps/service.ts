// service: a systemd unit — optional unit file content, daemon-reload when it
// changed, enabled or not, started/stopped/restarted/reloaded.
import type { StepContext, StepPlugin } from "../engine/types.js";
import { shq } from "../engine/connections/shell.js";
import { currentContent, must, unifiedDiff, writeContent } from "./lib/content.js";
import { renderTemplate } from "./template.js";

interface Params {
  name: string;
  unit?: string;
  unitTemplate?: string;
  vars?: Record<string, unknown>;
  state?: "started" | "stopped" | "restarted" | "reloaded";
  enabled?: boolean;
}

const unitPath = (name: string) => `/etc/systemd/system/${name.endsWith(".service") || name.includes(".") ? name : `${name}.service`}`;

function unitText(ctx: StepContext, p: Params): string | undefined {
  if (p.unit !== undefined) return p.unit.endsWith("\n") ? p.unit : p.unit + "\n";
  if (p.unitTemplate) return renderTemplate(ctx.resolve(p.unitTemplate), { ...(p.vars ?? {}), host: ctx.host });
  return undefined;
}

async function status(ctx: StepContext, name: string) {
  const r = await ctx.exec(`systemctl is-active ${shq(name)}; systemctl is-enabled ${shq(name)} 2>/dev/null || true`);
  const [active, enabled] = r.stdout.trim().split("\n");
  return { active: active === "active", enabled: enabled === "enabled" };
}

const step: StepPlugin<Params> = {
  name: "service",
  description: "Manage a systemd service: unit file, daemon-reload, enable, start/stop/restart/reload",
  target: "remote",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["name"],
    properties: {
      name: { type: "string", pattern: "^[A-Za-z0-9@._-]+$" },
      unit: { type: "string", description: "the unit file's content" },
      unitTemplate: { type: "string", description: "a .njk unit template, relative to the playbook" },
      vars: { type: "object" },
      state: { enum: ["started", "stopped", "restarted", "reloaded"], default: "started" },
      enabled: { type: "boolean" },
    },
  },
  async check(ctx, p) {
    const want = unitText(ctx, p);
    const msgs: string[] = [];
    let diff: string | undefined;
    if (want !== undefined) {
      const cur = await currentContent(ctx, unitPath(p.name));
      if (cur !== want) (msgs.push(`would write ${unitPath(p.name)}`), (diff = unifiedDiff(unitPath(p.name), cur, want)));
    }
    const s = await status(ctx, p.name);
    const state = p.state ?? "started";
    if (state === "restarted" || state === "reloaded") msgs.push(`would ${state.slice(0, -2)} ${p.name}`);
    else if (state === "started" && (!s.active || msgs.length)) msgs.push(s.active ? `would restart ${p.name} (unit changed)` : `would start ${p.name}`);
    else if (state === "stopped" && s.active) msgs.push(`would stop ${p.name}`);
    if (p.enabled !== undefined && p.enabled !== s.enabled) msgs.push(`would ${p.enabled ? "enable" : "disable"} ${p.name}`);
    return msgs.length ? { done: false, message: msgs.join("; "), diff } : { done: true };
  },
  async run(ctx, p) {
    const want = unitText(ctx, p);
    let unitChanged = false;
    if (want !== undefined && (await currentContent(ctx, unitPath(p.name))) !== want) {
      await writeContent(ctx, unitPath(p.name), want, { mode: "0644" });
      await must(ctx, "systemctl daemon-reload");
      unitChanged = true;
    }
    const s = await status(ctx, p.name);
    if (p.enabled !== undefined && p.enabled !== s.enabled) await must(ctx, `systemctl ${p.enabled ? "enable" : "disable"} ${shq(p.name)}`);
    const state = p.state ?? "started";
    if (state === "started") {
      if (!s.active) await must(ctx, `systemctl start ${shq(p.name)}`);
      else if (unitChanged) await must(ctx, `systemctl restart ${shq(p.name)}`);
    } else if (state === "stopped" && s.active) await must(ctx, `systemctl stop ${shq(p.name)}`);
    else if (state === "restarted") await must(ctx, `systemctl restart ${shq(p.name)}`);
    else if (state === "reloaded") await must(ctx, `systemctl reload ${shq(p.name)}`);
    return { changed: true };
  },
};
export default step;
