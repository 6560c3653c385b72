// hosts-file: a managed block of name entries in /etc/hosts (every cluster host
// resolves every other one, without DNS).
import type { StepContext, StepPlugin } from "../engine/types.js";
import { checkContent, currentContent, withBlock, writeContent } from "./lib/content.js";

interface Params {
  entries: { ip: string; names: string[] }[];
  path?: string;
  state?: "present" | "absent";
}

async function wanted(ctx: StepContext, p: Params): Promise<string> {
  const cur = (await currentContent(ctx, p.path ?? "/etc/hosts")) ?? "";
  const block = p.entries.map((e) => `${e.ip} ${e.names.join(" ")}`).join("\n");
  return withBlock(cur, (p.state ?? "present") === "absent" ? null : block, "# {mark} KUBEXM HOSTS");
}

const step: StepPlugin<Params> = {
  name: "hosts-file",
  description: "Keep a managed block of entries in /etc/hosts",
  target: "remote",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["entries"],
    properties: {
      entries: {
        type: "array",
        items: { type: "object", additionalProperties: false, required: ["ip", "names"], properties: { ip: { type: "string" }, names: { type: "array", items: { type: "string" }, minItems: 1 } } },
      },
      path: { type: "string", default: "/etc/hosts" },
      state: { enum: ["present", "absent"], default: "present" },
    },
  },
  async check(ctx, p) {
    return checkContent(ctx, p.path ?? "/etc/hosts", await wanted(ctx, p));
  },
  async run(ctx, p) {
    await writeContent(ctx, p.path ?? "/etc/hosts", await wanted(ctx, p), { mode: "0644" });
    return { changed: true };
  },
};
export default step;
