import type { NextConfig } from "next";
import { STATIC_SECURITY_HEADERS } from "./lib/auth/security-headers";
import { trustedHosts } from "./lib/auth/trusted-hosts";
import { parseEnv } from "./lib/env";

const nextConfig: NextConfig = {
  // `npm run demo` builds into its own directory (NEXT_DIST_DIR=.next-demo, e2e/demo.config.ts), so a running
  // `npm run app` keeps serving the build in .next.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // PGlite loads its WASM and extension bundles from its own package files.
  serverExternalPackages: ["@electric-sql/pglite"],
  poweredByHeader: false,
  typedRoutes: false,
  experimental: {
    // forbidden() answers 403 with app/(app)/forbidden.tsx when a role may not see a page.
    authInterrupts: true,
    // Server actions accept an Origin only when it is this request's host or one of TRUSTED_HOSTS; proxy.ts
    // drops an X-Forwarded-Host that names no trusted host, so a forged one cannot make a POST look same-origin.
    // Only TRUSTED_HOSTS is read here, so a build needs no other setting.
    serverActions: { allowedOrigins: trustedHosts(parseEnv({ TRUSTED_HOSTS: process.env.TRUSTED_HOSTS })) },
  },
  // The per-request Content-Security-Policy (with its nonce) is set in proxy.ts.
  headers: async () => [{ source: "/:path*", headers: STATIC_SECURITY_HEADERS }],
};

export default nextConfig;
