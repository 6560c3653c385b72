// Loading plugins: each broken plugin gives one clear message naming it and the
// fix, and the other plugins still load.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadPlugins } from "../../../engine/plugins/load.js";
import type { LoadedProjectConfig } from "../../../engine/plugins/project-config.js";
import { StepRegistry } from "../../../engine/registry.js";

const goodStep = (name: string) => `{ name: "${name}", description: "d", schema: { type: "object" }, async run() { return { changed: false }; } }`;

// package name -> index.js source (undefined: not installed at all)
const fixtures: { name: string; pkg: string; source?: string; error?: string; hint?: RegExp }[] = [
  { name: "a good plugin", pkg: "kubexm-plugin-good", source: `export default { apiVersion: 1, name: "good", version: "1.2.3", steps: [${goodStep("good.hello")}] };` },
  { name: "named exports work too", pkg: "kubexm-plugin-named", source: `export const apiVersion = 1; export const name = "named"; export const version = "1.0.0"; export const steps = [${goodStep("named.x")}];` },
  { name: "unsupported apiVersion", pkg: "kubexm-plugin-future", source: `export default { apiVersion: 2, name: "future", version: "9.0.0", steps: [${goodStep("future.x")}] };`, error: "plugin kubexm-plugin-future: is written for plugin API 2; this kubexm supports 1", hint: /built for apiVersion 1/ },
  { name: "missing apiVersion export", pkg: "kubexm-plugin-empty", source: `export const nothing = 1;`, error: 'plugin kubexm-plugin-empty: exports no "apiVersion"', hint: /definePlugin/ },
  { name: "schema that does not compile", pkg: "kubexm-plugin-badschema", source: `export default { apiVersion: 1, name: "badschema", version: "1.0.0", steps: [{ name: "badschema.x", description: "d", schema: { type: "nonsense" }, async run() { return { changed: false }; } }] };`, error: 'plugin kubexm-plugin-badschema: the schema of step "badschema.x" does not compile', hint: /JSON Schema/ },
  { name: "clash with a built-in step", pkg: "kubexm-plugin-clash", source: `export default { apiVersion: 1, name: "clash", version: "1.0.0", steps: [${goodStep("clash.command")}] };`, error: 'plugin kubexm-plugin-clash: step "clash.command" clashes with a built-in step', hint: /rename/ },
  { name: "step without the plugin prefix", pkg: "kubexm-plugin-noprefix", source: `export default { apiVersion: 1, name: "noprefix", version: "1.0.0", steps: [${goodStep("command")}] };`, error: 'plugin kubexm-plugin-noprefix: step "command" must be named "noprefix.<step>"' },
  { name: "throws while loading", pkg: "kubexm-plugin-throws", source: `throw new Error("boom at load");`, error: "plugin kubexm-plugin-throws: threw while loading: boom at load", hint: /remove/ },
  { name: "recorded but not installed", pkg: "kubexm-plugin-missing", error: "plugin kubexm-plugin-missing: is recorded in the project config but not installed", hint: /kubexm plugin install/ },
  { name: "step without run()", pkg: "kubexm-plugin-norun", source: `export default { apiVersion: 1, name: "norun", version: "1.0.0", steps: [{ name: "norun.x", description: "d", schema: {} }] };`, error: 'plugin kubexm-plugin-norun: step "norun.x" has no run() function' },
];

function project(): LoadedProjectConfig {
  const root = mkdtempSync(join(tmpdir(), "kubexm-plugins-"));
  const pluginDir = join(root, ".kubexm/plugins");
  for (const f of fixtures) {
    if (f.source === undefined) continue;
    const dir = join(pluginDir, "node_modules", f.pkg);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: f.pkg, version: "1.0.0", type: "module", main: "index.js" }));
    writeFileSync(join(dir, "index.js"), f.source);
  }
  const plugins = fixtures.map((f) => ({ package: f.pkg, version: "1.0.0", source: f.pkg }));
  return { config: { plugins }, file: join(root, ".kubexmrc.json"), root, pluginDir };
}

describe("loading plugins", async () => {
  const registry = new StepRegistry();
  // a built-in step of the same name as the clash fixture's step (a real built-in
  // cannot carry a plugin prefix, so the registry is seeded by hand)
  registry.register({ name: "clash.command", description: "pretend built-in", schema: {}, async run() { return { changed: false }; } });
  const { loaded, errors } = await loadPlugins(registry, project());

  for (const f of fixtures) {
    it(f.name, () => {
      if (!f.error) {
        expect(loaded.map((l) => l.record.package)).toContain(f.pkg);
        return;
      }
      const d = errors.find((e) => e.message.startsWith(`plugin ${f.pkg}:`));
      expect(d, `a diagnostic for ${f.pkg}`).toBeDefined();
      expect(d!.message).toContain(f.error);
      if (f.hint) expect(d!.hint).toMatch(f.hint);
    });
  }

  it("registers the good plugins' steps with their origin, despite the broken ones", () => {
    expect(registry.get("good.hello")?.origin).toEqual({ kind: "plugin", plugin: "kubexm-plugin-good", version: "1.2.3" });
    expect(registry.has("named.x")).toBe(true);
    expect(registry.has("badschema.x")).toBe(false);
    expect(errors).toHaveLength(fixtures.filter((f) => f.error).length);
  });

  it("freezes registered plugin steps", () => {
    const step = registry.get("good.hello")!.plugin as any;
    expect(() => {
      step.run = null;
    }).toThrow();
  });
});
