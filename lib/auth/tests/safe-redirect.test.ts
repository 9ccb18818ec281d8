import { describe, expect, it } from "vitest";
import { safeRedirectPath } from "../safe-redirect";

/** Each of these, as `next`, would send a browser to another host (or nowhere useful): all must give the fallback. */
const ATTACKS: [string, string][] = [
  ["an encoded backslash", "/%5Cevil.example/"],
  ["an encoded backslash, lower case", "/%5cevil.example/"],
  ["a raw backslash", "/\\evil.example/"],
  ["two raw backslashes", "\\\\evil.example"],
  ["a slash and a backslash", "/\\/evil.example"],
  ["an encoded tab", "/%09/evil.example/"],
  ["a raw tab", "/\t/evil.example/"],
  ["a raw newline", "/\n/evil.example"],
  ["a raw carriage return", "/\r/evil.example"],
  ["an encoded CR LF (header splitting)", "/%0d%0aLocation:%20https://evil.example"],
  ["a NUL", "/\u0000/evil.example"],
  ["a C1 control character", "/\u0085/evil.example"],
  ["an encoded C1 control character", "/%C2%85/evil.example"],
  ["a line separator", "/\u2028/evil.example"],
  ["a protocol-relative URL", "//evil.example/"],
  ["a protocol-relative URL with a path", "//evil.example/t/member"],
  ["an encoded slash after the first", "/%2Fevil.example/"],
  ["an encoded slash, lower case", "/%2fevil.example"],
  ["a double-encoded slash", "/%252Fevil.example/"],
  ["a double-encoded backslash", "/%255Cevil.example/"],
  ["a triple-encoded slash", "/%25252Fevil.example/"],
  ["a dot segment that leaves //", "/.//evil.example/"],
  ["a double-dot segment that leaves //", "/a/..//evil.example/"],
  ["an encoded dot segment that leaves //", "/%2e//evil.example/"],
  ["an absolute URL", "https://evil.example/"],
  ["an absolute URL without slashes", "https:evil.example"],
  ["a javascript: URL", "javascript:alert(1)"],
  ["a data: URL", "data:text/html,<script>alert(1)</script>"],
  ["a relative path", "evil.example"],
  ["a leading space", " /t/member"],
  ["sign-in itself (a loop)", "/sign-in"],
  ["sign-in with its own next", "/sign-in?next=%2F%5Cevil.example"],
  ["sign-in through a dot segment", "/t/../sign-in"],
  ["an empty string", ""],
  ["a path too long to be ours", `/${"a".repeat(2001)}`],
];

/** Paths of the app (with queries and hashes) that must come back as they are. */
const GOOD: string[] = [
  "/",
  "/t/member",
  "/t/member?sort=name&dir=desc",
  "/t/member?filter=city%3AReno&page=2",
  "/t/member?q=a%2Fb%5Cc",
  "/t/friend/2#history",
  "/activity?actor=u_123&from=2026-01-01",
  "/t/staff/abc123",
  "/sign-in-help",
  // An @ in a path names no host: it stays a path of this app.
  "/@evil.example/not-a-host",
];

describe("safeRedirectPath", () => {
  it.each(ATTACKS)("refuses %s", (_, next) => {
    expect(safeRedirectPath(next)).toBe("/");
    expect(safeRedirectPath(next, "/activity")).toBe("/activity");
  });

  it.each(GOOD)("keeps %s, query and hash included", (next) => {
    expect(safeRedirectPath(next)).toBe(next);
  });

  it("returns the normalised path, never the raw one", () => {
    expect(safeRedirectPath("/t/./member/../friend?sort=name")).toBe("/t/friend?sort=name");
    expect(safeRedirectPath("/t/member?q=two words")).toBe("/t/member?q=two%20words");
  });

  it("gives the fallback when next is missing", () => {
    expect(safeRedirectPath(undefined)).toBe("/");
    expect(safeRedirectPath(null, "/t/member")).toBe("/t/member");
  });

  it("never returns anything a browser would resolve to another origin", () => {
    for (const [, next] of ATTACKS) {
      const target = new URL(safeRedirectPath(next), "https://records.example");
      expect(target.origin).toBe("https://records.example");
    }
  });
});
