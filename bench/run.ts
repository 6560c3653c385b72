// `npm run bench`: every benchmark, figures printed as ratios measured in one run.
// Select some with `npm run bench -- b1 b3`.
const wanted = new Set(process.argv.slice(2).map((a) => a.toLowerCase()));
const all: [string, () => Promise<unknown>][] = [
  ["b1", async () => (await import("./b1-overhead.js")).b1()],
  ["b2", async () => (await import("./b2-barriers.js")).b2()],
  ["b3", async () => (await import("./b3-compile.js")).b3()],
];

let failed = false;
for (const [name, fn] of all) {
  if (wanted.size && !wanted.has(name)) continue;
  try {
    await fn();
  } catch (e) {
    failed = true;
    console.error(`${name}: ${(e as Error).message}`);
  }
}
process.exitCode = failed ? 1 : 0;
