// Secrets never reach output, logs, state files or graphs: every writer passes text
// and values through one Redactor that knows the secret values and secret keys.
export const MASK = "******";

/**
 * Keys whose values are secrets wherever they appear (config, step params, outputs):
 * password, becomePassword, passphrase, token, secret, privateKey (not privateKeyPath),
 * auth (a docker config's base64 user:password), apiKey, credentials, authorization.
 * `auths` is a map of registries: walked, not masked. "bypass" or "compass" are not secrets.
 */
export function isSecretKey(key: string): boolean {
  const k = key.toLowerCase();
  if (/password|passwd|passphrase|secret|token|api_?key|credential|authorization/.test(k)) return true;
  if (k.includes("privatekey") || k.includes("private_key")) return !k.includes("path") && !k.includes("file");
  return k === "auth" || k === "pass" || /[a-z0-9]Pass$/.test(key) || k.endsWith("_pass");
}

export class Redactor {
  private readonly secrets = new Set<string>();
  private pattern: RegExp | undefined;

  constructor(secrets: Iterable<string> = []) {
    for (const s of secrets) this.add(s);
  }

  /** Registers a secret value (values shorter than 4 characters would mask too much and are ignored). */
  add(secret: string | undefined): void {
    if (!secret || secret.length < 4 || this.secrets.has(secret)) return;
    this.secrets.add(secret);
    this.pattern = undefined;
  }

  get size(): number {
    return this.secrets.size;
  }

  text(s: string): string {
    if (!this.secrets.size || !s) return s;
    this.pattern ??= new RegExp([...this.secrets].sort((a, b) => b.length - a.length).map(escape).join("|"), "g");
    return s.replace(this.pattern, MASK);
  }

  /** A deep copy with secret-named keys masked and secret values replaced. */
  value<T>(v: T, secretKeys: readonly string[] = []): T {
    return this.walk(v, new Set(secretKeys)) as T;
  }

  private walk(v: unknown, extraKeys: Set<string>): unknown {
    if (typeof v === "string") return this.text(v);
    if (Array.isArray(v)) return v.map((x) => this.walk(x, extraKeys));
    if (v && typeof v === "object") {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) {
        out[k] = (isSecretKey(k) || extraKeys.has(k)) && x !== undefined && x !== "" && typeof x !== "object" ? MASK : this.walk(x, extraKeys);
      }
      return out;
    }
    return v;
  }
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
