// The floor: raw ssh2, one connection per host with setNoDelay(true), hosts in
// parallel, the commands of one host run one after the other.
import { readFileSync } from "node:fs";
import { Client } from "ssh2";
import type { Farm } from "./sshd-farm.js";

function exec(c: Client, cmd: string): Promise<number> {
  return new Promise((resolve, reject) => {
    c.exec(cmd, (err, ch) => {
      if (err) return reject(err);
      let code = 0;
      ch.on("data", () => {});
      ch.stderr.on("data", () => {});
      ch.on("exit", (c2: number) => (code = c2));
      ch.on("close", () => resolve(code));
    });
  });
}

function connectHost(farm: Farm, h: Farm["hosts"][number], key: Buffer): Promise<Client> {
  return new Promise((resolve, reject) => {
    const c = new Client();
    c.once("ready", () => resolve(c));
    c.once("error", reject);
    c.connect({ host: h.address, port: h.port, username: farm.user, privateKey: key, readyTimeout: 20_000 });
    c.setNoDelay(true);
  });
}

/** Runs `commands` (one list per host index) and returns the wall time in ms. */
export async function rawFloor(farm: Farm, commandsFor: (hostIndex: number) => string[]): Promise<number> {
  const key = readFileSync(farm.privateKeyPath);
  const t0 = performance.now();
  await Promise.all(
    farm.hosts.map(async (h, i) => {
      const c = await connectHost(farm, h, key);
      for (const cmd of commandsFor(i)) {
        const code = await exec(c, cmd);
        if (code !== 0) throw new Error(`${h.name}: ${cmd} exited ${code}`);
      }
      c.end();
    }),
  );
  return performance.now() - t0;
}
