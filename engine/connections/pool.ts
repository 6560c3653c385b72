// One connection per host, opened lazily on first use (one attempt in flight per
// host) and shared by every step on it; "local" is the control machine.
import type { Connection, HostRecord } from "../types.js";
import { KnownHosts, type HostKeyPolicy } from "./known-hosts.js";
import { LocalConnection } from "./local.js";
import { SshConnection } from "./ssh.js";

export interface PoolOptions {
  hosts: HostRecord[];
  knownHostsFile: string;
  hostKeyPolicy?: HostKeyPolicy;
  connectTimeoutMs?: number;
  keepaliveMs?: number;
  /** --ssh-user / -i overrides */
  user?: string;
  privateKeyPath?: string;
}

export class ConnectionPool {
  private readonly conns = new Map<string, Promise<Connection>>();
  private readonly hosts: Map<string, HostRecord>;
  private readonly knownHosts: KnownHosts;
  readonly local = new LocalConnection();

  constructor(private readonly opts: PoolOptions) {
    this.hosts = new Map(opts.hosts.map((h) => [h.name, h]));
    this.knownHosts = new KnownHosts(opts.knownHostsFile, opts.hostKeyPolicy ?? "accept-new");
  }

  get(hostName: string): Promise<Connection> {
    if (hostName === "local") return Promise.resolve(this.local);
    let c = this.conns.get(hostName);
    if (!c) {
      const h = this.hosts.get(hostName);
      if (!h) return Promise.reject(new Error(`unknown host ${hostName}`));
      const host = { ...h, user: this.opts.user ?? h.user, privateKeyPath: this.opts.privateKeyPath ?? h.privateKeyPath };
      c = SshConnection.connect(host, { knownHosts: this.knownHosts, connectTimeoutMs: this.opts.connectTimeoutMs, keepaliveMs: this.opts.keepaliveMs });
      this.conns.set(hostName, c);
    }
    return c;
  }

  async closeAll(): Promise<void> {
    const all = [...this.conns.values()];
    this.conns.clear();
    await Promise.all(all.map((p) => p.then((c) => c.close(), () => undefined)));
  }
}
