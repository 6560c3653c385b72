// print: a message in the run's output (greetings, summaries). Changes nothing.
import type { StepPlugin } from "../engine/types.js";

const step: StepPlugin<{ message: string }> = {
  name: "print",
  description: "Print a message in the run's output",
  target: "local",
  schema: { type: "object", additionalProperties: false, required: ["message"], properties: { message: { type: "string" } } },
  async run(ctx, p) {
    ctx.log.info(p.message);
    return { changed: false, outputs: { message: p.message } };
  },
};
export default step;
