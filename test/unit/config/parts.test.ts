// The loader's small parts on their own: host ranges, CIDR arithmetic, the
// full-width colon fixer, work paths and the redactor.
import { describe, expect, it } from "vitest";
import { expandHostRange } from "../../../engine/config/ranges.js";
import { cidrContains, cidrsOverlap, ipToBigInt, parseCidr } from "../../../engine/config/net.js";
import { fixFullWidthColons } from "../../../engine/config/typos.js";
import { DiagnosticBag } from "../../../engine/diagnostics.js";
import { workPaths } from "../../../engine/paths.js";
import { MASK, Redactor, isSecretKey } from "../../../engine/redact.js";

describe("host ranges", () => {
  const cases: [string, string[] | string][] = [
    ["node1", ["node1"]],
    [" node1 ", ["node1"]],
    ["node[5:6]", ["node5", "node6"]],
    ["node[8:10]", ["node8", "node9", "node10"]],
    ["node[01:03]", ["node01", "node02", "node03"]],
    ["node[098:101]", ["node098", "node099", "node100", "node101"]],
    ["rack[1:2]-a", ["rack1-a", "rack2-a"]],
    ["n[3:3]", ["n3"]],
    ["n[3:2]", "range n[3:2] counts down: write n[2:3]"],
    ["n[1:20000]", "range n[1:20000] is larger than 10000 hosts"],
  ];
  for (const [entry, want] of cases) {
    it(entry, () => expect(expandHostRange(entry)).toEqual(typeof want === "string" ? { error: want } : { names: want }));
  }
});

describe("CIDRs", () => {
  const parse: [string, boolean][] = [
    ["10.233.64.0/18", true],
    ["10.233.64.0/33", false],
    ["10.233.64.0", false],
    ["10.233.64/18", false],
    ["fd85:ee78:d8a6:8607::1:0000/112", true],
    ["fd85::/129", false],
    ["::ffff:10.0.0.0/104", true],
    ["x/8", false],
    ["10.0.0.0/8/1", false],
  ];
  for (const [text, ok] of parse) it(`parse ${text}`, () => expect(!!parseCidr(text)).toBe(ok));

  const overlap: [string, string, boolean][] = [
    ["10.233.0.0/16", "10.233.0.0/18", true],
    ["10.233.64.0/18", "10.233.0.0/18", false],
    ["10.0.0.0/8", "fd00::/8", false],
    ["fd85:ee78:d8a6:8607::1:0000/112", "fd85:ee78:d8a6:8607::1000/116", false],
    ["fd85::/16", "fd85:1::/32", true],
  ];
  for (const [a, b, want] of overlap) it(`${a} vs ${b}`, () => expect(cidrsOverlap(parseCidr(a)!, parseCidr(b)!)).toBe(want));

  const contains: [string, string, boolean][] = [
    ["10.0.0.0/24", "10.0.0.255", true],
    ["10.0.0.0/24", "10.0.1.0", false],
    ["2022::/64", "2022::4", true],
    ["2022::/64", "10.0.0.1", false],
    ["10.0.0.0/24", "node1", false],
  ];
  for (const [c, ip, want] of contains) it(`${c} contains ${ip}`, () => expect(cidrContains(parseCidr(c)!, ip)).toBe(want));

  it("reads embedded IPv4 in IPv6", () => expect(ipToBigInt("::ffff:1.2.3.4")).toEqual({ value: 0xffff01020304n, version: 6 }));
});

describe("full-width colons", () => {
  const cases: [string, string, number][] = [
    ["version： 1.7.6\n", "version: 1.7.6\n", 1],
    ["  - name： a\n", "  - name: a\n", 1],
    ["x: { a： 1, b： 2 }\n", "x: { a: 1, b: 2 }\n", 2],
    ["k: 说明：x\n", "k: 说明：x\n", 0],
    ["# 时区：UTC\n", "# 时区：UTC\n", 0],
    ['k: "a：b"\n', 'k: "a：b"\n', 0],
  ];
  for (const [text, fixed, n] of cases) {
    it(JSON.stringify(text), () => {
      const bag = new DiagnosticBag();
      expect(fixFullWidthColons("f.yaml", text, bag)).toBe(fixed);
      expect(bag.errors).toHaveLength(n);
    });
  }
});

