// wait-port: wait, from the target host, until a TCP port accepts (or refuses) connections.
import type { StepPlugin } from "../engine/types.js";
import { shq } from "../engine/connections/shell.js";

interface Params {
  port: number;
  host?: string;
  state?: "started" | "stopped";
  timeoutSeconds?: number;
}

const step: StepPlugin<Params> = {
  name: "wait-port",
  description: "Wait until a TCP port is open (or closed), checked from the target host",
  target: "any",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["port"],
    properties: {
      port: { type: "integer", minimum: 1, maximum: 65535 },
      host: { type: "string", default: "127.0.0.1" },
      state: { enum: ["started", "stopped"], default: "started" },
      timeoutSeconds: { type: "number", minimum: 0, default: 60 },
    },
  },
  async run(ctx, p) {
    const host = p.host ?? "127.0.0.1";
    const want = (p.state ?? "started") === "started";
    const probe = `timeout 2 bash -c ${shq(`exec 3<>/dev/tcp/${host}/${p.port}`)} 2>/dev/null`;
    const deadline = Date.now() + (p.timeoutSeconds ?? 60) * 1000;
    for (;;) {
      const open = (await ctx.exec(probe, { sudo: false })).code === 0;
      if (open === want) return { changed: false, outputs: { open } };
      if (Date.now() > deadline) throw new Error(`${host}:${p.port} is still ${open ? "open" : "closed"} after ${p.timeoutSeconds ?? 60}s`);
      if (ctx.signal.aborted) throw new Error("cancelled");
      await new Promise((r) => setTimeout(r, 500));
    }
  },
};
export default step;
