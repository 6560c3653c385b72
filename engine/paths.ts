// The control machine's work dir, fixed by the seeds:
//   $(pwd)/.kubexm/<cluster>/certs/<component>/
//   $(pwd)/.kubexm/<cluster>/<component>/<version>/<arch>/
//   $(pwd)/.kubexm/<cluster>/container_runtime/<name>/<version>/<arch>/
import { join, resolve } from "node:path";
import type { WorkPaths } from "./types.js";

const RUNTIMES = new Set(["containerd", "docker", "cri-o", "isula", "cri-dockerd", "runc", "crictl"]);

export function workPaths(clusterName: string, workdir = process.cwd(), defaultArch = "amd64"): WorkPaths {
  const root = resolve(workdir, ".kubexm");
  const cluster = join(root, clusterName);
  return {
    root,
    cluster,
    runs: join(cluster, "runs"),
    knownHosts: join(cluster, "known_hosts"),
    certs: (component: string) => join(cluster, "certs", component),
    artifact: (component: string, version: string, arch = defaultArch) =>
      RUNTIMES.has(component) ? join(cluster, "container_runtime", component, version, arch) : join(cluster, component, version, arch),
  };
}
