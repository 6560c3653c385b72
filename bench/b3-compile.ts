// B3 compile scale: a create-cluster-shaped pipeline compiled for 1,000 and 5,000
// hosts (3 masters, 3 etcd, the rest workers). Prints times, the growth ratio
// (target: 1,000 well under 2 s, growth <= linear: ratio <= 6) and peak memory.
import { mkdtempSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compile } from "../engine/compiler/compile.js";
import { loadClusterConfig } from "../engine/config/load.js";
import { loadPlaybook } from "../engine/playbook/load.js";
import { defaultRegistry } from "../engine/steps-registry.js";

const T = (name: string, on: string, steps: string) => `kind: Task\nname: ${name}\non: ${on}\nsteps:\n${steps}`;

export function writePipeline(dir: string): string {
  const f = (p: string, s: string) => (mkdirSync(join(dir, p, ".."), { recursive: true }), writeFileSync(join(dir, p), s));
  f("create.yaml", `kind: Pipeline
name: create-cluster
modules:
  - { id: preflight, use: m/preflight.yaml }
  - { id: os, use: m/os.yaml, needs: [preflight] }
  - { id: assets, use: m/assets.yaml, needs: [preflight] }
  - { id: pki, use: m/pki.yaml, needs: [assets] }
  - { id: etcd, use: m/etcd.yaml, needs: [os, pki] }
  - { id: runtime, use: m/runtime.yaml, needs: [os, assets] }
  - { id: kubernetes, use: m/kubernetes.yaml, needs: [etcd, runtime] }
finally:
  - { id: report, use: t/report.yaml }
`);
  f("m/preflight.yaml", "kind: Module\nname: preflight\ntasks:\n  - { id: facts, use: ../t/facts.yaml }\n");
  f("m/os.yaml", "kind: Module\nname: os\ntasks:\n  - { id: prepare, use: ../t/os.yaml }\n");
  f("m/assets.yaml", "kind: Module\nname: assets\ntasks:\n  - { id: download, use: ../t/download.yaml }\n");
  f("m/pki.yaml", "kind: Module\nname: pki\ntasks:\n  - { id: certs, use: ../t/pki.yaml }\n");
  f("m/etcd.yaml", "kind: Module\nname: etcd\ntasks:\n  - { id: install, use: ../t/etcd.yaml }\n");
  f("m/runtime.yaml", "kind: Module\nname: runtime\ntasks:\n  - { id: containerd, use: ../t/runtime.yaml }\n");
  f("m/kubernetes.yaml", "kind: Module\nname: kubernetes\ntasks:\n  - { id: init, use: ../t/init.yaml }\n  - { id: join, use: ../t/join.yaml, needs: [init] }\n");
  f("t/facts.yaml", T("facts", "all", "  - { id: gather, run: facts }\n"));
  f("t/os.yaml", T("os", "all", `  - { id: hostname, run: hostname, with: { name: "\${{ host.name }}" } }
  - { id: hosts, run: hosts-file, with: { entries: [{ ip: 10.0.0.1, names: [lb] }] } }
  - { id: swap, run: swap-off }
  - { id: sysctl, run: sysctl, needs: [swap], with: { values: { net.ipv4.ip_forward: 1 } } }
  - { id: br, run: modprobe, with: { name: br_netfilter } }
  - { id: tz, run: timezone, with: { name: UTC } }
`));
  f("t/download.yaml", T("download", "local", ["etcd", "containerd", "kubelet", "kubeadm"].map((c) => `  - { id: ${c}, run: download, with: { url: "http://mirror/${c}.tgz", dest: "/tmp/${c}.tgz" } }\n`).join("")));
  f("t/pki.yaml", T("pki", "local", `  - { id: ca, run: command, with: { cmd: "true" } }
  - { id: member, run: command, needs: [ca], loop: "$append(roles.etcd, roles.master)", loopKey: item, with: { cmd: "echo \${{ item }}" } }
`));
  f("t/etcd.yaml", T("etcd", "roles.etcd", `  - { id: bin, run: upload, with: { src: /tmp/etcd, dest: /usr/local/bin/etcd } }
  - { id: conf, run: template, with: { src: etcd.njk, dest: /etc/etcd.yml } }
  - { id: start, run: service, needs: [bin, conf], with: { name: etcd } }
  - { id: healthy, run: command, on: "roles.etcd[0]", needs: ["start@all"], with: { cmd: "etcdctl endpoint health" } }
`));
  f("t/runtime.yaml", T("runtime", "all", `  - { id: bin, run: upload, with: { src: /tmp/containerd, dest: /usr/bin/containerd } }
  - { id: conf, run: template, with: { src: c.njk, dest: /etc/containerd/config.toml } }
  - { id: start, run: service, needs: [bin, conf], with: { name: containerd } }
`));
  f("t/init.yaml", T("init", "roles.master[0]", "  - { id: kubeadm, run: command, with: { cmd: kubeadm init } }\n"));
  f("t/join.yaml", T("join", "roles.worker", `  - { id: kubeadm, run: command, with: { cmd: "\${{ $output('init/kubeadm', 'stdout') }}" } }
  - { id: ready, run: command, needs: [kubeadm], with: { cmd: "true" } }
`));
  f("t/report.yaml", T("report", "local", "  - { id: done, run: print, with: { message: done } }\n"));
  return join(dir, "create.yaml");
}

