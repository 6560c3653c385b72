import { describe, expect, it } from "vitest";
import { normalizeIp, sameSans, splitSans } from "../../../engine/pki/sans.js";

describe("normalizeIp", () => {
  it.each([
    ["127.0.0.1", "127.0.0.1"],
    ["::1", "0000:0000:0000:0000:0000:0000:0000:0001"],
    ["0:0:0:0:0:0:0:1", "0000:0000:0000:0000:0000:0000:0000:0001"],
    ["2022::2", "2022:0000:0000:0000:0000:0000:0000:0002"],
    ["FD85:EE78::1:0", "fd85:ee78:0000:0000:0000:0000:0001:0000"],
    ["::ffff:10.0.0.1", "0000:0000:0000:0000:0000:ffff:0a00:0001"],
    ["::", "0000:0000:0000:0000:0000:0000:0000:0000"],
  ])("%s -> %s", (ip, want) => expect(normalizeIp(ip)).toBe(want));
});

describe("splitSans", () => {
  it("splits DNS and IPs, drops empties and duplicates, lowercases names", () => {
    expect(splitSans(["Node1", "node1", "", "  ", "172.16.0.2", "2022::2", "2022:0::2", "[::1]", "localhost"])).toEqual({
      dns: ["node1", "localhost"],
      ips: ["172.16.0.2", "2022:0000:0000:0000:0000:0000:0000:0002", "0000:0000:0000:0000:0000:0000:0000:0001"],
    });
  });
  it("compares as sets", () => {
    expect(sameSans(splitSans(["a", "::1", "1.2.3.4"]), splitSans(["1.2.3.4", "0::1", "A"]))).toBe(true);
    expect(sameSans(splitSans(["a", "1.2.3.4"]), splitSans(["a"]))).toBe(false);
  });
});
