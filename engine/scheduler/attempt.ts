// One attempt of one node: the step's check (done -> ok; in a dry run, "would
// change" and stop), then run. A timeout aborts the step's own signal, so the
// command on the host is killed, and the attempt fails at once.
import { createStepContext, type StepContextInput } from "../step-context.js";
import type { NodeResult, StepPlugin } from "../types.js";

export type AttemptResult = Omit<NodeResult, "id" | "host">;

export async function attempt(step: StepPlugin, params: unknown, input: Omit<StepContextInput, "signal">, outer: AbortSignal, timeoutMs: number): Promise<AttemptResult> {
  const ac = new AbortController();
  const abort = () => ac.abort(outer.reason);
  if (outer.aborted) abort();
  else outer.addEventListener("abort", abort, { once: true });
  const ctx = createStepContext({ ...input, signal: ac.signal });
  let timer: NodeJS.Timeout | undefined;
  const work = (async (): Promise<AttemptResult> => {
    if (step.check) {
      const c = await step.check(ctx, params);
      if (c.done) return { status: "ok", outputs: c.outputs, message: c.message };
      // a step without `check` changes nothing by contract (facts, print): it runs in a dry run too
      if (input.dryRun) return { status: "changed", wouldChange: true, message: c.message, diff: c.diff };
    }
    const r = await step.run(ctx, params);
    return { status: r.changed ? "changed" : "ok", outputs: r.outputs, message: r.message };
  })();
  work.catch(() => undefined); // a timed-out step may still settle later
  const timedOut = new Promise<AttemptResult>((resolve) => {
    if (!timeoutMs) return;
    timer = setTimeout(() => {
      ac.abort(new Error("timeout"));
      resolve({ status: "failed", error: { message: `timed out after ${formatMs(timeoutMs)}` } });
    }, timeoutMs);
  });
  try {
    return await Promise.race([work, timedOut]);
  } catch (e) {
    const err = e as Error & { stderr?: string; code?: number };
    if (outer.aborted) return { status: "cancelled", error: { message: "cancelled" } };
    return { status: "failed", error: { message: err?.message ?? String(e), ...(err?.stderr ? { stderr: err.stderr } : {}), ...(typeof err?.code === "number" ? { code: err.code } : {}) } };
  } finally {
    if (timer) clearTimeout(timer);
    outer.removeEventListener("abort", abort);
  }
}

export function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms} ms`;
}
