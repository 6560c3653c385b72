// line-in-file: one line (replacing the line a regexp matches), or a managed block
// between markers, present or absent in a file on the host.
import type { StepContext, StepPlugin } from "../engine/types.js";
import { checkContent, currentContent, withBlock, writeContent } from "./lib/content.js";

interface Params {
  path: string;
  line?: string;
  regexp?: string;
  block?: string;
  marker?: string;
  state?: "present" | "absent";
  create?: boolean;
  mode?: string;
}

export function applyLine(content: string, p: Params): string {
  const lines = content === "" ? [] : content.replace(/\n$/, "").split("\n");
  const re = p.regexp ? new RegExp(p.regexp) : undefined;
  const match = (l: string) => (re ? re.test(l) : l === p.line);
  if ((p.state ?? "present") === "absent") return lines.filter((l) => !match(l)).join("\n") + (lines.some((l) => !match(l)) ? "\n" : "");
  const i = lines.findIndex(match);
  if (i >= 0) lines[i] = p.line!;
  else lines.push(p.line!);
  return lines.join("\n") + "\n";
}

async function wanted(ctx: StepContext, p: Params): Promise<string> {
  const cur = (await currentContent(ctx, p.path)) ?? (p.create === false ? null : "");
  if (cur === null) throw new Error(`${p.path} does not exist (set create: true to create it)`);
  if (p.block !== undefined) return withBlock(cur, (p.state ?? "present") === "absent" ? null : p.block, p.marker ?? "# {mark} KUBEXM MANAGED BLOCK");
  return applyLine(cur, p);
}

const step: StepPlugin<Params> = {
  name: "line-in-file",
  description: "Keep one line (or a managed block) present or absent in a file",
  target: "any",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["path"],
    anyOf: [{ required: ["line"] }, { required: ["block"] }, { required: ["regexp", "state"], properties: { state: { const: "absent" } } }],
    properties: {
      path: { type: "string" },
      line: { type: "string" },
      regexp: { type: "string", description: "the line to replace (or remove)" },
      block: { type: "string", description: "a block of lines between marker comments" },
      marker: { type: "string", default: "# {mark} KUBEXM MANAGED BLOCK" },
      state: { enum: ["present", "absent"], default: "present" },
      create: { type: "boolean", default: true },
      mode: { type: "string", pattern: "^0?[0-7]{3,4}$" },
    },
  },
  async check(ctx, p) {
    return checkContent(ctx, p.path, await wanted(ctx, p), { mode: p.mode });
  },
  async run(ctx, p) {
    await writeContent(ctx, p.path, await wanted(ctx, p), { mode: p.mode });
    return { changed: true };
  },
};
export default step;
