// file: a directory, an empty file, a symlink, or nothing at a path; with mode/owner.
import type { StepPlugin } from "../engine/types.js";
import { octalMode, shq } from "../engine/connections/shell.js";
import { attrsMatch, must } from "./lib/content.js";

interface Params {
  path: string;
  state: "directory" | "absent" | "touch" | "link";
  src?: string;
  mode?: string;
  owner?: string;
  group?: string;
}

const step: StepPlugin<Params> = {
  name: "file",
  description: "Make sure a path is a directory, an (empty) file, a symlink, or absent",
  target: "any",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["path", "state"],
    properties: {
      path: { type: "string", minLength: 1 },
      state: { enum: ["directory", "absent", "touch", "link"] },
      src: { type: "string", description: "the link target (state: link)" },
      mode: { type: "string", pattern: "^0?[0-7]{3,4}$" },
      owner: { type: "string" },
      group: { type: "string" },
    },
    if: { properties: { state: { const: "link" } } },
    then: { required: ["src"] },
  },
  async check(ctx, p) {
    const st = await ctx.conn.stat(p.path, { sudo: ctx.become });
    let ok: boolean;
    if (p.state === "absent") ok = st === null;
    else if (p.state === "directory") ok = st?.type === "dir";
    else if (p.state === "touch") ok = st?.type === "file";
    else ok = st?.type === "link" && (await ctx.exec(`readlink ${shq(p.path)}`)).stdout.trim() === p.src;
    if (ok && p.state !== "absent" && p.state !== "link") ok = await attrsMatch(ctx, p.path, p);
    return ok ? { done: true } : { done: false, message: `would make ${p.path} ${p.state}` };
  },
  async run(ctx, p) {
    const q = shq(p.path);
    const cmds: string[] = [];
    if (p.state === "absent") cmds.push(`rm -rf ${q}`);
    else if (p.state === "directory") cmds.push(`mkdir -p ${q}`);
    else if (p.state === "touch") cmds.push(`mkdir -p "$(dirname ${q})" && touch ${q}`);
    else cmds.push(`ln -sfn ${shq(p.src!)} ${q}`);
    const mode = octalMode(p.mode);
    if (mode && p.state !== "absent" && p.state !== "link") cmds.push(`chmod ${mode} ${q}`);
    if ((p.owner || p.group) && p.state !== "absent") cmds.push(`chown ${p.state === "link" ? "-h " : ""}${shq(`${p.owner ?? ""}${p.group ? `:${p.group}` : ""}`)} ${q}`);
    await must(ctx, cmds.join(" && "), `file ${p.path}`);
    return { changed: true };
  },
};
export default step;
