// template: render a Nunjucks file (autoescape off, undefined is an error) with
// the step's `vars` and write it to the host; dry-run shows a unified diff.
import { readFileSync } from "node:fs";
import { dirname } from "node:path";
import nunjucks from "nunjucks";
import { stringify } from "yaml";
import type { StepContext, StepPlugin } from "../engine/types.js";
import { shq } from "../engine/connections/shell.js";
import { checkContent, writeContent, type ContentOptions } from "./lib/content.js";

interface Params extends ContentOptions {
  src: string;
  dest: string;
  vars?: Record<string, unknown>;
}

const envs = new Map<string, nunjucks.Environment>();
/** One Environment per template folder (compiled templates cached by nunjucks). */
function env(dir: string): nunjucks.Environment {
  let e = envs.get(dir);
  if (!e) {
    e = new nunjucks.Environment(new nunjucks.FileSystemLoader(dir, { noCache: false }), { autoescape: false, throwOnUndefined: true, trimBlocks: true, lstripBlocks: true });
    e.addFilter("shq", (v: unknown) => shq(String(v)));
    e.addFilter("to_yaml", (v: unknown) => stringify(v).trimEnd());
    e.addFilter("to_json", (v: unknown) => JSON.stringify(v));
    e.addFilter("b64", (v: unknown) => Buffer.from(String(v)).toString("base64"));
    envs.set(dir, e);
  }
  return e;
}

export function renderTemplate(file: string, vars: Record<string, unknown>): string {
  try {
    return env(dirname(file)).render(file.slice(dirname(file).length + 1), vars);
  } catch (e) {
    throw new Error(`template ${file}: ${(e as Error).message.replace(/\s+/g, " ").trim()}`);
  }
}

function render(ctx: StepContext, p: Params): string {
  const src = ctx.resolve(p.src);
  readFileSync(src); // a clear ENOENT before nunjucks' own message
  return renderTemplate(src, { ...(p.vars ?? {}), host: ctx.host });
}

const step: StepPlugin<Params> = {
  name: "template",
  description: "Render a Nunjucks template to a file on the host (diff in dry-run, optional backup)",
  target: "any",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["src", "dest"],
    properties: {
      src: { type: "string", description: ".njk file, relative to the playbook" },
      dest: { type: "string" },
      vars: { type: "object", description: "values the template reads (plus `host`)" },
      mode: { type: "string", pattern: "^0?[0-7]{3,4}$" },
      owner: { type: "string" },
      group: { type: "string" },
      backup: { type: "boolean" },
    },
  },
  async check(ctx, p) {
    return checkContent(ctx, p.dest, render(ctx, p), p);
  },
  async run(ctx, p) {
    await writeContent(ctx, p.dest, render(ctx, p), p);
    return { changed: true, outputs: { dest: p.dest } };
  },
};
export default step;
