/**
 * Starts the app for end-to-end tests (and the demo): a freshly migrated and seeded
 * database of its own, then `next build` and `next start` (the production build).
 *  - E2E_DATABASE_URL set: a database named E2E_DB_NAME (default temporal_e2e) on that server, recreated each
 *    run; only a server on this machine is accepted, so a shared or production database is never dropped;
 *    With E2E_APP_ROLE, the app runs as that least-privilege role (README, "Database roles"): E2E_DATABASE_URL's
 *    role creates, owns, migrates and seeds the database, grants E2E_APP_ROLE (npm run db:grant), and the server
 *    connects as E2E_APP_ROLE (same server, no password: a local trust login);
 *    With E2E_READ_DATABASE_URL (a streaming replica of that server, as .ci/replica-pair makes), the app reads the
 *    same database there (DATABASE_READ_URL, as E2E_APP_ROLE when set);
 *  - otherwise: an embedded PGlite directory (E2E_PGLITE_DIR, default data/e2e/pglite), recreated each run.
 * E2E_PORT (3100), E2E_MEMBERS (240); E2E_SKIP_BUILD=1 reuses the last `next build` (local iteration only).
 */
import { spawn, spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { dirname } from "node:path";
import pg from "pg";
import { CLIENT_ADDRESS_HEADER } from "./support";

const port = process.env.E2E_PORT ?? "3100";
const databaseName = process.env.E2E_DB_NAME ?? "temporal_e2e";
const appRole = process.env.E2E_APP_ROLE;
// Demo mode: the sign-in page lists the seeded demo accounts (the specs sign in as them). The client address is
// read from a header only the per-address test sends (as a proxy would), so no other spec shares its limit.
const env: NodeJS.ProcessEnv = {
  ...process.env,
  NODE_ENV: "production",
  TEMPORAL_DEMO: "1",
  TRUSTED_PROXY_HEADER: CLIENT_ADDRESS_HEADER,
};
delete env.DATABASE_URL;
delete env.DATABASE_READ_URL;

const LOCAL_HOSTS = ["127.0.0.1", "localhost", "::1", "[::1]"];

async function preparePostgres(url: string): Promise<string> {
  const server = new URL(url);
  if (!LOCAL_HOSTS.includes(server.hostname)) {
    throw new Error(`Refusing to run end-to-end tests against a non-local database (${server.hostname}).`);
  }
  if (!/^[a-z_][a-z0-9_]*$/.test(databaseName)) throw new Error(`E2E_DB_NAME must be a plain identifier, not ${databaseName}.`);
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${databaseName}"`);
  await admin.end();
  server.pathname = `/${databaseName}`;
  return server.toString();
}

function run(command: string, args: string[]) {
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: "inherit", env });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed with ${result.status}`);
  console.log(`[e2e] ${command.split("/").pop()} ${args[0]}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

const tsx = (script: string) => ["--conditions=react-server", script];
const members = ["--members", process.env.E2E_MEMBERS ?? "240"];
if (process.env.E2E_DATABASE_URL) {
  const url = await preparePostgres(process.env.E2E_DATABASE_URL);
  env.DATABASE_URL = url;
  // Migrated and seeded as the owner (E2E_DATABASE_URL's role, which created the database).
  run("node_modules/.bin/tsx", [...tsx("scripts/db-seed.ts"), ...members]);
  if (appRole) {
    if (!/^[a-z_][a-z0-9_]*$/.test(appRole)) throw new Error(`E2E_APP_ROLE must be a plain role name, not ${appRole}.`);
    run("node_modules/.bin/tsx", [...tsx("scripts/db-grant.ts"), "--role", appRole]);
    const app = new URL(url);
    app.username = appRole;
    app.password = "";
    env.DATABASE_URL = app.toString();
    console.log(`[e2e] the app connects as ${appRole}`);
  }
  if (process.env.E2E_READ_DATABASE_URL) {
    const read = new URL(process.env.E2E_READ_DATABASE_URL);
    if (!LOCAL_HOSTS.includes(read.hostname)) throw new Error(`Refusing a non-local read replica (${read.hostname}).`);
    read.pathname = `/${databaseName}`;
    if (appRole) {
      read.username = appRole;
      read.password = "";
    }
    env.DATABASE_READ_URL = read.toString();
    console.log(`[e2e] the app reads on the replica at ${read.host}`);
  }
} else {
  const dir = process.env.E2E_PGLITE_DIR ?? "data/e2e/pglite";
  env.PGLITE_DIR = dir;
  rmSync(dir, { recursive: true, force: true });
  rmSync(`${dir}.lock`, { force: true });
  console.log(`[e2e] PGlite in ${dirname(dir)}`);
  run("node_modules/.bin/tsx", [...tsx("scripts/db-seed.ts"), ...members]);
}
if (process.env.E2E_SKIP_BUILD !== "1") run("node_modules/.bin/next", ["build"]);
// `next` itself, not through npx, so a stop signal reaches the server and no orphan keeps the port.
const server = spawn("node_modules/.bin/next", ["start", "-p", port, "-H", "127.0.0.1"], { stdio: "inherit", env });
const stop = () => server.kill("SIGTERM");
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
server.on("exit", (code) => process.exit(code ?? 0));
