// Prints the plain closing line CI reads: "N passed, N failed, N skipped".
// vitest's own summary ("Tests  3 passed (3)") does not match that form.
import type { Reporter, TestModule } from "vitest/node";

export default class ClosingLineReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const mod of testModules) {
      for (const test of mod.children.allTests()) {
        const state = test.result().state;
        if (state === "passed") passed++;
        else if (state === "failed") failed++;
        else skipped++;
      }
      // a file that failed to load, or whose beforeAll failed (its tests then show as
      // skipped), must count as a failure
      const tests = Array.from(mod.children.allTests());
      if (mod.state() === "failed" && !tests.some((t) => t.result().state === "failed")) failed++;
    }
    failed += unhandledErrors.length;
    process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
