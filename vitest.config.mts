import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: [
      // The library's source entry, not its package.json (whose exports name the build in dist/).
      { find: /^@\/lib\/temporal$/, replacement: fileURLToPath(new URL("./lib/temporal/index.ts", import.meta.url)) },
      { find: "@", replacement: fileURLToPath(new URL("./", import.meta.url)) },
    ],
  },
  test: {
    include: ["lib/**/*.test.ts", "db/**/*.test.ts", "app/**/*.test.ts", "components/**/*.test.ts", "scripts/**/*.test.ts"],
    pool: "forks",
    alias: { "server-only": fileURLToPath(new URL("./node_modules/server-only/empty.js", import.meta.url)) },
    // Names the run, and drops the template databases it made on a server (tests/database.ts).
    globalSetup: ["tests/global-setup.ts"],
    reporters: ["default", "./tests/slowest-reporter.ts"],
    // The library's type tests (*.test-d.ts): checked by the compiler, reported with the rest.
    typecheck: { enabled: true, include: ["lib/temporal/tests/**/*.test-d.ts"], tsconfig: "tsconfig.json" },
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
