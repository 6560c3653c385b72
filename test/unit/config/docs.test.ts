// docs/cluster-config.md is the reference: every field of the schema is in it, and
// every default the schema applies is the one the docs state for that field.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const schema = JSON.parse(readFileSync("schemas/cluster.schema.json", "utf8"));
const doc = readFileSync("docs/cluster-config.md", "utf8");

/** [dotted path, property schema] of every property, depth first. */
function fields(s: any, path = ""): [string, any][] {
  const out: [string, any][] = [];
  for (const [k, v] of Object.entries<any>(s?.properties ?? {})) {
    const p = path ? `${path}.${k}` : k;
    out.push([p, v], ...fields(v, p), ...fields(v.items, `${p}[]`));
    if (v.additionalProperties && typeof v.additionalProperties === "object") out.push(...fields(v.additionalProperties, `${p}.*`));
  }
  return out;
}

const all = fields(schema).filter(([p]) => p !== "spec");

describe("docs/cluster-config.md", () => {
  it("names the schema's editor line", () => {
    expect(doc).toContain("# yaml-language-server: $schema=../schemas/cluster.schema.json");
    expect(schema.$id).toBe("https://kubexm.dev/schemas/cluster.schema.json");
  });
  for (const [path, s] of all) {
    const key = path.split(".").at(-1)!.replace("[]", "");
    it(`documents ${path}`, () => {
      expect(doc, key).toMatch(new RegExp("`[^`\\n]*\\b" + key.replace(/[-]/g, "\\-") + "\\b[^`\\n]*`"));
      // a scalar default shows up on the field's table row
      if (["string", "number", "boolean"].includes(typeof s.default) && s.default !== "" && path.startsWith("spec.") && !path.includes(".*")) {
        const [, t, ...rest] = path.split(".");
        const top = t.replace("[]", "");
        const rel = rest.join(".");
        const section = doc.split("\n## ").find((sec) => sec.startsWith(`\`${top}\``)) ?? "";
        const row = section.split("\n").find((l) => l.startsWith(`| \`${rel}\``));
        expect(row, `${path}: a table row in section ${top}`).toBeDefined();
        expect(row, path).toContain(`\`${s.default}\``);
      }
    });
  }
  it("every field has a description in the schema (editors show it)", () => {
    const bare = all.filter(([p, s]) => !s.description && !s.const && !["apiVersion", "kind", "metadata"].includes(p) && !p.includes(".*") && !p.startsWith("roleGroups"));
    expect(bare.map(([p]) => p)).toEqual([]);
  });
});
