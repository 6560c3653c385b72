// kubexm-plugin-webhook: an example community plugin.
// A plugin is a plain object; `definePlugin` from "kubexm/plugin" only adds types,
// so the package needs no runtime dependency on kubexm.
import { notify } from "./notify.js";

/** @type {import("kubexm/plugin").KubexmPlugin} */
export default {
  apiVersion: 1,
  name: "webhook",
  version: "1.0.0",
  steps: [notify],
};
