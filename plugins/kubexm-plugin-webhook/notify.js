// webhook.notify: POST a JSON message to a webhook. From the control machine it uses
// fetch; on a remote host it pipes the body to curl over the step's connection, so
// a host that alone can reach the endpoint can send it.

/** @typedef {{ url: string, method?: "POST"|"PUT", text?: string, body?: unknown, headers?: Record<string,string>, timeoutSeconds?: number, expectStatus?: number[] }} NotifyParams */

/** @type {import("kubexm/plugin").StepPlugin<NotifyParams>} */
export const notify = {
  name: "webhook.notify",
  description: "Send a JSON notification to a webhook URL (Slack-compatible `text`, or any JSON `body`)",
  target: "any",
  secretParams: ["headers", "url"],
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["url"],
    properties: {
      url: { type: "string", pattern: "^https?://", description: "the webhook URL (treated as a secret: it often embeds a token)" },
      method: { enum: ["POST", "PUT"], default: "POST" },
      text: { type: "string", description: 'shortcut for body: { "text": ... } (Slack, Mattermost, Teams)' },
      body: { description: "any JSON value to send" },
      headers: { type: "object", additionalProperties: { type: "string" }, description: "extra headers, e.g. Authorization" },
      timeoutSeconds: { type: "number", minimum: 1, maximum: 300, default: 10 },
      expectStatus: { type: "array", items: { type: "integer" }, description: "accepted HTTP statuses (default any 2xx)" },
    },
    oneOf: [{ required: ["text"], not: { required: ["body"] } }, { required: ["body"], not: { required: ["text"] } }],
  },
  // Sending a message changes no host, so there is nothing to check: the step
  // reports ok (not changed) and a second run of a playbook stays change-free.
  async run(ctx, p) {
    const payload = JSON.stringify(p.body !== undefined ? p.body : { text: p.text });
    const timeout = (p.timeoutSeconds ?? 10) * 1000;
    if (ctx.dryRun) return { changed: false, message: `would send ${payload.length} bytes` };
    const status = ctx.host.local ? await viaFetch(p, payload, timeout, ctx.signal) : await viaCurl(ctx, p, payload, timeout);
    const ok = p.expectStatus ? p.expectStatus.includes(status) : status >= 200 && status < 300;
    if (!ok) throw new Error(`webhook answered HTTP ${status}`);
    ctx.log.info(`webhook answered HTTP ${status}`);
    return { changed: false, outputs: { status } };
  },
};

async function viaFetch(p, payload, timeout, signal) {
  const res = await fetch(p.url, {
    method: p.method ?? "POST",
    headers: { "content-type": "application/json", ...(p.headers ?? {}) },
    body: payload,
    signal: AbortSignal.any([signal, AbortSignal.timeout(timeout)]),
  });
  await res.arrayBuffer();
  return res.status;
}

async function viaCurl(ctx, p, payload, timeout) {
  // headers go through a here-doc-free config on stdin? No: stdin carries the body,
  // so headers are passed as -H arguments, shell-quoted.
  const q = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;
  const headers = Object.entries({ "content-type": "application/json", ...(p.headers ?? {}) })
    .map(([k, v]) => `-H ${q(`${k}: ${v}`)}`)
    .join(" ");
  const cmd = `curl -sS -o /dev/null -w '%{http_code}' -X ${p.method ?? "POST"} ${headers} --data-binary @- --max-time ${Math.ceil(timeout / 1000)} ${q(p.url)}`;
  const r = await ctx.exec(cmd, { sudo: false, stdin: payload, timeout: timeout + 5000 });
  if (r.code !== 0) throw new Error(`curl failed (exit ${r.code}): ${r.stderr.trim().split("\n").pop()}`);
  return Number(r.stdout.trim());
}
