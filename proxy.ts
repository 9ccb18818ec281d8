import { getSessionCookie } from "better-auth/cookies";
import { NextResponse, type NextRequest } from "next/server";
import { contentSecurityPolicy, newNonce } from "@/lib/auth/security-headers";
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

export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
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
