export const KUBEXM_VERSION = "0.1.0";
