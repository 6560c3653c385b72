// pki-ca and pki-cert on the control machine, checked with the real openssl:
// signatures verify, SANs (IPv4 and IPv6), key usages, reuse on a second run,
// reissue when the request or the CA changes.
import { execFileSync } from "node:child_process";
import { readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import pkiCa from "../../../steps/pki-ca.js";
import pkiCert from "../../../steps/pki-cert.js";
import { localContext, tempDir } from "./local-context.js";

const openssl = (...args: string[]) => execFileSync("openssl", args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
const text = (crt: string) => openssl("x509", "-noout", "-text", "-in", crt);

async function apply<P>(step: { check?: Function; run: Function }, ctx: any, p: P) {
  const c = await step.check!(ctx, p);
  if (c.done) return { status: "ok", outputs: c.outputs, message: c.message };
  const r = await step.run(ctx, p);
  return { status: r.changed ? "changed" : "ok", outputs: r.outputs, message: c.message };
}

function setup() {
  const dir = tempDir();
  const ctx = localContext(dir);
  const ca = { dir: "certs/etcd", cn: "etcd-ca" };
  return { dir, ctx, ca, certs: join(dir, "certs/etcd") };
}

describe("pki-ca", () => {
  it("creates a CA that openssl reads as a CA, key 0600, sha256WithRSA", async () => {
    const { ctx, ca, certs } = setup();
    const r = await apply(pkiCa, ctx, ca);
    expect(r.status).toBe("changed");
    expect(r.outputs.cert).toBe(join(certs, "ca.crt"));
    const t = text(join(certs, "ca.crt"));
    expect(t).toContain("Subject: CN = etcd-ca");
    expect(t).toContain("CA:TRUE");
    expect(t).toMatch(/Certificate Sign, CRL Sign/);
    expect(t).toContain("Signature Algorithm: sha256WithRSAEncryption");
    expect(t).toContain("Public-Key: (2048 bit)");
    expect(statSync(join(certs, "ca.key")).mode & 0o777).toBe(0o600);
    expect(openssl("rsa", "-check", "-noout", "-in", join(certs, "ca.key"))).toContain("RSA key ok");
    // self-signed: verifies against itself
    expect(openssl("verify", "-CAfile", join(certs, "ca.crt"), join(certs, "ca.crt")).trim()).toMatch(/: OK$/);
    const fp = openssl("x509", "-noout", "-fingerprint", "-sha256", "-in", join(certs, "ca.crt")).trim().split("=")[1];
    expect(r.outputs.fingerprint).toBe(fp);
  });

  it("is reused on a second run (ok, same fingerprint)", async () => {
    const { ctx, ca, certs } = setup();
    const first = await apply(pkiCa, ctx, ca);
    const before = readFileSync(join(certs, "ca.crt"), "utf8");
    const second = await apply(pkiCa, ctx, ca);
    expect(second.status).toBe("ok");
    expect(second.outputs.fingerprint).toBe(first.outputs.fingerprint);
    expect(readFileSync(join(certs, "ca.crt"), "utf8")).toBe(before);
  });

  it.each([
    ["near expiry", (_c: string) => {}, { days: 10, renewBeforeDays: 5 }, { days: 100, renewBeforeDays: 15 }, /expires in 9 days/],
    ["key missing", (c: string) => rmSync(join(c, "ca.key")), {}, {}, /ca.key does not exist/],
    ["garbage cert", (c: string) => writeFileSync(join(c, "ca.crt"), "not a cert"), {}, {}, /does not parse/],
  ])("is replaced when %s", async (_n, spoil, first, later, why) => {
    const { ctx, ca, certs } = setup();
    const r1 = await apply(pkiCa, ctx, { ...ca, ...first });
    spoil(certs);
    const c = await pkiCa.check!(ctx, { ...ca, ...later });
    expect(c.done).toBe(false);
    expect(c.message).toMatch(why);
    const again = await apply(pkiCa, ctx, { ...ca, ...later });
    expect(again.status).toBe("changed");
    expect(again.outputs.fingerprint).not.toBe(r1.outputs.fingerprint);
    expect((await apply(pkiCa, ctx, { ...ca, ...later })).status).toBe("ok");
  });

  it("supports bigger keys and an organization", async () => {
    const { ctx, certs } = setup();
    await apply(pkiCa, ctx, { dir: certs, cn: "kubernetes", organization: "kubexm", keyBits: 3072, days: 100 });
    const t = text(join(certs, "ca.crt"));
    expect(t).toContain("Public-Key: (3072 bit)");
    expect(t).toContain("Subject: CN = kubernetes, O = kubexm");
  });
});

describe("pki-cert", () => {
  const member = {
    caDir: "certs/etcd",
    name: "member-node1",
    cn: "node1",
    usages: "peer",
    sans: ["node1", "172.16.0.2", "172.16.0.2", "2022::2", "localhost", "127.0.0.1", "::1", null, ""],
  };

  it("issues a peer cert that openssl verifies, with v4 and v6 SANs and both EKUs", async () => {
    const { ctx, ca, certs } = setup();
    await apply(pkiCa, ctx, ca);
    const r = await apply(pkiCert, ctx, member);
    expect(r.status).toBe("changed");
    const crt = join(certs, "member-node1.crt");
    expect(openssl("verify", "-CAfile", join(certs, "ca.crt"), crt).trim()).toBe(`${crt}: OK`);
    const t = text(crt);
    expect(t).toContain("Subject: CN = node1");
    expect(t).toContain("Issuer: CN = etcd-ca");
    expect(t).toContain("Signature Algorithm: sha256WithRSAEncryption");
    expect(t).toMatch(/DNS:node1, DNS:localhost, IP Address:172\.16\.0\.2, IP Address:2022:0:0:0:0:0:0:2, IP Address:127\.0\.0\.1, IP Address:0:0:0:0:0:0:0:1/);
    expect(t).toContain("TLS Web Server Authentication, TLS Web Client Authentication");
    expect(t).toContain("Digital Signature, Key Encipherment");
    expect(t).toContain("CA:FALSE");
    expect(t).toMatch(/X509v3 Authority Key Identifier/);
    // the key is the cert's pair
    const certMod = openssl("x509", "-noout", "-modulus", "-in", crt);
    expect(openssl("rsa", "-noout", "-modulus", "-in", join(certs, "member-node1.key"))).toBe(certMod);
    expect(statSync(join(certs, "member-node1.key")).mode & 0o777).toBe(0o600);
    expect(r.outputs).toMatchObject({ cert: crt, key: join(certs, "member-node1.key"), ca: join(certs, "ca.crt") });
    expect(r.outputs.sans).toHaveLength(6);
  });

  it.each([
    ["server", "TLS Web Server Authentication", "Client Authentication"],
    ["client", "TLS Web Client Authentication", "Server Authentication"],
  ])("usage %s gives only its EKU", async (usage, has, hasNot) => {
    const { ctx, ca, certs } = setup();
    await apply(pkiCa, ctx, ca);
    await apply(pkiCert, ctx, { caDir: certs, name: usage, cn: usage, usages: [usage] });
    const t = text(join(certs, `${usage}.crt`));
    expect(t).toContain(has);
    expect(t).not.toContain(hasNot);
    expect(openssl("verify", "-CAfile", join(certs, "ca.crt"), "-purpose", usage === "server" ? "sslserver" : "sslclient", join(certs, `${usage}.crt`))).toMatch(/OK/);
  });

  it("is reused on a second run: ok, same serial and fingerprint", async () => {
    const { ctx, ca } = setup();
    await apply(pkiCa, ctx, ca);
    const first = await apply(pkiCert, ctx, member);
    // the same SANs in another order and spelling ask for the same cert
    const second = await apply(pkiCert, ctx, { ...member, sans: ["::1", "127.0.0.1", "LOCALHOST", "2022:0:0::2", "172.16.0.2", "node1"] });
    expect(second.status).toBe("ok");
    expect(second.outputs.serial).toBe(first.outputs.serial);
    expect(second.outputs.fingerprint).toBe(first.outputs.fingerprint);
  });

  it.each([
    ["a SAN is added", { sans: [...member.sans, "2022::99"] }, /has SANs .* want .*2022:0000:0000:0000:0000:0000:0000:0099/],
    ["a SAN is removed", { sans: ["node1"] }, /has SANs/],
    ["the usage changes", { usages: "server" }, /usages differ/],
    ["the CN changes", { cn: "node1.example" }, /has CN "node1", want "node1.example"/],
    ["the organization changes", { organization: "system:masters" }, /has O=\(none\), want system:masters/],
    ["it nears expiry", { days: 100, renewBeforeDays: 15 }, /expires in 9 days \(renew threshold 15\)/, { days: 10, renewBeforeDays: 5 }],
  ])("is reissued when %s", async (_n, change, why, firstExtra = {}) => {
    const { ctx, ca, certs } = setup();
    await apply(pkiCa, ctx, ca);
    const first = await apply(pkiCert, ctx, { ...member, ...firstExtra });
    const c = await pkiCert.check!(ctx, { ...member, ...change } as any);
    expect(c.done).toBe(false);
    expect(c.message).toMatch(why);
    const again = await apply(pkiCert, ctx, { ...member, ...change });
    expect(again.status).toBe("changed");
    expect(again.outputs.serial).not.toBe(first.outputs.serial);
    const crt = join(certs, "member-node1.crt");
    expect(openssl("verify", "-CAfile", join(certs, "ca.crt"), crt).trim()).toBe(`${crt}: OK`);
    expect((await apply(pkiCert, ctx, { ...member, ...change })).status).toBe("ok");
  });

  it("is reissued when the CA was replaced", async () => {
    const { ctx, ca, certs } = setup();
    await apply(pkiCa, ctx, ca);
    await apply(pkiCert, ctx, member);
    rmSync(join(certs, "ca.crt"));
    await apply(pkiCa, ctx, ca);
    const c = await pkiCert.check!(ctx, member as any);
    expect(c.message).toMatch(/is not signed by .*ca\.crt/);
    await apply(pkiCert, ctx, member);
    const crt = join(certs, "member-node1.crt");
    expect(openssl("verify", "-CAfile", join(certs, "ca.crt"), crt).trim()).toBe(`${crt}: OK`);
  });

  it("never outlives its CA", async () => {
    const { ctx, certs } = setup();
    await apply(pkiCa, ctx, { dir: certs, cn: "short", days: 200 });
    const r = await apply(pkiCert, ctx, { caDir: certs, name: "x", cn: "x", usages: "client", days: 3650, renewBeforeDays: 0 });
    const ca = openssl("x509", "-noout", "-enddate", "-in", join(certs, "ca.crt"));
    expect(openssl("x509", "-noout", "-enddate", "-in", join(certs, "x.crt"))).toBe(ca);
    expect(r.status).toBe("changed");
  });

  it("refuses a renewal threshold that would reissue on every run", async () => {
    const { ctx, ca } = setup();
    await apply(pkiCa, ctx, ca);
    await expect(pkiCert.check!(ctx, { ...member, days: 30, renewBeforeDays: 30 } as any)).rejects.toThrow(/renewBeforeDays \(30\) must be less than days \(30\)/);
    await expect(pkiCa.check!(ctx, { ...ca, days: 10 } as any)).rejects.toThrow(/renewBeforeDays \(30\) must be less than days \(10\)/);
  });

  it("fails clearly without a CA", async () => {
    const { ctx } = setup();
    const c = await pkiCert.check!(ctx, member as any);
    expect(c.message).toMatch(/CA .*ca\.crt does not exist yet/);
    await expect(pkiCert.run(ctx, member as any)).rejects.toThrow(/not found: run pki-ca first/);
  });
});
