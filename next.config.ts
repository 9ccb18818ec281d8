import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // PGlite loads its WASM and extension bundles from its own package files.
  serverExternalPackages: ["@electric-sql/pglite"],
  poweredByHeader: false,
  typedRoutes: false,
  // forbidden() answers 403 with app/(app)/forbidden.tsx when a role may not see a page.
  experimental: { authInterrupts: true },
};

export default nextConfig;
