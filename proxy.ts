import { getSessionCookie } from "better-auth/cookies";
import { NextResponse, type NextRequest } from "next/server";
import { databaseDown } from "@/db/health";
import { contentSecurityPolicy, newNonce, STATIC_SECURITY_HEADERS } from "@/lib/auth/security-headers";
import { requestHost } from "@/lib/auth/trusted-hosts";

/**
 * An early, cheap check: a request without a session cookie goes to sign-in (pages
 * and server-action POSTs alike). The real checks (a valid session, the role) run
 * on the server in every page and action; this only saves them a round trip. It
 * also passes the requested path on, so sign-in can return there, and sets this
 * response's Content-Security-Policy with a fresh nonce (Next reads it from the
 * request headers and puts it on its own scripts). X-Forwarded-Host goes on only when
 * it names a trusted host (lib/auth/trusted-hosts.ts): Next checks a server action's
 * Origin against it, so a forged one must never reach that check.
 */
/**
 * The exports are downloads, fetched by scripts as well as browsers: without a session they
 * answer 401 themselves (the handler checks the session and role), not a redirect to an HTML page.
 */
const EXPORTS = /^\/(activity|t\/[^/]+\/[^/]+\/history)\/export$/;

/** Seconds a client is asked to wait before trying again while the database is down. */
const RETRY_AFTER = 5;

/**
 * The outage page, answered here with HTTP 503 while db/health.ts finds the database down: a page
 * that failed while rendering could only answer 500. Same words as app/error.tsx's outage page.
 */
function outagePage(policy: string): NextResponse {
  const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Database unavailable · Temporal admin</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; padding: 0 1rem; color: #0f172a; line-height: 1.5">
<main><h1 style="font-size: 1.25rem">The database is unavailable right now</h1>
<p>The database is unavailable right now, so records and their history cannot be read. Nothing was changed. Reload this page in a moment; if it keeps happening, tell whoever runs this admin.</p>
<p><a href="">Reload</a></p></main></body></html>`;
  const response = new NextResponse(body, { status: 503, headers: { "content-type": "text/html; charset=utf-8" } });
  response.headers.set("retry-after", String(RETRY_AFTER));
  response.headers.set("cache-control", "no-store");
  response.headers.set("content-security-policy", policy);
  for (const { key, value } of STATIC_SECURITY_HEADERS) response.headers.set(key, value);
  return response;
}

export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  // Reads of a page while the database is down: 503 before rendering. Server actions (POST) answer the
  // outage themselves ("nothing was saved"), and so do the exports (a 503 problem of their own format).
  if ((request.method === "GET" || request.method === "HEAD") && !EXPORTS.test(pathname) && databaseDown()) {
    return outagePage(contentSecurityPolicy(newNonce()));
  }
  // better-auth's own reader knows its cookie's name, with or without the __Secure- prefix.
  const hasSession = getSessionCookie(request) !== null;
  if (!hasSession && !pathname.startsWith("/sign-in") && !EXPORTS.test(pathname)) {
    const url = request.nextUrl.clone();
    url.pathname = "/sign-in";
    url.search = pathname === "/" ? "" : `?next=${encodeURIComponent(pathname + search)}`;
    return NextResponse.redirect(url, 303);
  }
  const policy = contentSecurityPolicy(newNonce());
  const headers = new Headers(request.headers);
  headers.set("x-pathname", pathname + search);
  const host = requestHost(request.headers);
  if (host) headers.set("x-forwarded-host", host);
  else headers.delete("x-forwarded-host");
  headers.set("content-security-policy", policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("content-security-policy", policy);
  return response;
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|icon.svg|favicon.ico).*)"],
};
