// extract: unpack a tar archive (gz/xz/bz2 or plain) on the host or the control
// machine. A marker file holding the archive's sha256 makes it idempotent: the
// same archive is not unpacked twice; a new one is.
import type { StepPlugin } from "../engine/types.js";
import { shq } from "../engine/connections/shell.js";
import { must } from "./lib/content.js";

interface Params {
  src: string;
  dest: string;
  strip?: number;
  files?: string[];
  creates?: string;
}

const marker = (dest: string) => `${dest.replace(/\/$/, "")}/.kubexm-extracted`;

const step: StepPlugin<Params> = {
  name: "extract",
  description: "Unpack a tar archive into a folder (idempotent: skipped when the same archive was unpacked)",
  target: "any",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["src", "dest"],
    properties: {
      src: { type: "string", description: "the archive (on the host; on local, relative to the playbook)" },
      dest: { type: "string" },
      strip: { type: "integer", minimum: 0, default: 0, description: "leading path components to drop (tar --strip-components)" },
      files: { type: "array", items: { type: "string" }, description: "only these members" },
      creates: { type: "string", description: "skip when this path exists" },
    },
  },
  async check(ctx, p) {
    const src = ctx.host.local ? ctx.resolve(p.src) : p.src;
    const dest = ctx.host.local ? ctx.resolve(p.dest) : p.dest;
    if (p.creates && (await ctx.conn.stat(p.creates, { sudo: ctx.become }))) return { done: true };
    const [sum, mark] = await Promise.all([ctx.conn.sha256(src, { sudo: ctx.become }), ctx.conn.readFile(marker(dest), { sudo: ctx.become })]);
    if (sum && mark?.toString().trim() === sum) return { done: true };
    return { done: false, message: `would extract ${src} into ${dest}` };
  },
  async run(ctx, p) {
    const src = ctx.host.local ? ctx.resolve(p.src) : p.src;
    const dest = ctx.host.local ? ctx.resolve(p.dest) : p.dest;
    const files = (p.files ?? []).map(shq).join(" ");
    await must(ctx, `mkdir -p ${shq(dest)} && tar -xf ${shq(src)} -C ${shq(dest)} --strip-components=${p.strip ?? 0} ${files} && sha256sum ${shq(src)} | cut -d' ' -f1 > ${shq(marker(dest))}`, `extract ${src}`);
    return { changed: true, outputs: { dest } };
  },
};
export default step;
