/**
 * Check (b): the production app (`next start`) on the throw-away cluster, under a bounded load of
 * page reads (plain HTTP, signed in) and edits (a real browser, through the app's server actions),
 * while the database is stopped and started again. The app itself is never restarted. Measured: how
 * long after the database is back the app serves a page that needs it; checked: every save against
 * the database (audit.ts), verify() on every table, the server process unchanged, and that the app
 * works normally before the stop and after its recovery.
 */
import { randomBytes } from "node:crypto";
import type { ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { Agent } from "node:http";
import type { Browser } from "@playwright/test";
import type pg from "pg";
import { friend, temporalTables } from "@/db/schema";
import { seed } from "@/db/seed";
import { createDemoPeople } from "@/lib/auth/demo-people";
import { create, verify, type TemporalDb } from "@temporal-records/drizzle";
import { startApp, waitForServer } from "../app/pages";
import { auditSaves, type Audit } from "./audit";
import { startCluster, stopCluster, type Cluster } from "./cluster";
import { editLoop, launchBrowser, saveDuringOutage, signInEditor, type Edit, type EditorState, type Target } from "./editors";
import { count, type Counts } from "./kinds";
import { readLoop, readOnce, type Page, type Read } from "./readers";

export type RestartOptions = {
  port: number;
  build: boolean;
  editors: number;
  /** Editors who press Save while the database is down. */
  outageSavers: number;
  readers: number;
  warmMs: number;
  outageMs: number;
  afterMs: number;
};

export type RestartRun = {
  reads: Read[];
  edits: Edit[];
  audit: Omit<Audit, "violations">;
  /** Load start, stop issued, database stopped, start issued, database accepting connections, app serving: ms from load start. */
  marks: { stop: number; down: number; start: number; up: number; served?: number };
  recoveryMs?: number;
  serverLog: Counts;
  violations: string[];
};

/** The app servers this process started, for an interrupted run to stop. */
const running = new Set<ChildProcess>();
export function stopApps(): void {
  for (const server of running) server.kill("SIGTERM");
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The process and its descendants (`next start` may serve from a child): a restart would change them. */
function processTree(pid: number): number[] {
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim();
    return [pid, ...(children ? children.split(/\s+/).flatMap((child) => processTree(Number(child))) : [])];
  } catch {
    return [];
  }
}

/** Demo data and people, and a friend for each editor; returns the editors' targets and the pages to read. */
async function prepare(db: TemporalDb, pool: pg.Pool, editors: number): Promise<{ targets: Target[]; pages: Page[] }> {
  await seed(db, { members: 12, people: createDemoPeople });
  const targets: Target[] = [];
  for (let e = 0; e < editors; e++) {
    const row = await create(
      db,
      friend,
      { name: `Reliability editor ${e}`, location: "start" },
      { reason: "Reliability check: a friend to edit", actor: "reliability" },
    );
    targets.push({ id: row.id, path: `/t/friend/${row.id}` });
  }
  const { rows } = await pool.query<{ id: number; full_name: string }>(
    "SELECT id, full_name FROM member WHERE full_name ~ '^[A-Za-z ]+$' ORDER BY id LIMIT 1",
  );
  const member = rows[0]!;
  const pages = [
    { path: targets[0]!.path, expect: "Reliability editor 0" },
    { path: `/t/member/${member.id}`, expect: member.full_name },
    { path: "/t/friend", expect: `Reliability editor ${editors - 1}` },
  ];
  return { targets, pages };
}

/** Reads the record page every 100 ms until it is served (the database is back); its completion time. */
async function firstServed(port: number, page: Page, cookie: string, until: number): Promise<number | undefined> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    while (performance.now() < until) {
      // A generous deadline: on a loaded machine a page can take seconds to render even when all is well.
      const read = await readOnce(agent, port, page, cookie, 15_000);
      if (read.kind === "ok") return read.at + read.ms;
      await sleep(100);
    }
    return undefined;
  } finally {
    agent.destroy();
  }
}

