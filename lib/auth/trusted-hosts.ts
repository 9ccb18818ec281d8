/**
 * The hosts this app is served at, for Next's server-action origin check. Next compares
 * a POST's Origin with X-Forwarded-Host (or Host), and anyone can write X-Forwarded-Host:
 * a forged pair (`Origin: https://evil.example`, `X-Forwarded-Host: evil.example`) looks
 * same-origin. So proxy.ts passes X-Forwarded-Host on only when it names one of these
 * hosts, and otherwise replaces it with Host; next.config.ts lists them as
 * `serverActions.allowedOrigins`. Pure: proxy.ts and next.config.ts both read it.
 *
 * TRUSTED_HOSTS: comma-separated `host[:port]` names, e.g. `records.example.com`.
 * Unset: only the Host header counts (a proxy that rewrites Host must then set this).
 */
import { env, type Env } from "../env";

/** The configured hosts, lower-cased (lib/env.ts checks each is a plain host). */
export function trustedHosts(config: Pick<Env, "TRUSTED_HOSTS"> = env()): string[] {
  return config.TRUSTED_HOSTS;
}

/**
 * The host to compare a request's Origin with: X-Forwarded-Host when it names a trusted
 * host, else the Host header (which a browser sets to where it really sends the request).
 *
 * @example
 * requestHost(new Headers({ host: "127.0.0.1:3000", "x-forwarded-host": "evil.example" }), []) // "127.0.0.1:3000"
 */
export function requestHost(headers: Headers, trusted: string[] = trustedHosts()): string | null {
  const forwarded = headers.get("x-forwarded-host")?.split(",")[0]?.trim().toLowerCase();
  if (forwarded && trusted.includes(forwarded)) return forwarded;
  return headers.get("host");
}
