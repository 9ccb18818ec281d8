import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  globalIgnores([
    ".next/**",
    "node_modules/**",
    "data/**",
    ".scratch/**",
    "db/migrations/**",
    "test-results/**",
    "playwright-report/**",
    "demo-output/**",
    "next-env.d.ts",
  ]),
  {
    settings: { "import/ignore": ["node_modules"], "import/resolver": { typescript: true, node: true } },
    rules: {
      "import/no-cycle": ["error", { ignoreExternal: true }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // The library knows nothing of the app.
    files: ["lib/temporal/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@/app", "@/app/*", "@/components", "@/components/*", "@/db", "@/db/*", "**/app/*", "**/components/*", "**/db/*"],
              message: "lib/temporal is a library: it must not import the app, its components or its db module.",
            },
          ],
        },
      ],
    },
  },
  {
    // The app reaches the library only through its one public entry.
    files: ["app/**", "components/**", "db/**", "scripts/**", "e2e/**", "bench/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["@/lib/temporal/*"], message: 'Import from "@/lib/temporal" (the public entry) only.' }] },
      ],
    },
  },
]);