/** The server's log lines that report a failure, by their first words (a crash would show here too). */
function serverLog(lines: string[]): Counts {
  const counts: Counts = new Map();
  for (const raw of lines) {
    // The server colours its log: drop the escapes, keep the lines that open an error (not its causes' lines).
    const line = raw.replace(/\x1b\[[0-9;]*m/g, "").trim();
    if (/^(⨯|Error|uncaught|unhandled)/i.test(line) || /\bERROR\b/.test(line)) count(counts, line.replace(/\d+/g, "N").slice(0, 110));
  }
  return counts;
}

type Phased = { at: number; ms: number; kind: string };

/** Reads and edits that finished before the stop, or started once the app served again, must all have worked. */
function phaseViolations(what: string, items: Phased[], good: string, stop: number, served: number | undefined): string[] {
  const before = items.filter((i) => i.at + i.ms < stop && i.kind !== good);
  const after = served === undefined ? [] : items.filter((i) => i.at >= served && i.kind !== good);
  return [...before.map((i) => `${what} before the stop: ${i.kind}`), ...after.map((i) => `${what} after the app served again: ${i.kind}`)];
}

/** What a page read must answer while the database is down: the outage page, with HTTP 503. */
export const OUTAGE_READ = `"database unavailable" page (HTTP 503)`;
/** How long after the server has stopped the app may take to notice (db/health.ts probes every 500 ms; a slow machine needs more). */
const NOTICE_MS = 2_000;

/** Reads begun once the database had been down for NOTICE_MS, and ended before it started again, answer 503. */
function outageViolations(reads: Phased[], down: number, start: number): string[] {
  return reads
    .filter((r) => r.at >= down + NOTICE_MS && r.at + r.ms < start && r.kind !== OUTAGE_READ)
    .map((r) => `read in the outage: ${r.kind} (expected the ${OUTAGE_READ})`);
}

async function auditAll(db: TemporalDb, pool: pg.Pool, targets: Target[], edits: Edit[]): Promise<Audit> {
  const saves = edits.flatMap((e) => (e.save ? [e.save] : []));
  const sum: Audit = {
    acknowledged: 0,
    stored: 0,
    refused: 0,
    unknownStored: 0,
    unknownLost: 0,
    lost: 0,
    phantoms: 0,
    overlaps: 0,
    violations: [],
  };
  for (const [editor, target] of targets.entries()) {
    const mine = saves.filter((s) => s.location.startsWith(`editor ${editor} `));
    const audit = await auditSaves(pool, target.id, mine);
    for (const key of ["acknowledged", "stored", "refused", "unknownStored", "unknownLost", "lost", "phantoms", "overlaps"] as const)
      sum[key] += audit[key];
    sum.violations.push(...audit.violations.map((v) => `friend ${target.id}: ${v}`));
  }
  for (const table of temporalTables) {
    for (const v of await verify(db, table)) sum.violations.push(`verify(): ${v.table} ${v.kind}: ${v.message}`);
  }
  return sum;
}

/** Waits at least `ms`, then until `done()` (checked every 100 ms), for at most `cap` ms. */
async function until(done: () => boolean, ms: number, cap: number): Promise<void> {
  const started = performance.now();
  await sleep(ms);
  while (!done() && performance.now() - started < cap) await sleep(100);
}

/**
 * Runs the load until every editor has saved once, stops the database, starts it again, and keeps the
 * load on until the app has served again and every editor has finished an edit begun after that (a
 * slow machine stretches the phases instead of leaving them empty).
 */
async function underLoad(
  cluster: Cluster,
  browser: Browser,
  cookie: string,
  state: EditorState,
  setup: { targets: Target[]; pages: Page[]; options: RestartOptions },
) {
  const { pages, options } = setup;
  const targets = setup.targets.slice(0, options.editors);
  const reads: Read[] = [];
  const edits: Edit[] = [];
  let stopped = false;
  let isDown = () => {};
  const down = new Promise<void>((resolve) => (isDown = resolve));
  const editors = { browser, baseURL: `http://127.0.0.1:${options.port}`, state };
  const t0 = performance.now();
  const load = Promise.all([
    readLoop({ port: options.port, cookie, pages, clients: options.readers, pauseMs: 100, stopped: () => stopped, reads }),
    editLoop({ ...editors, targets, stopped: () => stopped, edits }),
    saveDuringOutage({ ...editors, targets: setup.targets.slice(options.editors), first: options.editors, down }),
  ]);
  const everyEditor = (from: number, kind?: string) =>
    targets.every((_, editor) => edits.some((e) => e.editor === editor && e.at >= from && (kind === undefined || e.kind === kind)));
  await until(() => everyEditor(t0, "saved"), options.warmMs, 120_000);
  const stop = performance.now();
  await stopCluster(cluster);
  const downAt = performance.now();
  isDown();
  await sleep(options.outageMs);
  const start = performance.now();
  await startCluster(cluster);
  const up = performance.now();
  const served = await firstServed(options.port, pages[0]!, cookie, up + 30_000);
  await until(() => served === undefined || everyEditor(served), options.afterMs, 120_000);
  stopped = true;
  const [, , saved] = await load;
  edits.push(...saved);
  const rel = (t: number) => t - t0;
  const shift = <T extends Phased & { savedAt?: number }>(items: T[]) =>
    items.map((i) => ({ ...i, at: rel(i.at), savedAt: i.savedAt === undefined ? undefined : rel(i.savedAt) }));
  const marks = {
    stop: rel(stop),
    down: rel(downAt),
    start: rel(start),
    up: rel(up),
    served: served === undefined ? undefined : rel(served),
  };
  return { reads: shift(reads), edits: shift(edits), marks, recoveryMs: served === undefined ? undefined : served - up };
}

export async function restartUnderLoad(
  cluster: Cluster,
  database: { db: TemporalDb; pool: pg.Pool; url: string },
  options: RestartOptions,
): Promise<RestartRun> {
  const { db, pool, url } = database;
  // The seed's people and the app must share the secret that signs sessions.
  const secret = (process.env.BETTER_AUTH_SECRET ??= randomBytes(32).toString("base64url"));
  const { targets, pages } = await prepare(db, pool, options.editors + options.outageSavers);
  const server = startApp(url, options.port, secret, options.build, "pipe");
  running.add(server);
  const lines: string[] = [];
  for (const stream of [server.stdout, server.stderr])
    stream?.setEncoding("utf8").on("data", (chunk: string) => lines.push(...chunk.split("\n")));
  let browser: Browser | undefined;
  try {
    await waitForServer(options.port, server);
    const tree = processTree(server.pid!);
    browser = await launchBrowser();
    const { state, cookie } = await signInEditor(browser, `http://127.0.0.1:${options.port}`);
    // Every route once, so the load starts on a warm server (the first render of a route loads its code).
    for (const page of pages) await readOnce(new Agent(), options.port, page, cookie, 60_000);
    const run = await underLoad(cluster, browser, cookie, state, { targets, pages, options });
    const { violations, ...audit } = await auditAll(db, pool, targets, run.edits);
    if (run.recoveryMs === undefined) violations.push("the app did not serve the record page within 30 s of the database coming back");
    else if (run.recoveryMs > 5_000)
      violations.push(`the app served again ${(run.recoveryMs / 1000).toFixed(1)} s after the database came back (5 s allowed)`);
    if (server.exitCode !== null) violations.push(`next start exited with ${server.exitCode}`);
    else if (processTree(server.pid!).join() !== tree.join())
      violations.push(`the app's processes changed (${tree.join(", ")} → ${processTree(server.pid!).join(", ")})`);
    if (audit.acknowledged === 0) violations.push("no edit was acknowledged: the load did not run");
    violations.push(...phaseViolations("read", run.reads, "ok", run.marks.stop, run.marks.served));
    violations.push(...outageViolations(run.reads, run.marks.down, run.marks.start));
    violations.push(...phaseViolations("edit", run.edits, "saved", run.marks.stop, run.marks.served));
    return { ...run, audit, serverLog: serverLog(lines), violations };
  } finally {
    await browser?.close();
    server.kill("SIGTERM");
    if (server.exitCode === null) await new Promise((resolve) => server.once("exit", resolve));
    running.delete(server);
  }
}
