/**
 * Reads on a streaming replica (DATABASE_READ_URL), and nobody sees their own save vanish.
 *  - Page reads and exports (`readDatabase`) use the replica. Writes, and everything a server action reads
 *    (`runAction` runs inside `onPrimary`), use DATABASE_URL, and so do the session and role checks.
 *  - After a server action, `rememberWrite` keeps the primary's WAL position, which is past the action's COMMIT,
 *    in a short-lived httpOnly cookie. A read that carries it uses the replica once
 *    `pg_last_wal_replay_lsn()` has reached it: it waits up to DATABASE_READ_WAIT_MS, then reads the primary
 *    (and for a few seconds after such a timeout checks once without waiting).
 *  - A replica that is down, drops a connection, or fails a read (a recovery conflict, a migration it has not
 *    replayed yet) never fails a page: the read runs again on the primary, and a line is logged, at most once a
 *    minute per reason.
 * The replayed position is kept process-wide (it only grows), so a cookie the replica has already passed costs
 * no query; one it has not costs one `SELECT` on the replica per page (React's `cache`: once per request).
 */
import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";
import { sql, type SQL } from "drizzle-orm";
import { cache } from "react";
import { env } from "@/lib/env";
import type { TemporalDb } from "@temporal-records/drizzle";
import { isDatabaseUnavailable } from "./unavailable";

/** The cookie that carries the WAL position of the person's last save, as Postgres writes an LSN (`16/B374D848`). */
export const READ_AFTER_COOKIE = "temporal-read-after";
/** Far longer than the replica should ever lag: past it, a save is assumed replayed. */
const REMEMBER_SECONDS = 300;
/** How long reads skip a replica that failed, and how long they do not wait again after a wait timed out. */
const SKIP_MS = 5_000;
const LOG_EVERY_MS = 60_000;

/** An LSN (`X/Y`, hexadecimal) as a number that compares as positions do; undefined for anything else. */
export function parseLsn(text: string | null | undefined): bigint | undefined {
  const match = /^([0-9A-F]{1,8})\/([0-9A-F]{1,8})$/i.exec(text ?? "");
  return match ? (BigInt(`0x${match[1]}`) << 32n) + BigInt(`0x${match[2]}`) : undefined;
}

export const formatLsn = (lsn: bigint) => `${(lsn >> 32n).toString(16).toUpperCase()}/${(lsn & 0xffffffffn).toString(16).toUpperCase()}`;

/** `log(reason, line)` writes the first line of each reason, then at most one a minute, counting the ones it held back. */
export function rateLimitedLog(write: (line: string) => void): (reason: string, line: string) => void {
  const last = new Map<string, { at: number; held: number }>();
  return (reason, line) => {
    const seen = last.get(reason);
    if (seen && Date.now() - seen.at < LOG_EVERY_MS) {
      seen.held += 1;
      return;
    }
    write(`[read-replica] ${line}${seen?.held ? ` (and ${seen.held} more since the last such line)` : ""}`);
    last.set(reason, { at: Date.now(), held: 0 });
  };
}

/** Why the replica could not answer: "unavailable", a SQLSTATE, or undefined for an error that is no database's. */
function failureOf(error: unknown): string | undefined {
  if (isDatabaseUnavailable(error)) return "unavailable";
  for (let current = error, depth = 0; depth < 6 && current && typeof current === "object"; depth++) {
    const { code, cause } = current as { code?: unknown; cause?: unknown };
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
    current = cause;
  }
  return undefined;
}

