// `kubexm create config`: the sample it writes loads with no error and no warning.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { main } from "../../../engine/cli/main.js";
import { loadClusterConfig, loadClusterConfigText } from "../../../engine/config/load.js";
import { sampleConfig } from "../../../engine/config/sample.js";

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(process.stdout, "write").mockImplementation((s: any) => (out.push(String(s)), true));
  vi.spyOn(process.stderr, "write").mockImplementation((s: any) => (err.push(String(s)), true));
  return { out: () => out.join(""), err: () => err.join("") };
}

afterEach(() => vi.restoreAllMocks());

describe("the sample config", () => {
  const cases: [string, Parameters<typeof sampleConfig>[0]][] = [
    ["defaults", {}],
    ["a name and a version", { name: "prod-1", kubernetesVersion: "v1.31.2" }],
  ];
  for (const [name, opts] of cases) {
    it(`${name}: loads without errors or warnings`, () => {
      const c = loadClusterConfigText("sample.yaml", sampleConfig(opts));
      expect(c.warnings).toEqual([]);
      expect(c.name).toBe(opts?.name ?? "mycluster");
      expect(c.spec.kubernetes.version).toBe(opts?.kubernetesVersion ?? "v1.32.4");
      expect(c.roles.master).toEqual(["node1", "node2", "node3"]);
      expect(c.spec.controlPlaneEndpoint.internalLoadbalancer).toBe("haproxy");
    });
  }
  it("is commented", () => {
    const text = sampleConfig();
    expect(text).toMatch(/^# yaml-language-server: \$schema=/);
    expect(text.split("\n").filter((l) => l.includes("#")).length).toBeGreaterThan(25);
  });
});

describe("kubexm create config", () => {
  it("prints to stdout by default", async () => {
    const io = capture();
    expect(await main(["create", "config", "--name", "demo"])).toBe(0);
    vi.restoreAllMocks();
    expect(loadClusterConfigText("stdout.yaml", io.out()).name).toBe("demo");
  });

  it("writes -o, refuses to overwrite without --force, overwrites with it", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "kubexm-cc-")), "cluster.yaml");
    const io = capture();
    expect(await main(["create", "config", "--with-kubernetes", "v1.30.9", "-o", file])).toBe(0);
    expect((await loadClusterConfig(file)).spec.kubernetes.version).toBe("v1.30.9");
    writeFileSync(file, "mine\n");
    expect(await main(["create", "config", "-o", file])).toBe(2);
    expect(io.err()).toContain(`${file} exists`);
    expect(io.err()).toContain("--force");
    expect(readFileSync(file, "utf8")).toBe("mine\n");
    expect(await main(["create", "config", "-o", file, "--force"])).toBe(0);
    vi.restoreAllMocks();
    expect((await loadClusterConfig(file)).name).toBe("mycluster");
  });

  const usage: [string, string[], string][] = [
    ["a version without v", ["--with-kubernetes", "1.30"], "write a version like v1.32.4"],
    ["a name that is no DNS label", ["--name", "My_Cluster"], "a cluster name is lower-case letters"],
  ];
  for (const [name, args, msg] of usage) {
    it(`exit 2 on ${name}`, async () => {
      const io = capture();
      expect(await main(["create", "config", ...args])).toBe(2);
      expect(io.err()).toContain(msg);
      expect(io.out()).toBe("");
    });
  }
});
