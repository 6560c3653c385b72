// In-process fake hosts on ssh2's Server, for fast engine tests that need a
// misbehaving host: commands answered by a handler, channels refused, the
// connection dropped mid-command. (The real suite uses a real sshd.)
import ssh2 from "ssh2";
import type { Connection as ServerClient } from "ssh2";
import type { AddressInfo } from "node:net";

export interface FakeReply {
  code?: number;
  stdout?: string;
  stderr?: string;
  delayMs?: number;
}

export interface FakeHostOptions {
  password: string;
  handler?: (cmd: string) => FakeReply;
  refuseChannels?: boolean;
}

export interface FakeHost {
  port: number;
  commands: string[];
  dropAll(): void;
  close(): Promise<void>;
}

export async function startFakeHost(o: FakeHostOptions): Promise<FakeHost> {
  const key = ssh2.utils.generateKeyPairSync("ed25519");
  const clients = new Set<ServerClient>();
  const commands: string[] = [];
  const server = new ssh2.Server({ hostKeys: [key.private] }, (client) => {
    clients.add(client);
    client.on("error", () => {});
    client.on("close", () => clients.delete(client));
    client.on("authentication", (ctx) => (ctx.method === "password" && ctx.password === o.password ? ctx.accept() : ctx.reject(["password"])));
    client.on("ready", () => {
      client.on("session", (accept, reject) => {
        if (o.refuseChannels) return reject();
        const session = accept();
        session.on("exec", (acceptExec, _reject, info) => {
          const stream = acceptExec();
          commands.push(info.command);
          const r = o.handler?.(info.command) ?? { stdout: "" };
          setTimeout(() => {
            if (stream.destroyed) return;
            if (r.stdout) stream.write(r.stdout);
            if (r.stderr) stream.stderr.write(r.stderr);
            stream.exit(r.code ?? 0);
            stream.end();
          }, r.delayMs ?? 0);
        });
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    port: (server.address() as AddressInfo).port,
    commands,
    dropAll() {
      // no goodbye: the TCP connection just dies, as when a machine loses power
      for (const c of clients) (c as unknown as { _sock: { destroy(): void } })._sock.destroy();
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
