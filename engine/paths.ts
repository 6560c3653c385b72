// The control machine's work dir, fixed by the seeds:
//   $(pwd)/.kubexm/<cluster>/certs/<component>/
//   $(pwd)/.kubexm/<cluster>/<component>/<version>/<arch>/
//   $(pwd)/.kubexm/<cluster>/container_runtime/<name>/<version>/<arch>/
//   $(pwd)/.kubexm/<cluster>/runs/ (run state), known_hosts (host keys seen)
import { join, resolve } from "node:path";
import type { WorkPaths } from "./types.js";

/** Components stored under container_runtime/ (the seed's layout for runtimes and their helpers). */
export const CONTAINER_RUNTIMES: ReadonlySet<string> = new Set(["containerd", "docker", "cri-o", "isula", "cri-dockerd", "runc", "crictl"]);

export function workPaths(clusterName: string, workdir = process.cwd(), defaultArch = "amd64"): WorkPaths {
  segment("cluster name", clusterName);
  const root = resolve(workdir, ".kubexm");
  const cluster = join(root, clusterName);
  return {
    root,
    cluster,
    runs: join(cluster, "runs"),
    knownHosts: join(cluster, "known_hosts"),
    certs: (component: string) => join(cluster, "certs", segment("component", component)),
    artifact: (component: string, version: string, arch = defaultArch) => {
      segment("component", component);
      segment("version", version);
      segment("arch", arch);
      return CONTAINER_RUNTIMES.has(component) ? join(cluster, "container_runtime", component, version, arch) : join(cluster, component, version, arch);
    },
  };
}

// every part is one directory name: "../x" or "a/b" would write outside the work dir
function segment(what: string, s: string): string {
  if (!s || s === "." || s === ".." || /[/\\\0]/.test(s)) throw new Error(`kubexm: ${what} "${s}" cannot be a directory name`);
  return s;
}
