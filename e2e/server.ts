/**
 * Starts the app for end-to-end tests: a freshly migrated and seeded database of
 * its own, then `next build` and `next start` (the production build).
 *  - E2E_DATABASE_URL set: a database named temporal_e2e on that server (local hosts only), recreated each run;
 *  - otherwise: an embedded PGlite directory under data/e2e, recreated each run.
 */
import { spawn, spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import pg from "pg";

const port = process.env.E2E_PORT ?? "3100";
const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production" };
delete env.DATABASE_URL;

async function preparePostgres(url: string): Promise<string> {
  const server = new URL(url);
  if (!["127.0.0.1", "localhost", "::1"].includes(server.hostname)) {
    throw new Error(`Refusing to run end-to-end tests against a non-local database (${server.hostname}).`);
  }
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "temporal_e2e" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "temporal_e2e"`);
  await admin.end();
  server.pathname = "/temporal_e2e";
  return server.toString();
}

function run(command: string, args: string[]) {
  const result = spawnSync(command, args, { stdio: "inherit", env });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed with ${result.status}`);
}

if (process.env.E2E_DATABASE_URL) {
  env.DATABASE_URL = await preparePostgres(process.env.E2E_DATABASE_URL);
} else {
  env.PGLITE_DIR = "data/e2e/pglite";
  rmSync("data/e2e", { recursive: true, force: true });
}
run("npx", ["tsx", "scripts/db-seed.ts", "--members", process.env.E2E_MEMBERS ?? "240"]);
run("npx", ["next", "build"]);
const server = spawn("npx", ["next", "start", "-p", port, "-H", "127.0.0.1"], { stdio: "inherit", env });
const stop = () => server.kill("SIGTERM");
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
server.on("exit", (code) => process.exit(code ?? 0));
