import { describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/env";
import { addressKey, clientAddress, proxyTrust } from "../client-address";

const forwardedFor = { header: "x-forwarded-for", hops: 1 };

describe("the client address for the per-address limit", () => {
  it("is unknown unless a proxy header is trusted: a client-written X-Forwarded-For counts for nothing", () => {
    expect(proxyTrust(parseEnv({}))).toBeNull();
    const forged = new Headers({ "x-forwarded-for": "203.0.113.9", "x-real-ip": "203.0.113.9" });
    expect(clientAddress(forged, proxyTrust(parseEnv({})))).toBeNull();
  });

  it("takes the entry the trusted proxy appended, ignoring what the client put before it", () => {
    const headers = new Headers({ "x-forwarded-for": "198.51.100.1, 10.0.0.5, 203.0.113.9" });
    expect(clientAddress(headers, forwardedFor)).toBe("203.0.113.9");
    expect(clientAddress(headers, { header: "x-forwarded-for", hops: 2 })).toBe("10.0.0.5");
    expect(clientAddress(new Headers({ "x-forwarded-for": "203.0.113.9" }), { header: "x-forwarded-for", hops: 2 })).toBeNull();
  });

  it("reads a single-address header such as X-Real-IP, and nothing else", () => {
    const trust = proxyTrust(parseEnv({ TRUSTED_PROXY_HEADER: "X-Real-IP" }));
    expect(trust).toEqual({ header: "x-real-ip", hops: 1 });
    expect(clientAddress(new Headers({ "x-real-ip": "203.0.113.9", "x-forwarded-for": "198.51.100.1" }), trust)).toBe("203.0.113.9");
    expect(clientAddress(new Headers({ "x-forwarded-for": "198.51.100.1" }), trust)).toBeNull();
  });

  it("gives no address for a malformed value, so garbage cannot become a key", () => {
    for (const value of ["unknown", "", "203.0.113.9:443", "1.2.3", "<script>", "::g"]) {
      expect(clientAddress(new Headers({ "x-real-ip": value }), { header: "x-real-ip", hops: 1 })).toBeNull();
    }
  });

  it("keys IPv4 as it is (also when mapped into IPv6) and IPv6 by its /64 network", () => {
    expect(addressKey("203.0.113.9")).toBe("203.0.113.9");
    expect(addressKey("::ffff:203.0.113.9")).toBe("203.0.113.9");
    expect(addressKey("2001:db8:1:2:aaaa::1")).toBe("2001:db8:1:2::/64");
    expect(addressKey("[2001:DB8:1:2:bbbb::7]")).toBe("2001:db8:1:2::/64");
  });

  it("refuses a setting that cannot be meant", () => {
    expect(() => parseEnv({ TRUSTED_PROXY_HEADER: "x real ip" })).toThrow(/TRUSTED_PROXY_HEADER: must be a header name/);
    expect(() => parseEnv({ TRUSTED_PROXY_HEADER: "x-forwarded-for", TRUSTED_PROXY_HOPS: "0" })).toThrow(
      /TRUSTED_PROXY_HOPS: must be a whole number from 1 to 10/,
    );
    expect(() => parseEnv({ TRUSTED_PROXY_HEADER: "x-forwarded-for", TRUSTED_PROXY_HOPS: "two" })).toThrow(
      /TRUSTED_PROXY_HOPS: must be a whole number from 1 to 10/,
    );
  });
});
