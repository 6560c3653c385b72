// Builds the StepContext a step (built-in or plugin) runs with. Steps see a
// facade of the connection (its methods only, never the ssh2 client), the host
// without its secrets, and a logger that redacts.
import { isAbsolute, resolve as resolvePath } from "node:path";
import { publicHost } from "./public-host.js";
import type { Redactor } from "./redact.js";
import type { Connection, ExecOptions, Facts, HostRecord, Logger, PublicHost, StepContext, WorkPaths } from "./types.js";

export interface StepContextInput {
  host: HostRecord | PublicHost;
  conn: Connection;
  local: Connection;
  become: boolean;
  paths: WorkPaths;
  facts?: Facts;
  log: Logger;
  signal: AbortSignal;
  dryRun: boolean;
  assumeYes: boolean;
  interactive: boolean;
  baseDir: string;
  nodeId: string;
  runId: string;
  redactor: Redactor;
}

/** Only the Connection interface's methods, bound: no way to reach the client behind it. */
export function connectionFacade(c: Connection): Connection {
  return Object.freeze({
    hostName: c.hostName,
    exec: c.exec.bind(c),
    put: c.put.bind(c),
    get: c.get.bind(c),
    readFile: c.readFile.bind(c),
    writeFile: c.writeFile.bind(c),
    stat: c.stat.bind(c),
    sha256: c.sha256.bind(c),
    close: async () => {}, // steps never close the shared connection
  });
}

export function createStepContext(i: StepContextInput): StepContext {
  const conn = connectionFacade(i.conn);
  const isLocal = i.host.name === "local" || !!i.host.local;
  return {
    host: publicHost(i.host),
    conn,
    local: connectionFacade(i.local),
    become: i.become,
    exec: (cmd: string, opts: ExecOptions = {}) => conn.exec(cmd, { sudo: isLocal ? false : i.become, signal: i.signal, ...opts }),
    paths: i.paths,
    facts: i.facts,
    log: i.log,
    signal: i.signal,
    dryRun: i.dryRun,
    assumeYes: i.assumeYes,
    interactive: i.interactive,
    resolve: (p: string) => (isAbsolute(p) ? p : resolvePath(i.baseDir, p)),
    nodeId: i.nodeId,
    runId: i.runId,
    addSecret: (v: string) => i.redactor.add(v),
  };
}
