// Secrets of the cluster config never reach anything public: the redacted spec,
// the public hosts, error messages and their code frames, warnings.
import { describe, expect, it } from "vitest";
import { loadClusterConfig, loadClusterConfigText } from "../../../engine/config/load.js";
import { KubexmError, formatDiagnostic } from "../../../engine/diagnostics.js";
import { publicHost } from "../../../engine/public-host.js";
import { Redactor } from "../../../engine/redact.js";
import { head } from "./helpers.js";

const SECRETS = ["Qcloud@123", "change-me"];

function failure(text: string, file: string): string {
  try {
    loadClusterConfigText(file, text);
  } catch (e) {
    if (!(e instanceof KubexmError)) throw e;
    return e.diagnostics.map((d) => formatDiagnostic(d)).join("\n") + "\n" + e.message;
  }
  throw new Error("expected the config to fail");
}

describe("redaction of the config's secrets", () => {
  it("the redacted spec, the public hosts and the roles hold no secret", async () => {
    const c = await loadClusterConfig("examples/cluster.yaml");
    const r = new Redactor(c.secrets);
    const shown = [JSON.stringify(r.value(c.spec)), JSON.stringify(c.hosts.map((h) => publicHost(h))), JSON.stringify(c.roles), JSON.stringify(r.value(c.hosts))];
    for (const s of shown) for (const secret of SECRETS) expect(s).not.toContain(secret);
    expect(r.text("ssh ubuntu with Qcloud@123")).toBe("ssh ubuntu with ******");
  });

  it("code frames of errors on a host line blank its password, carets keep their column", () => {
    const text = head + '  hosts:\n    - { name: n1, address: 10.0.0.1, password: "Sup3r-Secret", port: ssh }\n';
    const out = failure(text, "frame-1.yaml");
    expect(out).toContain('port must be an integer, not string "ssh"');
    expect(out).not.toContain("Sup3r-Secret");
    expect(out).toContain('password: **************, port: ssh }');
    // the caret is under "ssh" (col 72)
    const lines = out.split("\n");
    const caretLine = lines[lines.findIndex((l) => l.includes("> 6 |")) + 1];
    expect(caretLine.indexOf("^") - caretLine.indexOf("|")).toBe(lines.find((l) => l.includes("> 6 |"))!.indexOf("ssh }") - lines.find((l) => l.includes("> 6 |"))!.indexOf("|"));
  });

  it("a password of the wrong type is not echoed in the message", () => {
    const text = head + "  hosts:\n    - { name: n1, address: 10.0.0.1, password: 87654321 }\n  registry:\n    auths:\n      r.io: { password: [tok-1234] }\n";
    const out = failure(text, "frame-2.yaml");
    expect(out).toContain("spec.hosts[0].password must be a string");
    expect(out).not.toContain("87654321");
  });

  it("the seed's sample (errors on lines with passwords) prints none", async () => {
    const e = (await loadClusterConfig("test/fixtures/config/seed-sample.yaml").catch((x) => x)) as KubexmError;
    const out = e.diagnostics.map((d) => formatDiagnostic(d)).join("\n");
    expect(out).toContain("host node7 reuses internal address 2022::2");
    expect(out).not.toContain("Qcloud@123");
  });

  it("warnings are redacted too", () => {
    const text = head + '  hosts:\n    - { name: n1, address: 10.0.0.1, password: "w4rn-secret" }\n    - { name: n2, address: 10.0.0.2 }\n  roleGroups: { etcd: [n2], worker: [n2] }\n';
    const c = loadClusterConfigText("frame-3.yaml", text);
    const out = c.warnings.map((d) => formatDiagnostic(d)).join("\n");
    expect(out).toContain("host n1 is in no role group");
    expect(out).toContain('password: *************');
    expect(out).not.toContain("w4rn-secret");
  });
});
