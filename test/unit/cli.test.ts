// The CLI as a user runs it (the built bin): graph renders with Graphviz,
// validate points at file:line:col with exit code 2 and no stack trace.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeFiles } from "../support/playbook-files.js";

const bin = join(import.meta.dirname, "../../bin/kubexm.js");
const kubexm = (args: string[], cwd?: string) => {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", cwd, env: { ...process.env, NO_COLOR: "1" } });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const multi = ["test/fixtures/compiler/multi/pipeline.yaml", "-f", "test/fixtures/compiler/cluster6.yaml"];

describe("kubexm CLI", () => {
  it.skipIf(!existsSync("/usr/bin/dot"))("graph --dot of the multi-module pipeline on 6 hosts renders with dot -Tsvg", () => {
    const r = kubexm(["graph", ...multi, "--dot"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('"etcd/install/start@e2" -> "etcd/install/healthy@e1" [label="barrier"');
    expect(r.out).toMatch(/"workers\/join\/restart@w1" \[label="[^"]+", style=dashed/);
    const svg = execFileSync("dot", ["-Tsvg"], { input: r.out }).toString();
    expect(svg).toContain("<svg");
  });

  it("graph --format json and mermaid; the cluster's secrets never appear", () => {
    const json = kubexm(["graph", ...multi, "--format", "json"]);
    expect(JSON.parse(json.out).nodes).toHaveLength(21);
    expect(json.out).not.toContain("sixpass-1");
    const mm = kubexm(["graph", ...multi, "--format", "mermaid", "--cluster-by", "module"]);
    expect(mm.out.startsWith("flowchart LR")).toBe(true);
    expect(mm.out).toContain("-->|barrier|");
  });

  it("validate: ok files say ok", () => {
    const r = kubexm(["validate", ...multi]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("pipeline.yaml: ok (21 nodes");
  });

  it("validate: every bad file at file:line:col, all at once, exit 2, no stack trace", () => {
    const dir = writeFiles({
      "typo.yaml": "kind: Task\nname: t\nsteps:\n  - id: a\n    run: command\n    wiht: { cmd: x }\n",
      "step.yaml": "kind: Task\nname: t\nsteps:\n  - { id: a, run: comand, with: { cmd: x } }\n",
      "param.yaml": "kind: Task\nname: t\nsteps:\n  - id: a\n    run: file\n    with: { path: /x, state: dir }\n",
      "expr.yaml": "kind: Task\nname: t\non: roles.etcd[\nsteps:\n  - { id: a, run: command, with: { cmd: x } }\n",
    });
    const r = kubexm(["validate", "typo.yaml", "step.yaml", "param.yaml", "expr.yaml"], dir);
    expect(r.code).toBe(2);
    expect(r.err).toContain('typo.yaml:6:5: error: unknown field "wiht" in steps[0] (did you mean "with"?)');
    expect(r.err).toContain('step.yaml:4:19: error: unknown step "comand" (did you mean "command"?)');
    expect(r.err).toContain('param.yaml:6:30: error: file: state: must be one of "directory", "absent", "touch", "link"');
    expect(r.err).toContain("expr.yaml:3:15: error: expression error");
    expect(r.err).toContain("4 errors");
    expect(r.err).not.toMatch(/\n\s+at .*\.js:\d+/);
  });

  it("validate: the seed's sample config gives its typos, exit 2", () => {
    const r = kubexm(["validate", "test/fixtures/config/seed-sample.yaml"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('seed-sample.yaml:91:14: error: full-width colon "："');
    expect(r.err).toContain('seed-sample.yaml:53:27: error: spec.controlPlaneEndpoint.internalLoadbalancer: "haproxy| nginx | kube-vip" is not one of');
  });

  it("create config writes a sample that validates", () => {
    const dir = writeFiles({});
    expect(kubexm(["create", "config", "--name", "lab", "-o", "c.yaml"], dir).code).toBe(0);
    expect(kubexm(["validate", "c.yaml"], dir).out).toContain("c.yaml: ok (cluster config, 4 hosts)");
    expect(kubexm(["create", "config", "-o", "c.yaml"], dir).code).toBe(2);
  });

  it("unknown commands and flags: usage error, exit 2", () => {
    const r = kubexm(["frobnicate"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("Unknown argument: frobnicate");
  });

  it("version", () => {
    expect(kubexm(["version"]).out).toMatch(/^kubexm \d+\.\d+\.\d+/);
  });
});
