// The built-in steps plus small test steps for compiler tests (no host is touched).
import { defaultRegistry } from "../../engine/steps-registry.js";
import type { StepRegistry } from "../../engine/registry.js";
import type { StepPlugin } from "../../engine/types.js";

const step = (name: string, target: StepPlugin["target"], schema: Record<string, unknown> = { type: "object" }): StepPlugin => ({
  name,
  description: `test step ${name}`,
  target,
  schema,
  async run() {
    return { changed: false };
  },
});

export function testRegistry(): StepRegistry {
  const r = defaultRegistry();
  r.register(step("t.local", "local"));
  r.register(step("t.remote", "any"));
  r.register(
    step("t.typed", "any", {
      type: "object",
      additionalProperties: false,
      required: ["dest"],
      properties: { dest: { type: "string" }, mode: { type: "string", pattern: "^0[0-7]{3}$" }, count: { type: "integer" } },
    }),
  );
  r.register({ ...step("t.secret", "any", { type: "object" }), secretParams: ["token"] });
  return r;
}
