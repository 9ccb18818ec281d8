/**
 * The client's network address, for the per-address sign-in limit: taken only from a
 * header that a proxy in front of the app is configured to set, never from one the
 * client could have written itself.
 *
 * Next 16 gives a server action no socket: `next start` copies the socket's address
 * into X-Forwarded-For only when the request has none, so without a proxy that
 * overwrites or appends to that header its value is whatever the client sent.
 * Hence the default: no trusted header, no address, no per-address limit (the
 * per-email limit still holds).
 *
 *  - TRUSTED_PROXY_HEADER: the header the proxy sets, e.g. `x-real-ip`,
 *    `cf-connecting-ip` (one address, overwritten by the proxy), or `x-forwarded-for`.
 *  - TRUSTED_PROXY_HOPS (default 1): for a list header such as `x-forwarded-for`, how
 *    many trusted proxies append to it; the client is that many entries from the right
 *    (anything further left was written by the client and is ignored).
 */
import { isIP } from "node:net";
import ipaddr from "ipaddr.js";
import { env, type Env } from "@/lib/env";

export type ProxyTrust = { header: string; hops: number } | null;

/** IPv6 clients get a whole /64 each (one household or host), so rotating inside it gains nothing. */
const IPV6_PREFIX = 64;

/** The proxy configuration (lib/env.ts checks both settings). */
export function proxyTrust(config: Pick<Env, "TRUSTED_PROXY_HEADER" | "TRUSTED_PROXY_HOPS"> = env()): ProxyTrust {
  return config.TRUSTED_PROXY_HEADER ? { header: config.TRUSTED_PROXY_HEADER, hops: config.TRUSTED_PROXY_HOPS } : null;
}

/** The key of one address: IPv4 as is (IPv4-mapped IPv6 unwrapped), IPv6 as its /64 network. */
export function addressKey(raw: string): string | null {
  const text = raw.trim().replace(/^\[(.*)\]$/, "$1");
  // Strict dotted-quad or IPv6 only: ipaddr.js also takes legacy forms such as "1.2.3".
  if (isIP(text) === 0) return null;
  const address = ipaddr.process(text);
  if (address.kind() === "ipv4") return address.toString();
  return `${ipaddr.IPv6.networkAddressFromCIDR(`${address.toString()}/${IPV6_PREFIX}`).toString()}/${IPV6_PREFIX}`;
}

/**
 * The client's address key, or null when no proxy is trusted or the trusted header is
 * missing or malformed (then only the per-email limit applies).
 *
 * @example
 * clientAddress(new Headers({ "x-forwarded-for": "198.51.100.7, 203.0.113.9" }), { header: "x-forwarded-for", hops: 1 })
 * // "203.0.113.9": the address the one trusted proxy saw; the first entry is the client's own claim
 */
export function clientAddress(headers: Headers, trust: ProxyTrust = proxyTrust()): string | null {
  if (!trust) return null;
  const value = headers.get(trust.header);
  if (!value) return null;
  const entries = value.split(",").map((entry) => entry.trim());
  const entry = entries.length >= trust.hops ? entries[entries.length - trust.hops] : undefined;
  return entry ? addressKey(entry) : null;
}
