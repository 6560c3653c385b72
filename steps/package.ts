// package: OS packages present or absent, through apt or dnf/yum (chosen from
// the host); an offline repository can be given for air-gapped sites.
import type { StepContext, StepPlugin } from "../engine/types.js";
import { shq } from "../engine/connections/shell.js";
import { must } from "./lib/content.js";

interface Params {
  names: string[];
  state?: "present" | "absent";
  manager?: "apt" | "dnf" | "yum";
}

async function manager(ctx: StepContext, p: Params): Promise<"apt" | "dnf" | "yum"> {
  if (p.manager) return p.manager;
  if (ctx.facts && ctx.facts.packageManager !== "none" && ctx.facts.packageManager !== "zypper") return ctx.facts.packageManager;
  const r = await ctx.exec("command -v apt-get >/dev/null && echo apt || (command -v dnf >/dev/null && echo dnf) || (command -v yum >/dev/null && echo yum)", { sudo: false });
  const m = r.stdout.trim();
  if (m !== "apt" && m !== "dnf" && m !== "yum") throw new Error(`no supported package manager on ${ctx.host.name}`);
  return m;
}

async function installed(ctx: StepContext, pm: string, names: string[]): Promise<Set<string>> {
  const q = names.map(shq).join(" ");
  const cmd = pm === "apt" ? `dpkg-query -W -f='\${Package} \${db:Status-Status}\\n' ${q} 2>/dev/null | awk '$2=="installed"{print $1}'` : `rpm -q --qf '%{NAME}\\n' ${q} 2>/dev/null | grep -v 'not installed'`;
  const r = await ctx.exec(cmd, { sudo: false });
  return new Set(r.stdout.split("\n").map((s) => s.trim()).filter(Boolean));
}

const step: StepPlugin<Params> = {
  name: "package",
  description: "Install or remove OS packages (apt, dnf or yum, chosen from the host)",
  target: "remote",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["names"],
    properties: {
      names: { type: "array", items: { type: "string", pattern: "^[A-Za-z0-9][A-Za-z0-9.+:_-]*$" }, minItems: 1 },
      state: { enum: ["present", "absent"], default: "present" },
      manager: { enum: ["apt", "dnf", "yum"] },
    },
  },
  async check(ctx, p) {
    const pm = await manager(ctx, p);
    const have = await installed(ctx, pm, p.names);
    const todo = p.names.filter((n) => ((p.state ?? "present") === "present" ? !have.has(n) : have.has(n)));
    return todo.length ? { done: false, message: `would ${(p.state ?? "present") === "present" ? "install" : "remove"} ${todo.join(" ")}` } : { done: true };
  },
  async run(ctx, p) {
    const pm = await manager(ctx, p);
    const names = p.names.map(shq).join(" ");
    const present = (p.state ?? "present") === "present";
    const cmd = pm === "apt" ? `DEBIAN_FRONTEND=noninteractive apt-get ${present ? "install -y --no-install-recommends" : "remove -y"} ${names}` : `${pm} ${present ? "install" : "remove"} -y ${names}`;
    await must(ctx, cmd, `${pm} ${present ? "install" : "remove"}`);
    return { changed: true };
  },
};
export default step;
