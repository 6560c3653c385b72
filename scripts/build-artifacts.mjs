#!/usr/bin/env node
// Release-style artifacts for the test bed's mirror, built from Debian's packages
// (the hosts are air-gapped: like a user's offline site, everything comes from the
// control machine). Layout = what the playbooks download from spec.artifacts.mirror:
//   <root>/etcd/<version>/etcd-<version>-linux-<arch>.tar.gz   (+ .sha256)
// holding etcd-<version>-linux-<arch>/{etcd,etcdctl} as upstream releases do.
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const ARTIFACTS = "/var/cache/kubexm-testbed/artifacts";
const ETCD_ROOT = "/var/cache/kubexm-test/etcd-root";

/** Debian's etcd binaries unpacked (apt-get download + dpkg -x), and their version. */
function debianEtcd() {
  if (!existsSync(join(ETCD_ROOT, "usr/bin/etcd"))) {
    const tmp = mkdtempSync(join(tmpdir(), "kx-etcd-deb-"));
    execFileSync("apt-get", ["download", "-qq", "etcd-server", "etcd-client"], { cwd: tmp, stdio: "ignore" });
    // unpacked beside and renamed into place: another test bed may be unpacking too
    const stage = `${ETCD_ROOT}.${process.pid}`;
    for (const f of readdirSync(tmp)) execFileSync("dpkg", ["-x", join(tmp, f), stage]);
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(join(ETCD_ROOT, ".."), { recursive: true });
    try {
      renameSync(stage, ETCD_ROOT);
    } catch {
      rmSync(stage, { recursive: true, force: true }); // someone else's copy won
    }
  }
  const out = execFileSync(join(ETCD_ROOT, "usr/bin/etcd"), ["--version"]).toString();
  const m = /etcd Version: (\d+\.\d+\.\d+)/.exec(out);
  if (!m) throw new Error(`cannot read the etcd version from: ${out}`);
  return { bin: join(ETCD_ROOT, "usr/bin"), version: `v${m[1]}` };
}

export function buildEtcd(root = ARTIFACTS, arch = "amd64") {
  const { bin, version } = debianEtcd();
  const name = `etcd-${version}-linux-${arch}`;
  const dir = join(root, "etcd", version);
  const tgz = join(dir, `${name}.tar.gz`);
  if (!existsSync(`${tgz}.sha256`)) {
    mkdirSync(dir, { recursive: true });
    const stage = mkdtempSync(join(tmpdir(), "kx-etcd-tar-"));
    mkdirSync(join(stage, name));
    for (const b of ["etcd", "etcdctl"]) copyFileSync(join(bin, b), join(stage, name, b));
    execFileSync("chmod", ["0755", join(stage, name, "etcd"), join(stage, name, "etcdctl")]);
    // written beside and renamed: a concurrent reader never sees half a tarball
    const part = `${tgz}.${process.pid}`;
    execFileSync("tar", ["-czf", part, "--owner=0", "--group=0", "-C", stage, name]);
    rmSync(stage, { recursive: true, force: true });
    const sum = createHash("sha256").update(readFileSync(part)).digest("hex");
    renameSync(part, tgz);
    writeFileSync(`${tgz}.sha256.${process.pid}`, `${sum}  ${name}.tar.gz\n`);
    renameSync(`${tgz}.sha256.${process.pid}`, `${tgz}.sha256`);
  }
  return { version, file: tgz, sha256: readFileSync(`${tgz}.sha256`, "utf8").split(" ")[0] };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (spawnSync("id", ["-u"]).stdout.toString().trim() !== "0") {
    process.stderr.write("build-artifacts: needs root (apt-get download)\n");
    process.exit(2);
  }
  const r = buildEtcd();
  process.stdout.write(`etcd ${r.version}: ${r.file} (sha256 ${r.sha256})\n`);
}
