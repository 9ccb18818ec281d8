/**
 * npm run test:pack: the library as someone who only installs it gets it. Builds lib/temporal's dist/
 * (tsup) and packs it, checks what the tarball holds, installs it with drizzle-orm and
 * PGlite from the registry into a new project in a temp folder (outside the repository, so nothing
 * of the app can be reached), type-checks the consumer there against the shipped .d.ts through the
 * package's `exports`, and runs it on Node. Fails (exit 1) on the first difference.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "../../../..");
const library = join(root, "lib/temporal");

function run(command: string, args: string[], cwd: string): string {
  return execFileSync(command, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
}

const work = mkdtempSync(join(tmpdir(), "temporal-pack-"));
try {
  execFileSync("npm", ["run", "build"], { cwd: library, stdio: ["ignore", "inherit", "inherit"] });
  // Built just above: --ignore-scripts skips prepack's second build (and keeps its output out of the JSON).
  const [packed] = JSON.parse(run("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", work], library)) as {
    filename: string;
    files: { path: string }[];
  }[];
  const shipped = packed!.files.map((file) => file.path).sort();
  assert.deepEqual(shipped, ["README.md", "dist/index.d.ts", "dist/index.js", "package.json"], "the tarball holds only the build");

  const versions = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
  };
  const project = join(work, "consumer");
  mkdirSync(project);
  cpSync(join(import.meta.dirname, "consumer"), project, { recursive: true });
  writeFileSync(
    join(project, "package.json"),
    JSON.stringify({
      name: "temporal-pack-consumer",
      private: true,
      type: "module",
      dependencies: {
        "@temporal-records/drizzle": `file:${join(work, packed!.filename)}`,
        "drizzle-orm": versions.dependencies["drizzle-orm"],
        "@electric-sql/pglite": versions.dependencies["@electric-sql/pglite"],
        "@types/node": versions.devDependencies["@types/node"],
      },
    }),
  );
  run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], project);
  run(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", project], project);
  process.stdout.write(run(process.execPath, [join(project, "dist/main.js")], project));
  console.log(`test:pack passed: ${packed!.filename} holds ${shipped.join(", ")}.`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
