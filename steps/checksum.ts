// checksum: verify a file's sha256 on the host (or the control machine).
import type { StepPlugin } from "../engine/types.js";

const step: StepPlugin<{ path: string; sha256: string }> = {
  name: "checksum",
  description: "Verify the sha256 of a file (fails on a mismatch)",
  target: "any",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["path", "sha256"],
    properties: { path: { type: "string" }, sha256: { type: "string", pattern: "^[0-9a-fA-F]{64}$" } },
  },
  async run(ctx, p) {
    const path = ctx.host.local ? ctx.resolve(p.path) : p.path;
    const have = await ctx.conn.sha256(path, { sudo: ctx.become });
    if (have === null) throw new Error(`${path}: no such file`);
    if (have !== p.sha256.toLowerCase()) throw new Error(`${path}: sha256 ${have}, expected ${p.sha256.toLowerCase()}`);
    return { changed: false, outputs: { sha256: have } };
  },
};
export default step;
