// Every built-in step file is registered, named after its file, documented, with a
// schema that compiles, a description, and a check when it can change a host.
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { builtinSteps } from "../../steps/index.js";
import { defaultRegistry } from "../../engine/steps-registry.js";

const files = readdirSync("steps").filter((f) => f.endsWith(".ts") && f !== "index.ts").map((f) => f.replace(/\.ts$/, ""));
const docs = readFileSync("docs/steps.md", "utf8");
// steps that only read or report: they change no host, so they need no check
const READ_ONLY = new Set(["print", "report-table", "confirm", "facts", "wait-port", "http-check", "checksum"]);

describe("built-in step registry", () => {
  it("registers every file in steps/ under its file name", () => {
    expect(builtinSteps.map((s) => s.name).sort()).toEqual(files.sort());
  });

  it("compiles every schema (the registry refuses a bad one)", () => {
    expect(defaultRegistry().names()).toHaveLength(files.length);
  });

  for (const s of builtinSteps) {
    it(`${s.name}: description, docs section, check where it changes hosts`, () => {
      expect(s.description.length).toBeGreaterThan(10);
      expect(docs).toContain(`### ${s.name}\n`);
      expect((s.schema as { additionalProperties?: boolean }).additionalProperties).toBe(false);
      if (!READ_ONLY.has(s.name)) expect(typeof s.check, `${s.name} changes hosts: it needs a check`).toBe("function");
    });
  }
});
