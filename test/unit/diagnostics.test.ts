import { describe, expect, it } from "vitest";
import { DiagnosticBag, formatDiagnostic } from "../../engine/diagnostics.js";
import { locate, parseYaml } from "../../engine/source.js";

describe("yaml source locations", () => {
  const cases: { name: string; text: string; path: (string | number)[]; key?: boolean; at: [number, number] }[] = [
    { name: "nested map value", text: "a:\n  b: 1\n  c: x\n", path: ["a", "c"], at: [3, 6] },
    { name: "seq item", text: "list:\n  - one\n  - two\n", path: ["list", 1], at: [3, 5] },
    { name: "key of a pair", text: "a:\n  bad: 1\n", path: ["a", "bad"], key: true, at: [2, 3] },
    { name: "missing path falls back to parent", text: "a:\n  b: 1\n", path: ["a", "zzz"], at: [2, 3] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const bag = new DiagnosticBag();
      const src = parseYaml("x.yaml", c.text, bag);
      const loc = locate(src, c.path, { key: c.key });
      expect([loc.line, loc.col]).toEqual(c.at);
    });
  }

  it("syntax errors carry line and column and print a code frame", () => {
    const bag = new DiagnosticBag();
    parseYaml("bad.yaml", "a: 1\nb: [1, 2\nc: 3\n", bag);
    expect(bag.errors.length).toBeGreaterThan(0);
    const text = formatDiagnostic(bag.errors[0]);
    expect(text).toMatch(/^bad\.yaml:\d+:\d+: error: /);
    expect(text).toContain("|");
  });
});
