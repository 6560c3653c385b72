// confirm: ask before going on. --yes answers it; without a terminal and without
// --yes it fails rather than hang.
import { createInterface } from "node:readline/promises";
import type { StepPlugin } from "../engine/types.js";

const step: StepPlugin<{ message: string }> = {
  name: "confirm",
  description: "Ask the operator to confirm (honours --yes; fails without a TTY unless --yes)",
  target: "local",
  schema: { type: "object", additionalProperties: false, required: ["message"], properties: { message: { type: "string" } } },
  async run(ctx, p) {
    if (ctx.assumeYes || ctx.dryRun) return { changed: false, outputs: { confirmed: true } };
    if (!ctx.interactive) throw new Error(`"${p.message}" needs an answer: run with --yes, or from a terminal`);
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    try {
      const a = (await rl.question(`${p.message} [y/N] `, { signal: ctx.signal })).trim().toLowerCase();
      if (a !== "y" && a !== "yes") throw new Error("not confirmed");
    } finally {
      rl.close();
    }
    return { changed: false, outputs: { confirmed: true } };
  },
};
export default step;
