// The compile-time expression context: config, vars, roles and hosts; no facts,
// no outputs (those exist only at run time).
import type { LoadedCluster } from "../config/types.js";
import type { ExprContext } from "../expressions/types.js";
import { workPaths } from "../paths.js";
import { publicHost } from "../public-host.js";

export { publicHost };
import { LOCAL_HOST, type PublicHost } from "../types.js";

export const LOCAL_RECORD: PublicHost = {
  name: LOCAL_HOST,
  address: "127.0.0.1",
  internalAddress: ["127.0.0.1"],
  port: 0,
  user: process.env.USER ?? "root",
  arch: process.arch === "arm64" ? "arm64" : "amd64",
  labels: {},
  roles: [],
  local: true,
};

export function compileContext(cluster: LoadedCluster, vars: Record<string, unknown>, workdir?: string): ExprContext {
  const hosts: Record<string, PublicHost> = {};
  for (const h of cluster.hosts) hosts[h.name] = publicHost(h);
  return {
    cluster: { name: cluster.name, spec: cluster.spec },
    vars,
    roles: cluster.roles,
    hosts,
    all: cluster.hosts.map((h) => h.name),
    local: LOCAL_HOST,
    paths: workPaths(cluster.name, workdir),
  };
}
