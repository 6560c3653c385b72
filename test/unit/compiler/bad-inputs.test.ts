// Bad playbooks: each gives a clear message at the exact file:line:col (the
// cluster config's bad inputs are in test/unit/config/load.test.ts).
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compile } from "../../../engine/compiler/compile.js";
import { loadClusterConfig } from "../../../engine/config/load.js";
import { KubexmError } from "../../../engine/diagnostics.js";
import { loadPlaybook } from "../../../engine/playbook/load.js";
import { writeFiles } from "../../support/playbook-files.js";
import { testRegistry } from "../../support/test-registry.js";

const cluster = await loadClusterConfig("test/fixtures/compiler/cluster6.yaml");
const T = "kind: Task\nname: t\n"; // lines 1-2

// name, files (main.yaml is compiled), [file, line:col, message substring][]
const bad: [string, Record<string, string>, [string, string, string][]][] = [
  ["YAML syntax error", { "main.yaml": T + "steps:\n  - { id: a, run: t.remote\n" }, [["main.yaml", "5:1", "Flow map in block collection must be sufficiently indented and end with a }"]]],
  ["missing kind", { "main.yaml": "name: t\nsteps: []\n" }, [["main.yaml", "1:1", "missing kind: (Pipeline, Module or Task)"]]],
  ["unknown kind", { "main.yaml": "kind: Tsak\nname: t\n" }, [["main.yaml", "1:7", 'unknown kind "Tsak" (did you mean "Task"?)']]],
  ["field typo", { "main.yaml": T + "steps:\n  - id: a\n    run: t.remote\n    nedds: [b]\n" }, [["main.yaml", "6:5", 'unknown field "nedds" in steps[0] (did you mean "needs"?)']]],
  ["wrong type", { "main.yaml": T + "steps:\n  - { id: a, run: t.remote, retries: many }\n" }, [["main.yaml", "4:38", "steps[0].retries must be an integer, not string \"many\""]]],
  ["bad duration", { "main.yaml": T + "steps:\n  - { id: a, run: t.remote, delay: 3x }\n" }, [["main.yaml", "4:36", "steps[0].delay: \"3x\" has the wrong form"]]],
  ["bad serial", { "main.yaml": T + 'serial: "150%"\nsteps:\n  - { id: a, run: t.remote }\n' }, [["main.yaml", "3:9", "serial: \"150%\" has the wrong form"]]],
  ["bad step id", { "main.yaml": T + "steps:\n  - { id: Bad Id, run: t.remote }\n" }, [["main.yaml", "4:11", '"Bad Id" has the wrong form']]],
  ["missing use file", { "main.yaml": "kind: Module\nname: m\ntasks:\n  - { id: a, use: nope.yaml }\n" }, [["main.yaml", "4:19", "use: file not found"]]],
  ["use cycle", { "main.yaml": "kind: Module\nname: m\ntasks:\n  - { id: a, use: a.yaml }\n", "a.yaml": "kind: Module\nname: a\ntasks:\n  - { id: b, use: main.yaml }\n" }, [["a.yaml", "4:19", "use: cycle:"]]],
  ["module using a pipeline", { "main.yaml": "kind: Module\nname: m\ntasks:\n  - { id: a, use: p.yaml }\n", "p.yaml": "kind: Pipeline\nname: p\nmodules:\n  - { id: x, use: main.yaml }\n" }, [["main.yaml", "4:19", "use: p.yaml is a Pipeline; here only Task files can be used"]]],
  ["duplicate step id", { "main.yaml": T + "steps:\n  - { id: a, run: t.remote }\n  - { id: a, run: t.remote }\n" }, [["main.yaml", "5:11", 'duplicate step id "a"']]],
  ["duplicate unit id", { "main.yaml": "kind: Module\nname: m\ntasks:\n  - { id: a, use: t.yaml }\n  - { id: a, use: t.yaml }\n", "t.yaml": T + "steps:\n  - { id: s, run: t.remote }\n" }, [["main.yaml", "5:11", 'duplicate id "a"']]],
  ["unknown need", { "main.yaml": T + "steps:\n  - { id: bin, run: t.remote }\n  - { id: b, run: t.remote, needs: [bni] }\n" }, [["main.yaml", "5:37", 'needs "bni", which is not a sibling (did you mean "bin"?)']]],
  ["needs itself", { "main.yaml": T + "steps:\n  - { id: a, run: t.remote, needs: [a] }\n" }, [["main.yaml", "4:37", '"a" needs itself']]],
  ["expression syntax in when", { "main.yaml": T + "steps:\n  - id: a\n    run: t.remote\n    when: host.name = \n" }, [["main.yaml", "6:21", "expression error: Unexpected end of expression in `host.name =`"]]],
  ["unknown name in on", { "main.yaml": T + "on: role.etcd\nsteps:\n  - { id: a, run: t.remote }\n" }, [["main.yaml", "3:5", 'unknown name "role"']]],
  ["unclosed ${{", { "main.yaml": T + "steps:\n  - id: a\n    run: t.remote\n    with: { x: \"v-${{ vars.a \" }\n" }, [["main.yaml", "6:19", "unclosed `${{`"]]],
  ["expression error inside ${{ }}", { "main.yaml": T + "steps:\n  - id: a\n    run: t.remote\n    with: { x: \"${{ vars.a + }}\" }\n" }, [["main.yaml", "6:28", "expression error: Unexpected end of expression in `vars.a +`"]]],
  ["unknown step", { "main.yaml": T + "steps:\n  - { id: a, run: t.remot }\n" }, [["main.yaml", "4:19", 'unknown step "t.remot" (did you mean "t.remote"?)']]],
  ["step parameter typo", { "main.yaml": T + "steps:\n  - id: a\n    run: t.typed\n    with:\n      dest: /x\n      mdoe: \"0644\"\n" }, [["main.yaml", "8:7", 't.typed: unknown parameter "mdoe"']]],
  ["step parameter missing", { "main.yaml": T + "steps:\n  - id: a\n    run: t.typed\n    with: { mode: \"0644\" }\n" }, [["main.yaml", "6:11", 't.typed: missing required parameter "dest"']]],
  ["step parameter pattern", { "main.yaml": T + "steps:\n  - id: a\n    run: t.typed\n    with: { dest: /x, mode: \"644\" }\n" }, [["main.yaml", "6:29", "t.typed: mode: must match pattern"]]],
  ["on gives an unknown host", { "main.yaml": T + "steps:\n  - { id: a, run: t.remote, on: \"'e9'\" }\n" }, [["main.yaml", "4:33", 'on: `\'e9\'` gives "e9", which is not a host of the cluster (did you mean "e1"?)']]],
  ["local-only step on remote hosts", { "main.yaml": T + "steps:\n  - { id: a, run: t.local, on: roles.etcd }\n" }, [["main.yaml", "4:32", 'step "t.local" runs on the control machine only']]],
  ["$output of an unknown step", { "main.yaml": T + "steps:\n  - id: a\n    run: t.remote\n    on: roles.master\n    with: { x: \"${{ $output('nope/s', 'k') }}\" }\n" }, [["main.yaml", "7:11", "$output('nope/s'): no step \"nope/s\" in this playbook"]]],
  ["cycle between steps", { "main.yaml": T + "on: roles.master\nsteps:\n  - { id: a, run: t.remote, needs: [b] }\n  - { id: b, run: t.remote, needs: [a] }\n" }, [["main.yaml", "5:11", "dependency cycle: t/a@m1 -> t/b@m1 -> t/a@m1"]]],
  ["unknown --limit host", { "main.yaml": T + "steps:\n  - { id: a, run: t.remote }\n" }, [["", "", '--limit names host "w9"']]],
];

