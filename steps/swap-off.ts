// swap-off: no active swap, and no swap line left active in /etc/fstab (kubelet
// refuses to run with swap on).
import type { StepPlugin } from "../engine/types.js";
import { must } from "./lib/content.js";

const ACTIVE = "tail -n +2 /proc/swaps | grep -c . || true";
const FSTAB = "grep -cE '^[^#].*\\sswap\\s' /etc/fstab 2>/dev/null || true";

const step: StepPlugin<Record<string, never>> = {
  name: "swap-off",
  description: "Turn swap off now and comment out swap lines in /etc/fstab",
  target: "remote",
  schema: { type: "object", additionalProperties: false, properties: {} },
  async check(ctx) {
    const r = await ctx.exec(`${ACTIVE}; ${FSTAB}`);
    const [active, fstab] = r.stdout.trim().split("\n").map(Number);
    return active === 0 && fstab === 0 ? { done: true } : { done: false, message: `would turn off ${active} swap device(s), ${fstab} fstab line(s)` };
  },
  async run(ctx) {
    await must(ctx, "swapoff -a && if [ -f /etc/fstab ]; then sed -i -E 's@^([^#].*\\sswap\\s.*)$@# \\1  # disabled by kubexm@' /etc/fstab; fi", "swap off");
    return { changed: true };
  },
};
export default step;