describe("work paths (the seed's layout)", () => {
  const p = workPaths("mycluster", "/w");
  const cases: [string, string][] = [
    [p.root, "/w/.kubexm"],
    [p.cluster, "/w/.kubexm/mycluster"],
    [p.certs("etcd"), "/w/.kubexm/mycluster/certs/etcd"],
    [p.certs("kubernetes"), "/w/.kubexm/mycluster/certs/kubernetes"],
    [p.artifact("etcd", "v3.5.21", "arm64"), "/w/.kubexm/mycluster/etcd/v3.5.21/arm64"],
    [p.artifact("kubernetes", "v1.32.4"), "/w/.kubexm/mycluster/kubernetes/v1.32.4/amd64"],
    [p.artifact("containerd", "1.7.6"), "/w/.kubexm/mycluster/container_runtime/containerd/1.7.6/amd64"],
    [p.artifact("docker", "27.5.1", "arm64"), "/w/.kubexm/mycluster/container_runtime/docker/27.5.1/arm64"],
    [p.runs, "/w/.kubexm/mycluster/runs"],
    [p.knownHosts, "/w/.kubexm/mycluster/known_hosts"],
  ];
  cases.forEach(([got, want], i) => it(`${i}: ${want}`, () => expect(got).toBe(want)));
  it("refuses names that would leave the work dir", () => {
    expect(() => workPaths("../x", "/w")).toThrow(/cannot be a directory name/);
    expect(() => p.artifact("etcd", "../../etc")).toThrow(/cannot be a directory name/);
    expect(() => p.certs("a/b")).toThrow(/cannot be a directory name/);
  });
});

describe("redaction", () => {
  const keys: [string, boolean][] = [
    ["password", true], ["becomePassword", true], ["privateKeyPassphrase", true], ["token", true], ["bearerToken", true],
    ["privateKey", true], ["privateKeyPath", false], ["auth", true], ["auths", false], ["apiKey", true], ["client_secret", true],
    ["sshPass", true], ["bypass", false], ["compass", false], ["username", false], ["address", false],
  ];
  for (const [k, want] of keys) it(`key ${k} is ${want ? "" : "not "}secret`, () => expect(isSecretKey(k)).toBe(want));

  it("masks secret values in text and secret keys in values, deep, without touching the input", () => {
    const r = new Redactor(["Qcloud@123"]);
    r.add("reg-pass-9");
    r.add("abc"); // too short to mask safely in free text
    const input = { hosts: [{ name: "n1", password: "whatever-it-is", note: "pw is Qcloud@123" }], registry: { auths: { "r.io": { username: "u", password: "reg-pass-9", auth: "dTpw" } } }, list: ["reg-pass-9"] };
    const out = r.value(input);
    const json = JSON.stringify(out);
    for (const s of ["Qcloud@123", "reg-pass-9", "whatever-it-is", "dTpw"]) expect(json).not.toContain(s);
    expect(out.hosts[0]).toEqual({ name: "n1", password: MASK, note: `pw is ${MASK}` });
    expect(out.registry.auths["r.io"].username).toBe("u");
    expect(input.hosts[0].password).toBe("whatever-it-is");
    expect(r.text("login Qcloud@123 then reg-pass-9; abc stays")).toBe(`login ${MASK} then ${MASK}; abc stays`);
    expect(r.value({ cmd: "x" }, ["cmd"])).toEqual({ cmd: MASK });
  });

  it("a secret with regex characters is matched literally", () => {
    const r = new Redactor(["a.b*c(d)"]);
    expect(r.text("x a.b*c(d) y axbbc")).toBe(`x ${MASK} y axbbc`);
  });
});
