// Shared pieces of the config tests: a small valid cluster to build bad ones from,
// and the loader's diagnostics flattened to "message" + "line:col".
import { loadClusterConfigText } from "../../../engine/config/load.js";
import { KubexmError, type Diagnostic } from "../../../engine/diagnostics.js";

/** lines 1-4 */
export const head = "apiVersion: kubexm.mensylisir.io/v1alpha1\nkind: Cluster\nmetadata: { name: t }\nspec:\n";
/** lines 5-8 */
export const hosts3 =
  "  hosts:\n" +
  "    - { name: n1, address: 10.0.0.1, password: s3cret-pw }\n" +
  "    - { name: n2, address: 10.0.0.2, privateKeyPath: /k }\n" +
  '    - { name: n3, address: 10.0.0.3, internalAddress: "10.0.0.3,fd00::3" }\n';
/** lines 9-12 */
export const roles = '  roleGroups:\n    etcd: [n1, n2, n3]\n    master: [n1]\n    worker: ["n[2:3]"]\n';

export interface Found {
  message: string;
  at: string;
  severity: string;
  hint?: string;
}

/** Every diagnostic (errors thrown, or warnings of a config that loaded). */
export function diagnosticsOf(text: string, file = "c.yaml"): Found[] {
  const flat = (ds: Diagnostic[]) => ds.map((d) => ({ message: d.message, at: `${d.loc?.line}:${d.loc?.col}`, severity: d.severity, hint: d.hint }));
  try {
    return flat(loadClusterConfigText(file, text).warnings);
  } catch (e) {
    if (!(e instanceof KubexmError)) throw e;
    return flat(e.diagnostics);
  }
}
