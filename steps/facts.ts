// facts: what the host is (OS, arch, CPU, memory, disks, init system, package
// manager, kernel), gathered with one command and parsed by tested functions.
import type { Facts, StepPlugin } from "../engine/types.js";

export const FACTS_COMMAND = [
  "echo '#os'; cat /etc/os-release 2>/dev/null",
  "echo '#uname'; uname -m; uname -r",
  "echo '#hostname'; hostname",
  "echo '#cpus'; nproc 2>/dev/null || grep -c ^processor /proc/cpuinfo",
  "echo '#mem'; grep MemTotal /proc/meminfo",
  "echo '#init'; cat /proc/1/comm 2>/dev/null",
  "echo '#pm'; for p in apt-get dnf yum zypper; do command -v $p >/dev/null 2>&1 && echo $p && break; done",
  "echo '#disks'; lsblk -b -d -n -o NAME,SIZE,TYPE 2>/dev/null | awk '$3==\"disk\"{print $1, $2}'",
].join("; ");

export function parseFacts(out: string): Facts {
  const sections: Record<string, string[]> = {};
  let cur = "";
  for (const line of out.split("\n")) {
    if (line.startsWith("#")) sections[(cur = line.slice(1).trim())] = [];
    else if (cur && line.trim()) sections[cur].push(line.trim());
  }
  const os: Record<string, string> = {};
  for (const l of sections.os ?? []) {
    const m = /^([A-Z_]+)=(.*)$/.exec(l);
    if (m) os[m[1]] = m[2].replace(/^"(.*)"$/, "$1");
  }
  const like = `${os.ID ?? ""} ${os.ID_LIKE ?? ""}`;
  const family = /debian|ubuntu/.test(like) ? "debian" : /rhel|fedora|centos/.test(like) ? "redhat" : /suse/.test(like) ? "suse" : "other";
  const machine = sections.uname?.[0] ?? "";
  const pm = sections.pm?.[0] ?? "";
  return {
    hostname: sections.hostname?.[0] ?? "",
    os: { id: os.ID ?? "unknown", versionId: os.VERSION_ID ?? "", codename: os.VERSION_CODENAME, prettyName: os.PRETTY_NAME ?? "", family },
    arch: machine === "x86_64" ? "amd64" : machine === "aarch64" ? "arm64" : machine,
    kernel: sections.uname?.[1] ?? "",
    cpus: Number(sections.cpus?.[0] ?? 0),
    memoryMB: Math.round(Number(/(\d+)/.exec(sections.mem?.[0] ?? "")?.[1] ?? 0) / 1024),
    initSystem: sections.init?.[0] === "systemd" ? "systemd" : "other",
    packageManager: pm === "apt-get" ? "apt" : pm === "dnf" || pm === "yum" || pm === "zypper" ? pm : "none",
    disks: (sections.disks ?? []).map((l) => {
      const [name, size] = l.split(/\s+/);
      return { name, sizeBytes: Number(size) };
    }),
  };
}

const step: StepPlugin<Record<string, never>> = {
  name: "facts",
  description: "Gather host facts: OS, arch, CPU, memory, disks, init system, package manager, kernel",
  target: "any",
  schema: { type: "object", additionalProperties: false, properties: {} },
  async run(ctx) {
    const r = await ctx.exec(FACTS_COMMAND, { sudo: false });
    const facts = parseFacts(r.stdout);
    return { changed: false, outputs: { ...facts } as unknown as Record<string, unknown> };
  },
};
export default step;
