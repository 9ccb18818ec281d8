/**
 * A throw-away Postgres cluster for the fault checks, driven by Debian's postgresql-common tools:
 * created (trust auth, never started at boot), stopped and started on purpose, dropped at the end.
 * Run as root (CI: the tools run the server as its owner, postgres) or as the postgres user. It refuses
 * the main cluster and port 5432, so the server everyone else uses is never stopped.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";

export type Cluster = {
  version: string;
  name: string;
  port: number;
  /** The server's log, for its ERROR lines and for a failure's diagnosis. */
  log: string;
  url: (database: string) => string;
};

function failed(command: string, args: string[], status: number | null, said: string): Error {
  const who =
    process.getuid?.() === 0
      ? ""
      : " Run it as root or as the postgres user: the cluster tools write /etc/postgresql and /var/lib/postgresql.";
  return new Error(`${command} ${args.join(" ")} failed (exit ${status}): ${said.trim()}${who}`);
}

function run(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: "utf8" });
  if (result.status === 0) return result.stdout;
  throw failed(command, args, result.status, result.stderr || result.stdout || String(result.error ?? ""));
}

/** The same without blocking the event loop: the load keeps running while the server stops and starts. */
function runAsync(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
    let said = "";
    child.stdout.on("data", (chunk: Buffer) => (said += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (said += chunk.toString()));
    child.on("error", reject);
    child.on("close", (status) => (status === 0 ? resolve() : reject(failed(command, args, status, said))));
  });
}

/** Every cluster on this machine: version, name, port. */
function clusters(): { version: string; name: string; port: number }[] {
  return run("pg_lsclusters", ["--no-header"])
    .split("\n")
    .map((line) => line.trim().split(/\s+/))
    .filter((cells) => cells.length >= 3)
    .map(([version, name, port]) => ({ version: version!, name: name!, port: Number(port) }));
}

/** The newest installed server version (RELIABILITY_PG_VERSION overrides). */
function serverVersion(): string {
  if (process.env.RELIABILITY_PG_VERSION) return process.env.RELIABILITY_PG_VERSION;
  const installed = existsSync("/usr/lib/postgresql") ? readdirSync("/usr/lib/postgresql").filter((v) => /^\d+$/.test(v)) : [];
  const newest = installed.sort((a, b) => Number(b) - Number(a))[0];
  if (!newest) throw new Error("No Postgres server under /usr/lib/postgresql: install postgresql (Debian's packages).");
  return newest;
}

const ctlArgs = (cluster: Cluster, action: string, ...rest: string[]) => [
  "--skip-systemctl-redirect",
  cluster.version,
  cluster.name,
  action,
  ...rest,
];
const ctl = (cluster: Cluster, action: string, ...rest: string[]) => run("pg_ctlcluster", ctlArgs(cluster, action, ...rest));

/** Creates and starts the cluster; one of the same name left by an interrupted run is dropped first. */
export function createCluster(name: string, port: number): Cluster {
  if (!/^[a-z][a-z0-9_]{0,30}$/.test(name) || name === "main")
    throw new Error(`The throw-away cluster needs a plain name other than main, not ${name}.`);
  if (!Number.isInteger(port) || port === 5432 || port < 1024 || port > 65_535) {
    throw new Error(`The throw-away cluster needs a free port other than 5432, not ${port}.`);
  }
  const version = serverVersion();
  const cluster: Cluster = {
    version,
    name,
    port,
    log: `/var/log/postgresql/postgresql-${version}-${name}.log`,
    url: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
  };
  const existing = clusters();
  if (existing.some((c) => c.version === version && c.name === name)) dropCluster(cluster);
  const taken = existing.find((c) => c.port === port && c.name !== name);
  if (taken) throw new Error(`Port ${port} belongs to cluster ${taken.version}/${taken.name}: pick another (RELIABILITY_PG_PORT).`);
  // --auth=trust after "--" goes to initdb, and pg_createcluster then leaves pg_hba.conf as initdb wrote it: trust.
  run("pg_createcluster", [version, name, "-p", String(port), "--start-conf=manual", "--", "--auth=trust"]);
  ctl(cluster, "start");
  return cluster;
}

/** Stops the server the way an operator's restart does (fast: open sessions are terminated). */
export function stopCluster(cluster: Cluster): Promise<void> {
  return runAsync("pg_ctlcluster", ctlArgs(cluster, "stop", "-m", "fast"));
}

/** Starts the server and resolves once it accepts connections (pg_ctl waits for it). */
export function startCluster(cluster: Cluster): Promise<void> {
  return runAsync("pg_ctlcluster", ctlArgs(cluster, "start"));
}

/** Stops (if running) and removes the cluster with its data and configuration. */
export function dropCluster(cluster: Cluster): void {
  try {
    ctl(cluster, "stop", "-m", "immediate");
  } catch {
    // Not running.
  }
  run("pg_dropcluster", ["--stop", cluster.version, cluster.name]);
}

/** The server log's ERROR lines since `from` (a byte offset), by their message's first words. */
export function logErrors(cluster: Cluster, from = 0): { offset: number; errors: Map<string, number> } {
  const errors = new Map<string, number>();
  if (!existsSync(cluster.log)) return { offset: 0, errors };
  const text = readFileSync(cluster.log).subarray(from).toString("utf8");
  for (const match of text.matchAll(/ERROR: {2}(.{0,60})/g)) {
    const what = match[1]!.replace(/\d+/g, "N");
    errors.set(what, (errors.get(what) ?? 0) + 1);
  }
  return { offset: from + Buffer.byteLength(text), errors };
}
