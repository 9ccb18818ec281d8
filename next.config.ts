import type { NextConfig } from "next";
import { STATIC_SECURITY_HEADERS } from "./lib/auth/security-headers";

const nextConfig: NextConfig = {
  // PGlite loads its WASM and extension bundles from its own package files.
  serverExternalPackages: ["@electric-sql/pglite"],
  poweredByHeader: false,
  typedRoutes: false,
  // forbidden() answers 403 with app/(app)/forbidden.tsx when a role may not see a page.
  experimental: { authInterrupts: true },
  // The per-request Content-Security-Policy (with its nonce) is set in proxy.ts.
  headers: async () => [{ source: "/:path*", headers: STATIC_SECURITY_HEADERS }],
};

export default nextConfig;
