// The built-in steps, one file each (file name = step name). A unit test checks
// that every file in steps/ is listed here, with a schema, a description and docs.
import type { StepPlugin } from "../engine/types.js";
import checksum from "./checksum.js";
import command from "./command.js";
import confirm from "./confirm.js";
import download from "./download.js";
import etcdHealth from "./etcd-health.js";
import extract from "./extract.js";
import facts from "./facts.js";
import fetch from "./fetch.js";
import file from "./file.js";
import hostname from "./hostname.js";
import hostsFile from "./hosts-file.js";
import httpCheck from "./http-check.js";
import lineInFile from "./line-in-file.js";
import modprobe from "./modprobe.js";
import pkiCa from "./pki-ca.js";
import pkiCert from "./pki-cert.js";
import pkg from "./package.js";
import print from "./print.js";
import reportTable from "./report-table.js";
import script from "./script.js";
import service from "./service.js";
import swapOff from "./swap-off.js";
import sysctl from "./sysctl.js";
import template from "./template.js";
import timezone from "./timezone.js";
import upload from "./upload.js";
import waitPort from "./wait-port.js";

export const builtinSteps: StepPlugin[] = [
  checksum,
  command,
  confirm,
  download,
  etcdHealth,
  extract,
  facts,
  fetch,
  file,
  hostname,
  hostsFile,
  httpCheck,
  lineInFile,
  modprobe,
  pkiCa,
  pkiCert,
  pkg,
  print,
  reportTable,
  script,
  service,
  swapOff,
  sysctl,
  template,
  timezone,
  upload,
  waitPort,
];
