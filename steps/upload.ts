// upload: a file from the control machine to the host; nothing is sent when the
// host's copy already has the same sha256 (and mode/owner).
import { existsSync } from "node:fs";
import type { StepPlugin } from "../engine/types.js";
import { attrsMatch } from "./lib/content.js";
import { fileSha256 } from "./download.js";

interface Params {
  src: string;
  dest: string;
  mode?: string;
  owner?: string;
  group?: string;
}

const step: StepPlugin<Params> = {
  name: "upload",
  description: "Copy a local file to the host (skipped when the remote sha256 matches)",
  target: "any",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["src", "dest"],
    properties: {
      src: { type: "string", description: "local file (relative to the playbook, or absolute)" },
      dest: { type: "string", description: "path on the host" },
      mode: { type: "string", pattern: "^0?[0-7]{3,4}$" },
      owner: { type: "string" },
      group: { type: "string" },
    },
  },
  async check(ctx, p) {
    const src = ctx.resolve(p.src);
    if (!existsSync(src)) return { done: false, message: `would upload ${src} (not there yet: an earlier step makes it)` };
    const [local, remote] = await Promise.all([fileSha256(src), ctx.conn.sha256(p.dest, { sudo: ctx.become })]);
    if (local === remote && (await attrsMatch(ctx, p.dest, p))) return { done: true };
    return { done: false, message: remote === null ? `would upload ${p.dest}` : `would replace ${p.dest}` };
  },
  async run(ctx, p) {
    const src = ctx.resolve(p.src);
    if (!existsSync(src)) throw new Error(`${src}: no such local file`);
    const r = await ctx.conn.put(src, p.dest, { mode: p.mode, owner: p.owner, group: p.group, sudo: ctx.become, signal: ctx.signal });
    return { changed: r.changed, outputs: { dest: p.dest } };
  },
};
export default step;