async function errorsOf(files: Record<string, string>, limit?: string[]) {
  const dir = writeFiles(files);
  try {
    await compile(await loadPlaybook(join(dir, "main.yaml")), cluster, { registry: testRegistry(), limit });
  } catch (e) {
    if (!(e instanceof KubexmError)) throw e;
    return e.diagnostics.map((d) => ({ file: d.loc ? d.loc.file.split("/").pop() : "", at: d.loc ? `${d.loc.line}:${d.loc.col}` : "", message: d.message }));
  }
  return [];
}

describe("bad playbooks point at file:line:col", () => {
  for (const [name, files, expected] of bad) {
    it(name, async () => {
      const got = await errorsOf(files, name.includes("--limit") ? ["w9"] : undefined);
      for (const [file, at, msg] of expected) {
        expect(got, JSON.stringify(got, null, 1)).toContainEqual({ file, at, message: expect.stringContaining(msg) });
      }
    });
  }

  it("reports every problem at once", async () => {
    const got = await errorsOf({ "main.yaml": T + "on: role.etcd\nsteps:\n  - { id: a, run: t.remot }\n  - { id: b, run: t.remote, needs: [zz] }\n" });
    expect(got.map((g) => g.message)).toEqual([
      expect.stringContaining('unknown name "role"'),
      expect.stringContaining('needs "zz"'),
    ]);
  });
});