export function writeConfig(dir: string, n: number): string {
  const hosts: string[] = [];
  for (let i = 1; i <= n; i++) hosts.push(`    - { name: n${i}, address: 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}, privateKeyPath: /k }`);
  const file = join(dir, `cluster-${n}.yaml`);
  writeFileSync(file, `apiVersion: kubexm.mensylisir.io/v1alpha1\nkind: Cluster\nmetadata: { name: b3 }\nspec:\n  hosts:\n${hosts.join("\n")}\n  roleGroups:\n    etcd: ["n[1:3]"]\n    master: ["n[1:3]"]\n    worker: ["n[4:${n}]"]\n  controlPlaneEndpoint: { internalLoadbalancer: haproxy }\n  network: { kubePodsCIDR: 172.16.0.0/16, kubeServiceCIDR: 172.17.0.0/16 }\n`);
  return file;
}

async function timeCompile(pipeline: string, cfg: string) {
  const t0 = performance.now();
  const [pb, cluster] = await Promise.all([loadPlaybook(pipeline), loadClusterConfig(cfg)]);
  const t1 = performance.now();
  const g = await compile(pb, cluster, { registry: defaultRegistry() });
  const t2 = performance.now();
  return { loadMs: t1 - t0, compileMs: t2 - t1, totalMs: t2 - t0, nodes: g.nodes.length, edges: g.edges.length };
}

export async function b3(): Promise<Record<string, number>> {
  console.log("\nB3 compile scale: create-cluster-shaped pipeline, 3 masters + 3 etcd + workers");
  const dir = mkdtempSync(join(tmpdir(), "kubexm-b3-"));
  const pipeline = writePipeline(dir);
  await timeCompile(pipeline, writeConfig(dir, 50)); // warm-up: module loading, JIT
  const out: Record<string, number> = {};
  for (const n of [1000, 5000]) {
    const r = await timeCompile(pipeline, writeConfig(dir, n));
    out[`ms${n}`] = r.totalMs;
    console.log(`  ${String(n).padStart(5)} hosts: ${r.totalMs.toFixed(0).padStart(6)} ms (load ${r.loadMs.toFixed(0)} ms + compile ${r.compileMs.toFixed(0)} ms), ${r.nodes} nodes, ${r.edges} edges`);
  }
  out.growth = out.ms5000 / out.ms1000;
  const rss = process.resourceUsage().maxRSS / 1024;
  console.log(`  growth 1,000 -> 5,000 hosts: ${out.growth.toFixed(2)}x (target <= 6x; 1,000 hosts target well under 2000 ms)`);
  console.log(`  peak memory (max RSS): ${rss.toFixed(0)} MiB`);
  out.peakRssMiB = rss;
  return out;
}
