// script: run a local script file (or inline text) on the host through its
// interpreter's stdin; idempotent with the same guards as command.
import { readFileSync } from "node:fs";
import type { StepPlugin } from "../engine/types.js";
import { shq } from "../engine/connections/shell.js";
import { guardDone } from "./command.js";
import { tail } from "./lib/content.js";

interface Params {
  src?: string;
  inline?: string;
  args?: string[];
  interpreter?: string;
  creates?: string;
  removes?: string;
  unless?: string;
  onlyIf?: string;
  changed?: boolean;
}

const step: StepPlugin<Params> = {
  name: "script",
  description: "Run a script (a local file or inline text) on the host",
  target: "any",
  schema: {
    type: "object",
    additionalProperties: false,
    oneOf: [{ required: ["src"] }, { required: ["inline"] }],
    properties: {
      src: { type: "string", description: "script file, relative to the playbook" },
      inline: { type: "string" },
      args: { type: "array", items: { type: "string" } },
      interpreter: { type: "string", default: "bash" },
      creates: { type: "string" },
      removes: { type: "string" },
      unless: { type: "string" },
      onlyIf: { type: "string" },
      changed: { type: "boolean" },
    },
  },
  async check(ctx, p) {
    const why = await guardDone(ctx, p);
    return why ? { done: true, message: why } : { done: false, message: `would run ${p.src ?? "an inline script"}` };
  },
  async run(ctx, p) {
    const text = p.inline ?? readFileSync(ctx.resolve(p.src!), "utf8");
    const r = await ctx.exec(`${shq(p.interpreter ?? "bash")} -s -- ${(p.args ?? []).map(shq).join(" ")}`, { stdin: text });
    if (r.code !== 0) throw Object.assign(new Error(`script exited ${r.code}: ${tail(r.stderr || r.stdout)}`), { stderr: r.stderr });
    return { changed: p.changed ?? true, outputs: { stdout: r.stdout.replace(/\n$/, ""), stderr: r.stderr } };
  },
};
export default step;
