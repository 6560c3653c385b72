import { defineConfig } from "vitest/config";

// Real test hosts (systemd-nspawn, needs root): one file at a time, long timeouts.
export default defineConfig({
  test: {
    include: ["test/e2e/**/*.test.ts"],
    testTimeout: 900_000,
    hookTimeout: 1_800_000,
    fileParallelism: false,
    reporters: ["default", "./test/closing-line-reporter.ts"],
    pool: "forks",
  },
});