/** The innermost message (the server's, not the ORM's "Failed query: …"), first line only. */
function firstLine(error: unknown): string {
  let message = String(error);
  for (let current = error, depth = 0; depth < 6 && current instanceof Error; depth++, current = current.cause) message = current.message;
  return message.split("\n")[0]!;
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const firstLsn = async (db: TemporalDb, query: SQL) =>
  ((await db.execute(query)) as unknown as { rows: { lsn: string | null }[] }).rows[0]?.lsn ?? null;

export type ReadReplica = {
  /** True when a read that must see the position `after` (a save's) may use the replica now; waits for it at most `waitMs`. */
  ready: (after?: bigint) => Promise<boolean>;
  /** Runs `read` on the replica; when the replica fails it, again on `primary`. */
  read: <T>(primary: TemporalDb, read: (db: TemporalDb) => Promise<T>) => Promise<T>;
};

/**
 * The replica's side of the routing, over a replica's client. `log` gets one line per reason a minute.
 *
 * @example
 * const replica = createReadReplica(drizzle(replicaPool), { waitMs: 2000 });
 * const rows = (await replica.ready(savedAt)) ? await replica.read(primary, listIt) : await listIt(primary);
 */
export function createReadReplica(replica: TemporalDb, options: { waitMs: number; log?: (line: string) => void }): ReadReplica {
  const log = rateLimitedLog(options.log ?? console.warn);
  let replayed = 0n;
  let skipUntil = 0;
  let noWaitUntil = 0;
  let asking: Promise<bigint> | undefined;

  // Every read waiting at one moment shares one question to the replica.
  const replayPosition = () =>
    (asking ??= firstLsn(replica, sql`SELECT pg_last_wal_replay_lsn()::text AS lsn`)
      .then((text) => {
        const lsn = parseLsn(text) ?? 0n;
        if (lsn > replayed) replayed = lsn;
        return replayed;
      })
      .finally(() => (asking = undefined)));

  const skip = (reason: string, error: unknown) => {
    const failure = failureOf(error) ?? "error";
    if (failure === "unavailable") {
      skipUntil = Date.now() + SKIP_MS;
      replayed = 0n; // what comes back may be another server (rebuilt from an older backup): ask it again
    }
    log(`${reason}:${failure}`, `the replica failed ${reason} (${failure}: ${firstLine(error)}), so it ran on the primary`);
  };

  async function ready(after?: bigint): Promise<boolean> {
    if (Date.now() < skipUntil) return false;
    if (after === undefined || after <= replayed) return true;
    const deadline = Date.now() + (Date.now() < noWaitUntil ? 0 : options.waitMs);
    try {
      for (let pause = 1; ; pause = Math.min(pause * 2, 50)) {
        if ((await replayPosition()) >= after) return true;
        if (Date.now() >= deadline) break;
        await sleep(Math.min(pause, deadline - Date.now()));
      }
    } catch (error) {
      skip("a replay check", error);
      return false;
    }
    noWaitUntil = Date.now() + SKIP_MS;
    log(
      "lag",
      `the replica had not replayed a save (${formatLsn(after)}) after ${options.waitMs} ms (it is at ${formatLsn(replayed)}), so the read ran on the primary`,
    );
    return false;
  }

  async function read<T>(primary: TemporalDb, run: (db: TemporalDb) => Promise<T>): Promise<T> {
    if (Date.now() < skipUntil) return run(primary);
    try {
      return await run(replica);
    } catch (error) {
      if (!failureOf(error)) throw error;
      skip("a read", error);
      return run(primary);
    }
  }

  return { ready, read };
}

type State = { replica?: Promise<ReadReplica>; close?: () => Promise<void> };
const state: State = ((globalThis as typeof globalThis & { __temporalReadReplica?: State }).__temporalReadReplica ??= {});
const note = rateLimitedLog(console.warn);

async function openReplica(url: string): Promise<ReadReplica> {
  const [{ default: pg }, { drizzle }] = await Promise.all([import("pg"), import("drizzle-orm/node-postgres")]);
  // A replica that does not answer is given up on quickly: the primary can answer instead.
  const pool = new pg.Pool({ connectionString: url, max: env().DATABASE_POOL_SIZE, connectionTimeoutMillis: 1_000 });
  pool.on("error", () => {
    // An idle client lost its connection: the pool replaces it on next use.
  });
  state.close = () => pool.end();
  return createReadReplica(drizzle(pool) as unknown as TemporalDb, { waitMs: env().DATABASE_READ_WAIT_MS });
}

/** Next's request API, loaded only when a replica is set (scripts that open the database never load it). */
const nextRequest = async () => {
  const [{ cookies }, { unstable_rethrow }] = await Promise.all([import("next/headers"), import("next/navigation")]);
  return { cookies, unstable_rethrow };
};

/** The position this request's reads must see (the person's last save, from the cookie); none outside a request. */
async function readAfter(): Promise<bigint | undefined> {
  const { cookies, unstable_rethrow } = await nextRequest();
  try {
    return parseLsn((await cookies()).get(READ_AFTER_COOKIE)?.value);
  } catch (error) {
    unstable_rethrow(error); // a static render's bail-out (`next build`) must reach Next
    return undefined;
  }
}

const mayUseReplica = cache(async (replica: ReadReplica) => replica.ready(await readAfter()));

const primaryOnly = new AsyncLocalStorage<true>();

/** Runs `fn` with every `readDatabase` inside it on the primary: a server action reads what it writes against. */
export function onPrimary<T>(fn: () => Promise<T>): Promise<T> {
  return primaryOnly.run(true, fn);
}

/** Where a read may run: `"primary"` for what must never be stale (who is signed in, and their role). */
export type ReadFrom = { from?: "replica" | "primary" };

/** `readDatabase`'s choice: `read` on the replica when one is set and this read may use it, else on `primary`. */
export async function readFrom<T>(primary: TemporalDb, read: (db: TemporalDb) => Promise<T>, options: ReadFrom = {}): Promise<T> {
  const url = env().DATABASE_READ_URL;
  if (!url || options.from === "primary" || primaryOnly.getStore()) return read(primary);
  const replica = await (state.replica ??= openReplica(url));
  return (await mayUseReplica(replica)) ? replica.read(primary, read) : read(primary);
}

/**
 * A position at or past every COMMIT that has returned. A synchronous commit has flushed its record, so the write
 * position is past it and is always the end of a record or a page, which the replica's replay reaches. The insert
 * position is past an asynchronous commit too (`synchronous_commit = off`), but on a page boundary it points past
 * the page's header, which replay only passes with the next record: on a quiet server that would mean a full wait.
 */
const SAVED_POSITION = sql`SELECT (CASE WHEN current_setting('synchronous_commit') = 'off' THEN pg_current_wal_insert_lsn()
  ELSE pg_current_wal_lsn() END)::text AS lsn`;

/**
 * After a server action: keeps the primary's WAL position (past the action's COMMIT) in the person's
 * cookie, so their next reads wait for the replica to replay it or read the primary. Does nothing without a
 * replica, and never fails the action (a failure is logged: their next page may then briefly miss the save).
 */
export async function rememberWrite(primary: TemporalDb): Promise<void> {
  if (!env().DATABASE_READ_URL) return;
  const { cookies, unstable_rethrow } = await nextRequest();
  try {
    const lsn = await firstLsn(primary, SAVED_POSITION);
    if (!lsn) return;
    (await cookies()).set(READ_AFTER_COOKIE, lsn, { httpOnly: true, sameSite: "lax", path: "/", maxAge: REMEMBER_SECONDS });
  } catch (error) {
    unstable_rethrow(error);
    note("remember", `could not note a save's WAL position (${firstLine(error)}): the next page may read the replica before it has it`);
  }
}

export async function closeReadReplica(): Promise<void> {
  const close = state.close;
  state.replica = state.close = undefined;
  await close?.();
}
