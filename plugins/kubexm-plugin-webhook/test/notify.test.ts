// The plugin's own tests: webhook.notify against a local HTTP server.
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import plugin from "../index.js";

const received: { method?: string; headers: IncomingMessage["headers"]; body: string }[] = [];
let url = "";
const server = createServer((req, res) => {
  let body = "";
  req.on("data", (c) => (body += c));
  req.on("end", () => {
    received.push({ method: req.method, headers: req.headers, body });
    res.statusCode = req.url === "/fail" ? 500 : 200;
    res.end("ok");
  });
});

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

function ctx(dryRun = false): any {
  const logs: string[] = [];
  return {
    host: { name: "local", local: true },
    dryRun,
    signal: new AbortController().signal,
    log: { info: (m: string) => logs.push(m), warn: () => {}, debug: () => {} },
    exec: async () => ({ code: 1, stdout: "", stderr: "no remote in this test" }),
  };
}

describe("kubexm-plugin-webhook", () => {
  const notify = plugin.steps[0];

  it("exports an apiVersion 1 plugin whose steps are prefixed with its name", () => {
    expect(plugin.apiVersion).toBe(1);
    expect(plugin.steps.map((s) => s.name)).toEqual(["webhook.notify"]);
  });

  const cases = [
    { name: "text becomes a Slack-style body", params: { text: "etcd is up" }, body: { text: "etcd is up" } },
    { name: "a body is sent as given", params: { body: { event: "done", hosts: 3 } }, body: { event: "done", hosts: 3 } },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      received.length = 0;
      const r = await notify.run(ctx(), { url: `${url}/hook`, headers: { authorization: "Bearer t0k3n" }, ...c.params });
      expect(r).toEqual({ changed: false, outputs: { status: 200 } });
      expect(JSON.parse(received[0].body)).toEqual(c.body);
      expect(received[0].headers.authorization).toBe("Bearer t0k3n");
      expect(received[0].headers["content-type"]).toBe("application/json");
    });
  }

  it("fails on a non-2xx answer", async () => {
    await expect(notify.run(ctx(), { url: `${url}/fail`, text: "x" })).rejects.toThrow("webhook answered HTTP 500");
  });

  it("sends nothing in a dry run", async () => {
    received.length = 0;
    const r = await notify.run(ctx(true), { url: `${url}/hook`, text: "x" });
    expect(r.changed).toBe(false);
    expect(received).toHaveLength(0);
  });

  it("marks the url and headers as secrets", () => {
    expect(notify.secretParams).toEqual(["headers", "url"]);
  });
});
