// command: run a shell command. Idempotent through `creates`, `removes`, `unless`
// or `onlyIf`; without one it reports `changed` (set `changed: false` for a
// command that only reads).
import type { StepContext, StepPlugin } from "../engine/types.js";
import { shq } from "../engine/connections/shell.js";
import { tail } from "./lib/content.js";

export interface CommandParams {
  cmd: string | string[];
  creates?: string;
  removes?: string;
  unless?: string;
  onlyIf?: string;
  successCodes?: number[];
  stdin?: string;
  env?: Record<string, string>;
  cwd?: string;
  changed?: boolean;
}

export function commandLine(cmd: string | string[]): string {
  return Array.isArray(cmd) ? cmd.map(shq).join(" ") : cmd;
}

export async function guardDone(ctx: StepContext, p: Pick<CommandParams, "creates" | "removes" | "unless" | "onlyIf">): Promise<string | undefined> {
  if (p.creates && (await ctx.exec(`test -e ${shq(p.creates)}`)).code === 0) return `${p.creates} exists`;
  if (p.removes && (await ctx.exec(`test -e ${shq(p.removes)}`)).code !== 0) return `${p.removes} is absent`;
  if (p.unless && (await ctx.exec(p.unless)).code === 0) return `\`${p.unless}\` succeeded`;
  if (p.onlyIf && (await ctx.exec(p.onlyIf)).code !== 0) return `\`${p.onlyIf}\` failed`;
  return undefined;
}

const step: StepPlugin<CommandParams> = {
  name: "command",
  description: "Run a shell command (sudo with become); idempotent with creates/removes/unless/onlyIf",
  target: "any",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["cmd"],
    properties: {
      cmd: { oneOf: [{ type: "string", minLength: 1 }, { type: "array", items: { type: "string" }, minItems: 1 }], description: "a shell command, or an argv list (quoted for you)" },
      creates: { type: "string", description: "skip when this path exists" },
      removes: { type: "string", description: "skip when this path does not exist" },
      unless: { type: "string", description: "skip when this command succeeds" },
      onlyIf: { type: "string", description: "run only when this command succeeds" },
      successCodes: { type: "array", items: { type: "integer" }, default: [0] },
      stdin: { type: "string" },
      env: { type: "object", additionalProperties: { type: "string" } },
      cwd: { type: "string" },
      changed: { type: "boolean", description: "report changed when it ran (default true; false for read-only commands)" },
    },
  },
  async check(ctx, p) {
    const why = await guardDone(ctx, p);
    if (why) return { done: true, message: why };
    return { done: false, message: `would run: ${commandLine(p.cmd)}` };
  },
  async run(ctx, p) {
    const r = await ctx.exec(commandLine(p.cmd), { stdin: p.stdin, env: p.env, cwd: p.cwd });
    if (!(p.successCodes ?? [0]).includes(r.code)) {
      throw Object.assign(new Error(`exit ${r.code}${r.signal ? ` (${r.signal})` : ""}: ${tail(r.stderr || r.stdout)}`), { stderr: r.stderr, code: r.code });
    }
    return { changed: p.changed ?? true, outputs: { stdout: r.stdout.replace(/\n$/, ""), stderr: r.stderr, code: r.code } };
  },
};
export default step;
