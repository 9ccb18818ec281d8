/**
 * Whether the Postgres server answers, as `proxy.ts` needs it to answer an outage with HTTP 503
 * before a page starts rendering (a page that fails while it renders can only be an HTTP 500).
 *
 * The answer is never waited for on a request's path: the last probe's result is used, and a new
 * probe starts when it is older than PROBE_EVERY_MS (one at a time, on a connection of its own).
 * A read that fails for an outage marks the server down at once (`markUnavailable`, from
 * `readDatabase`), so the next request gets the 503 without waiting for a probe. With the embedded
 * PGlite there is no server to lose: `databaseDown` is always false.
 */
import type pg from "pg";
import { env } from "@/lib/env";
import { isDatabaseUnavailable } from "./unavailable";

/** How old the last probe's answer may be before a request starts another one. */
export const PROBE_EVERY_MS = 500;

type Health = { down: boolean; checkedAt: number; probing?: Promise<void>; pool?: pg.Pool };
// On globalThis: the proxy and the pages are bundled apart but run in one process.
const shared = globalThis as typeof globalThis & { __temporalHealth?: Health };
const health: Health = (shared.__temporalHealth ??= { down: false, checkedAt: 0 });

async function probePool(url: string): Promise<pg.Pool> {
  if (!health.pool) {
    const { default: driver } = await import("pg");
    const pool = new driver.Pool({
      connectionString: url,
      max: 1,
      connectionTimeoutMillis: 1_000,
      query_timeout: 1_000,
      idleTimeoutMillis: 30_000,
    });
    pool.on("error", () => {
      // The idle probe connection was lost (the outage itself): the next probe reconnects.
    });
    health.pool = pool;
  }
  return health.pool;
}

async function probe(url: string): Promise<void> {
  try {
    await (await probePool(url)).query("SELECT 1");
    health.down = false;
  } catch (error) {
    // Anything but an outage (a bad password, a missing database) is for the pages to report.
    health.down = isDatabaseUnavailable(error);
  } finally {
    health.checkedAt = Date.now();
    health.probing = undefined;
  }
}

/** True while the last probe, or the last failed read, found the server unreachable. Never waits. */
export function databaseDown(now = Date.now()): boolean {
  const url = env().DATABASE_URL;
  if (!url) return false;
  if (!health.probing && now - health.checkedAt >= PROBE_EVERY_MS) health.probing = probe(url);
  return health.down;
}

/** A read found the server unreachable: requests get the outage answer until a probe reaches it again. */
export function markUnavailable(): void {
  health.down = true;
  health.checkedAt = Date.now();
}

/** Waits for a probe in flight (tests). */
export async function settled(): Promise<void> {
  await health.probing;
}
