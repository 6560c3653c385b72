// etcd-health: asks etcd over TLS whether its members are healthy
// (`etcdctl endpoint health [--cluster] -w json`), lists the members and each
// endpoint's status. Read-only; it fails while any endpoint is unhealthy or the
// member count differs from `expectMembers`, so `retries`/`delay` turn it into
// "wait until the cluster is up".
import type { StepContext, StepPlugin } from "../engine/types.js";
import { shq } from "../engine/connections/shell.js";
import { tail } from "./lib/content.js";

interface Params {
  endpoints?: string | string[];
  cacert: string;
  cert: string;
  key: string;
  cluster?: boolean;
  etcdctl?: string;
  expectMembers?: number;
  commandTimeoutSeconds?: number;
}

export interface EndpointHealth {
  endpoint: string;
  health: boolean;
  took?: string;
  error?: string;
}

export interface Member {
  id: string;
  name: string;
  peerURLs: string[];
  clientURLs: string[];
  isLearner: boolean;
}

export interface EndpointStatus {
  endpoint: string;
  version: string;
  dbSize: number;
  leader: string;
  isLeader: boolean;
  raftTerm: number;
}

function base(p: Params): string {
  const eps = ([] as string[]).concat(p.endpoints ?? "https://127.0.0.1:2379").join(",");
  return [
    "ETCDCTL_API=3",
    shq(p.etcdctl ?? "etcdctl"),
    `--endpoints=${shq(eps)}`,
    `--cacert=${shq(p.cacert)}`,
    `--cert=${shq(p.cert)}`,
    `--key=${shq(p.key)}`,
    `--command-timeout=${p.commandTimeoutSeconds ?? 5}s`,
  ].join(" ");
}

/** The JSON document in etcdctl's stdout (one line; zap log lines may surround it). */
export function jsonOf(stdout: string): unknown {
  for (const line of stdout.split("\n")) {
    if (!/^\s*[[{]/.test(line)) continue;
    let doc: unknown;
    try {
      // member and status ids are uint64: keep them exact as strings
      doc = JSON.parse(line.replace(/"(ID|member_id|cluster_id|leader|raft_term|revision)":(\d+)/g, '"$1":"$2"'));
    } catch {
      continue;
    }
    const log = doc && typeof doc === "object" && !Array.isArray(doc) && "level" in doc && "msg" in doc;
    if (!log) return doc;
  }
  throw new Error(`no JSON in etcdctl output: ${tail(stdout)}`);
}

const hex = (v: unknown) => (v === undefined ? "" : BigInt(String(v)).toString(16));

export function parseHealth(stdout: string): EndpointHealth[] {
  const arr = jsonOf(stdout) as { endpoint: string; health: boolean; took?: string; error?: string }[];
  return arr.map((e) => ({ endpoint: e.endpoint, health: !!e.health, took: e.took, ...(e.error ? { error: e.error } : {}) })).sort((a, b) => a.endpoint.localeCompare(b.endpoint));
}

export function parseMembers(stdout: string): Member[] {
  const doc = jsonOf(stdout) as { members?: { ID: string; name?: string; peerURLs?: string[]; clientURLs?: string[]; isLearner?: boolean }[] };
  return (doc.members ?? [])
    .map((m) => ({ id: hex(m.ID), name: m.name ?? "", peerURLs: m.peerURLs ?? [], clientURLs: m.clientURLs ?? [], isLearner: !!m.isLearner }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export function parseStatus(stdout: string): EndpointStatus[] {
  const arr = jsonOf(stdout) as { Endpoint: string; Status: { header?: { member_id?: string; raft_term?: string }; version: string; dbSize: number; leader: string; raftTerm?: string } }[];
  return arr.map((e) => ({
    endpoint: e.Endpoint,
    version: e.Status.version,
    dbSize: e.Status.dbSize,
    leader: hex(e.Status.leader),
    isLeader: e.Status.header?.member_id !== undefined && e.Status.header.member_id === e.Status.leader,
    raftTerm: Number(e.Status.raftTerm ?? e.Status.header?.raft_term ?? 0),
  }));
}

async function etcdctl(ctx: StepContext, p: Params, args: string): Promise<string> {
  const r = await ctx.exec(`${base(p)} ${args}`, { timeout: ((p.commandTimeoutSeconds ?? 5) + 10) * 1000 });
  // `endpoint health` exits 1 when unhealthy but still prints its JSON: parse first
  if (r.code !== 0 && !/^\s*\[/m.test(r.stdout)) {
    throw Object.assign(new Error(`etcdctl ${args.split(" -w")[0]} failed (exit ${r.code}): ${tail(r.stderr || r.stdout)}`), { stderr: r.stderr, code: r.code });
  }
  return r.stdout;
}

const step: StepPlugin<Params> = {
  name: "etcd-health",
  description: "Check etcd health over TLS with etcdctl (every member with cluster: true); outputs members and endpoint status; fails while unhealthy",
  target: "any",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["cacert", "cert", "key"],
    properties: {
      endpoints: {
        oneOf: [{ type: "string" }, { type: "array", items: { type: "string" }, minItems: 1 }],
        default: "https://127.0.0.1:2379",
        description: "client URLs to ask (with cluster: true, one is enough: the others come from the member list)",
      },
      cacert: { type: "string", description: "CA certificate on the host" },
      cert: { type: "string", description: "client certificate on the host" },
      key: { type: "string", description: "client key on the host" },
      cluster: { type: "boolean", default: true, description: "check every member's client URL from the member list" },
      etcdctl: { type: "string", default: "etcdctl", description: "path of etcdctl on the host" },
      expectMembers: { type: "integer", minimum: 1, description: "fail unless the cluster has exactly this many members" },
      commandTimeoutSeconds: { type: "integer", minimum: 1, default: 5 },
    },
  },
  // Read-only: the check only keeps --dry-run from probing a cluster that the
  // dry run did not create; a real run always asks etcd.
  async check(ctx) {
    if (ctx.dryRun) return { done: false, message: "would check etcd health" };
    return { done: false };
  },
  async run(ctx, p) {
    const cluster = p.cluster ?? true ? " --cluster" : "";
    const endpoints = parseHealth(await etcdctl(ctx, p, `endpoint health${cluster} -w json`));
    const sick = endpoints.filter((e) => !e.health);
    if (!endpoints.length || sick.length) {
      throw new Error(`etcd unhealthy: ${sick.map((e) => `${e.endpoint} (${e.error ?? "no answer"})`).join(", ") || "no endpoint answered"}`);
    }
    const members = parseMembers(await etcdctl(ctx, p, "member list -w json"));
    if (p.expectMembers !== undefined && members.length !== p.expectMembers) {
      throw new Error(`etcd has ${members.length} member(s) (${members.map((m) => m.name || m.id).join(", ")}), want ${p.expectMembers}`);
    }
    const status = parseStatus(await etcdctl(ctx, p, `endpoint status${cluster} -w json`));
    const leader = status.find((s) => s.isLeader);
    ctx.log.info(`etcd healthy: ${endpoints.length} endpoint(s), ${members.length} member(s)${leader ? `, leader ${leader.endpoint}` : ""}`);
    return {
      changed: false,
      outputs: { healthy: true, endpoints, members, status, memberNames: members.map((m) => m.name), leader: leader?.endpoint ?? null },
    };
  },
};
export default step;
