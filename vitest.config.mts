import { readdirSync, readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const FOLDERS = ["lib", "db", "app", "components", "scripts"];
const TESTS = FOLDERS.map((folder) => `${folder}/**/*.test.ts`);

/**
 * Test files that mock a module (vi.mock), or set state on globalThis or listen on the process (serveAppFrom points
 * db/client.ts's cache at their database): each runs in a process of its own. Found by reading the files, so a new
 * one cannot be missed.
 */
const ISOLATED = FOLDERS.flatMap((folder) =>
  readdirSync(folder, { recursive: true, encoding: "utf8" })
    .map((file) => join(folder, file))
    .filter(
      (file) =>
        file.endsWith(".test.ts") && /\bvi\.(do)?mock\(|\bserveAppFrom\(|\bglobalThis\b|\bprocess\.on\(/.test(readFileSync(file, "utf8")),
    ),
);

export default defineConfig({
  resolve: {
    alias: [
      // The library's source entry, not its package.json (whose exports name the build in dist/).
      { find: /^@temporal-records\/drizzle$/, replacement: fileURLToPath(new URL("./lib/temporal/index.ts", import.meta.url)) },
      { find: "@", replacement: fileURLToPath(new URL("./", import.meta.url)) },
    ],
  },
  test: {
    pool: "forks",
    // One file per core (Vitest's default leaves one core idle): files share no state, each has a database of its own.
    maxWorkers: availableParallelism(),
    alias: { "server-only": fileURLToPath(new URL("./node_modules/server-only/empty.js", import.meta.url)) },
    // Names the run, and drops the template databases it made on a server (tests/database.ts).
    globalSetup: ["tests/global-setup.ts"],
    reporters: ["default", "./tests/slowest-reporter.ts"],
    // Two files share the cores now: on a machine others load too, a test's wall time can double (a guard against a
    // hang, not a measure of speed; the slowest tests are printed at the end).
    testTimeout: 120_000,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: {
          name: "shared",
          include: TESTS,
          exclude: [...ISOLATED, "**/node_modules/**"],
          // These files mock nothing and keep nothing on globalThis: a worker runs one after another, with the packages
          // it loaded (PGlite's compiled WebAssembly, drizzle-kit, better-auth) kept and this repository's modules
          // evaluated anew for each file (tests/fresh-modules.ts), not a new process per file.
          isolate: false,
          setupFiles: ["tests/fresh-modules.ts"],
          // The library's type tests (*.test-d.ts): checked by the compiler, reported with the rest. The rest of the
          // code is type-checked by `npm run typecheck` (in CI's `npm run check`), not by the tests.
          typecheck: {
            enabled: true,
            include: ["lib/temporal/tests/**/*.test-d.ts"],
            tsconfig: "lib/temporal/tests/tsconfig.type-tests.json",
          },
        },
      },
      // A process each (ISOLATED above).
      { extends: true, test: { name: "isolated", include: ISOLATED } },
    ],
  },
});
