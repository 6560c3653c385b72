// One-line connection errors that name the host: what the user reads when a
// machine is unreachable, refuses, times out, rejects the credentials, shows a
// changed host key, or drops the connection mid-run.
export class HostConnectionError extends Error {
  constructor(readonly host: string, message: string, readonly reason: string) {
    super(`${host}: ${message}`);
    this.name = "HostConnectionError";
  }
}

export function describeConnectError(host: string, target: string, e: unknown, methods: string[]): HostConnectionError {
  const err = e as NodeJS.ErrnoException & { level?: string };
  const code = err.code ?? "";
  if (code === "ECONNREFUSED") return new HostConnectionError(host, `connection refused by ${target} (is sshd running on that port?)`, "refused");
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return new HostConnectionError(host, `cannot resolve ${target.replace(/:\d+$/, "")} (DNS)`, "dns");
  if (code === "EHOSTUNREACH" || code === "ENETUNREACH") return new HostConnectionError(host, `${target} is unreachable`, "unreachable");
  if (code === "ETIMEDOUT" || /Timed out while waiting for handshake/.test(err.message)) return new HostConnectionError(host, `timed out connecting to ${target}`, "timeout");
  if (err.level === "client-authentication" || /All configured authentication methods failed/.test(err.message)) {
    return new HostConnectionError(host, `authentication failed for ${target} (tried: ${methods.join(", ") || "none"}): check the user, password or key`, "auth");
  }
  if (code === "ECONNRESET") return new HostConnectionError(host, `connection to ${target} was reset`, "dropped");
  return new HostConnectionError(host, `cannot connect to ${target}: ${err.message}`, "other");
}
