import { describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/env";
import { requestHost, trustedHosts } from "../trusted-hosts";

describe("the host a server action's Origin is compared with", () => {
  it("ignores a forged X-Forwarded-Host when no host is trusted: Host decides", () => {
    const headers = new Headers({ host: "127.0.0.1:3000", "x-forwarded-host": "evil.example" });
    expect(requestHost(headers, trustedHosts(parseEnv({})))).toBe("127.0.0.1:3000");
  });

  it("takes X-Forwarded-Host from the proxy only when it names a trusted host", () => {
    const trusted = trustedHosts(parseEnv({ TRUSTED_HOSTS: " Records.Example.com, records.example.com:8443 " }));
    expect(trusted).toEqual(["records.example.com", "records.example.com:8443"]);
    const proxied = new Headers({ host: "app:3000", "x-forwarded-host": "records.example.com" });
    expect(requestHost(proxied, trusted)).toBe("records.example.com");
    const listed = new Headers({ host: "app:3000", "x-forwarded-host": "RECORDS.example.com:8443, other.example" });
    expect(requestHost(listed, trusted)).toBe("records.example.com:8443");
    const forged = new Headers({ host: "app:3000", "x-forwarded-host": "evil.example, records.example.com" });
    expect(requestHost(forged, trusted)).toBe("app:3000");
  });

  it("has no host when the request names none", () => {
    expect(requestHost(new Headers({ "x-forwarded-host": "evil.example" }), [])).toBeNull();
  });

  it("refuses entries that are not plain host names", () => {
    for (const entry of ["https://records.example.com", "*.example.com", "records.example.com/app", "a b"]) {
      expect(() => parseEnv({ TRUSTED_HOSTS: entry })).toThrow(/TRUSTED_HOSTS\.0: takes host names/);
    }
    expect(trustedHosts(parseEnv({ TRUSTED_HOSTS: "[::1]:3000,localhost" }))).toEqual(["[::1]:3000", "localhost"]);
  });
});
