import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

/** The server actions that components may import (the rest reach components as props). */
const SERVER_ACTIONS = ["app/sign-in/actions.ts", "app/(app)/people/new/actions.ts", "app/(app)/t/[table]/[id]/actions.ts"];
const TESTS = ["**/tests/**", "**/*.test.ts"];

/**
 * One layer of docs/ARCHITECTURE.md: the files it covers may import only the paths
 * in `mayImport` (from the repository root; npm packages are node_modules/…), node
 * built-ins, and themselves. The import is resolved first, so `@/…` and `../…` alike
 * are checked.
 */
function layer(name, files, mayImport, ignores = TESTS) {
  return {
    files,
    ignores,
    rules: {
      "import/no-restricted-paths": [
        "error",
        {
          basePath: import.meta.dirname,
          zones: [
            {
              target: ".",
              from: ".",
              except: mayImport,
              message: `${name} may import only ${mayImport.join(", ")} (docs/ARCHITECTURE.md, "Layers and folders").`,
            },
          ],
        },
      ],
    },
  };
}

const LIBRARY = "lib/temporal/index.ts";

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  globalIgnores([
    ".next/**",
    ".next-demo/**",
    "node_modules/**",
    "data/**",
    ".scratch/**",
    "db/migrations/**",
    "test-results/**",
    "playwright-report/**",
    "demo-output/**",
    "next-env.d.ts",
    "lib/temporal/dist/**",
  ]),
  {
    settings: { "import/ignore": ["node_modules"], "import/resolver": { typescript: true, node: true } },
    rules: {
      "import/no-cycle": ["error", { ignoreExternal: true }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  // The layers, from the bottom up. app/ (the routes) may import every layer below it.
  layer("lib/temporal", ["lib/temporal/**"], ["lib/temporal", "node_modules/drizzle-orm"], ["lib/temporal/tests/**"]),
  layer("lib/temporal's tests", ["lib/temporal/tests/**"], ["lib/temporal", "tests", "node_modules"], []),
  layer("lib/env.ts", ["lib/env.ts"], ["lib/env.ts", "node_modules"]),
  layer("db/", ["db/**"], ["db", LIBRARY, "lib/env.ts", "node_modules"]),
  layer("lib/auth/", ["lib/auth/**"], ["lib/auth", "db", LIBRARY, "lib/env.ts", "node_modules"]),
  layer("lib/admin/", ["lib/admin/**"], ["lib/admin", "lib/auth", "db", LIBRARY, "node_modules"]),
  layer("components/ui/", ["components/ui/**"], ["components/ui", "node_modules"]),
  layer(
    "components/<feature>/",
    ["components/**"],
    ["components", "lib/admin", "lib/auth", LIBRARY, "node_modules", ...SERVER_ACTIONS],
    [...TESTS, "components/ui/**"],
  ),
  layer("scripts/", ["scripts/**"], ["scripts", "db", "lib/auth", LIBRARY, "lib/env.ts", "node_modules"]),
  {
    // The app reaches the library only by its package name, through its one public entry.
    files: ["app/**", "components/**", "db/**", "lib/admin/**", "lib/auth/**", "scripts/**", "e2e/**", "bench/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@/lib/temporal", "@/lib/temporal/*"],
              message: 'Import the library by its package name, "@temporal-records/drizzle" (its one public entry), as its users do.',
            },
          ],
        },
      ],
    },
  },
]);
