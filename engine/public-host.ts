// What steps and expressions see of a host: its record without the secrets.
import type { HostRecord, PublicHost } from "./types.js";

export function publicHost(h: HostRecord | PublicHost): PublicHost {
  const { password: _p, privateKeyPassphrase: _k, becomePassword: _b, privateKeyPath: _pk, ...pub } = h as HostRecord;
  return Object.freeze({ ...pub, internalAddress: [...pub.internalAddress], labels: { ...pub.labels }, roles: [...pub.roles] });
}
