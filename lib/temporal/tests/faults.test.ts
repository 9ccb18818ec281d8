/**
 * Connection faults on a real server: a second connection terminates (pg_terminate_backend) the backend of the
 * connection a write holds: inside withActivity, during a 10,000-row tickMany, a retire, a single-statement tick,
 * and a COMMIT. Each time the caller gets a ConnectionLostError that says what is certain, nothing is half-written,
 * verify() stays clean, the process sees no uncaught exception, and the pool keeps working. PGlite has no
 * connection to lose: the file runs only with DATABASE_URL.
 */
import { sql } from "drizzle-orm";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ConnectionLostError, create, createMany, retire, tick, tickMany, verify, withActivity, type TemporalDb } from "../index";
import { friend } from "./fixtures";
import { testDb, type TestDb } from "./harness";

const who = { reason: "fault test", actor: "vitest" };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!process.env.DATABASE_URL)("a lost connection", () => {
  let t: TestDb;
  let admin: pg.Client;
  const uncaught: unknown[] = [];
  const record = (error: unknown) => uncaught.push(error);

  beforeAll(async () => {
    process.on("uncaughtException", record);
    process.on("unhandledRejection", record);
    t = await testDb();
    admin = new pg.Client({ connectionString: t.url });
    await admin.connect();
  });
  afterAll(async () => {
    process.off("uncaughtException", record);
    process.off("unhandledRejection", record);
    await admin.end();
    await t.close();
  });
  afterEach(async () => {
    // The socket's end arrives after the error: give it time to reach a listener (or to crash the process).
    await sleep(300);
    expect(uncaught).toEqual([]);
    expect(await verify(t.db, friend)).toEqual([]);
  });

  const pool = () => (t.db as unknown as { $client: pg.Pool }).$client;

  async function query<T = Record<string, unknown>>(text: string, values: unknown[] = []): Promise<T[]> {
    return (await admin.query(text, values)).rows as T[];
  }

  /** Row counts of everything a write of a friend touches. */
  async function totals() {
    const [row] = await query(
      `SELECT (SELECT count(*) FROM "temporal_activity") AS activities, (SELECT count(*) FROM "friend") AS friends,
              (SELECT count(*) FROM "friend_clock") AS ticks, (SELECT count(*) FROM "friend_history_location") AS locations,
              (SELECT count(*) FROM "friend_history_retired") AS retirements`,
    );
    return row;
  }

  /** Waits for the backend of this database that `where` picks, and returns its pid. */
  async function backend(where: string): Promise<number> {
    for (let attempt = 0; attempt < 200; attempt++) {
      const [found] = await query<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND ${where}`,
      );
      if (found) return found.pid;
      await sleep(50);
    }
    throw new Error(`no backend matched ${where}`);
  }

  const terminate = (pid: number) => query("SELECT pg_terminate_backend($1)", [pid]);

  /** Holds a row lock on friends from another connection, so a write on them waits where it can be terminated. */
  async function lock(ids: number[]): Promise<() => Promise<void>> {
    const holder = new pg.Client({ connectionString: t.url });
    await holder.connect();
    await holder.query("BEGIN");
    await holder.query(`SELECT 1 FROM "friend" WHERE "id" = ANY($1::int[]) FOR UPDATE`, [ids]);
    return async () => {
      await holder.query("ROLLBACK");
      await holder.end();
    };
  }

  /** Terminates the backend of the write `start` begins once it waits on `lock`, and returns what the write threw. */
  async function killedWhileWaiting(ids: number[], start: () => Promise<unknown>): Promise<unknown> {
    const unlock = await lock(ids);
    try {
      const write = start().then(
        () => new Error("expected the write to fail"),
        (error: unknown) => error,
      );
      await terminate(await backend(`wait_event_type = 'Lock'`));
      return await write;
    } finally {
      await unlock();
    }
  }

  function expectLost(error: unknown, outcome: ConnectionLostError["outcome"]) {
    expect(error).toBeInstanceOf(ConnectionLostError);
    const lost = error as ConnectionLostError;
    expect(lost.code).toBe("CONNECTION_LOST");
    expect(lost.outcome).toBe(outcome);
    expect(lost.message).toMatch(outcome === "not-written" ? /nothing was written/ : /unknown/);
  }

  it("inside withActivity, between statements: nothing was written", async () => {
    const before = await totals();
    const error = await withActivity(t.db, who, async (tx) => {
      const row = await create(tx, friend, { name: "Lost between statements", location: "A" });
      await tick(tx, friend, row.id, { location: "B" });
      const result = await tx.execute(sql`SELECT pg_backend_pid() AS "pid"`);
      const [backendOf] = (result as unknown as { rows: { pid: number }[] }).rows;
      await terminate(backendOf!.pid);
      // The server's goodbye reaches the client while no query is running: an 'error' event on the client.
      await sleep(300);
      return row;
    }).catch((e: unknown) => e);
    expectLost(error, "not-written");
    expect(await totals()).toEqual(before);
  });

  it("inside withActivity, during a statement: nothing was written", async () => {
    const before = await totals();
    const error = await withActivity(t.db, who, async (tx) => {
      await create(tx, friend, { name: "Lost during a statement", location: "A" });
      // A Drizzle query runs when it is awaited or then'd: start it now, await it below. Its failure is caught at
      // once (and thrown below), so it is never a rejection without a handler while the terminate is in flight.
      const running = tx.execute(sql`SELECT pg_sleep(30)`).then(
        () => undefined,
        (failure: unknown) => failure,
      );
      await terminate(await backend(`query LIKE 'SELECT pg_sleep(30)%'`));
      const failure = await running;
      if (failure) throw failure;
    }).catch((e: unknown) => e);
    expectLost(error, "not-written");
    expect(await totals()).toEqual(before);
  });

  it("during a tickMany of 10,000 rows: none of them ticked", async () => {
    const rows = await createMany(
      t.db,
      friend,
      Array.from({ length: 10_000 }, (_, i) => ({ name: `bulk-${i}`, location: "Before" })),
      who,
    );
    const ids = rows.map((r) => r.id);
    const before = await totals();
    // The last row is locked: the UPDATE has locked (and may have written) the others when it waits for it.
    const error = await killedWhileWaiting([ids.at(-1)!], () =>
      tickMany(
        t.db,
        friend,
        ids.map((id) => ({ key: id, changes: { location: "After" }, expectedVclock: 1 })),
        who,
      ),
    );
    expectLost(error, "not-written");
    expect(await totals()).toEqual(before);
    const [after] = await query<{ n: string }>(`SELECT count(*) AS n FROM "friend" WHERE "location" = 'After'`);
    expect(Number(after!.n)).toBe(0);
    const [clock] = await query<{ last: number }>(`SELECT max("tick") AS last FROM "friend_clock" WHERE "friend_id" = ANY($1::int[])`, [
      ids,
    ]);
    expect(clock!.last).toBe(1);
  });

  it("during a retire: the record is not retired and no activity is left", async () => {
    const row = await create(t.db, friend, { name: "Not retired", location: "A" }, who);
    const before = await totals();
    const error = await killedWhileWaiting([row.id], () => retire(t.db, friend, row.id, who));
    expectLost(error, "not-written");
    expect(await totals()).toEqual(before);
    const [current] = await query(`SELECT "vclock", "retired" FROM "friend" WHERE "id" = $1`, [row.id]);
    expect(current).toEqual({ vclock: 1, retired: false });
  });

  it("during a single-statement tick: its outcome is unknown to the caller, and it is all or nothing", async () => {
    const row = await create(t.db, friend, { name: "Single statement", location: "A" }, who);
    const before = await totals();
    const error = await killedWhileWaiting([row.id], () => tick(t.db, friend, row.id, { location: "B" }, who, { expectedVclock: 1 }));
    // A statement commits by itself: the library cannot know whether it did before the connection went.
    expectLost(error, "unknown");
    // Here it was still waiting for the lock: nothing of it was written, not even its activity.
    expect(await totals()).toEqual(before);
    const [current] = await query(`SELECT "vclock", "location" FROM "friend" WHERE "id" = $1`, [row.id]);
    expect(current).toEqual({ vclock: 1, location: "A" });
  });

  it("during the COMMIT: the outcome is unknown", async () => {
    // A deferred constraint trigger that sleeps holds the COMMIT open long enough to terminate it.
    await admin.query(`CREATE TABLE "faults_slow_commit" ("id" integer)`);
    await admin.query(
      `CREATE FUNCTION "faults_sleep"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(30); RETURN NULL; END $$`,
    );
    await admin.query(
      `CREATE CONSTRAINT TRIGGER "faults_slow" AFTER INSERT ON "faults_slow_commit" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "faults_sleep"()`,
    );
    const before = await totals();
    const committing = withActivity(t.db, who, async (tx: TemporalDb) => {
      await create(tx, friend, { name: "Lost during COMMIT", location: "A" });
      await tx.execute(sql`INSERT INTO "faults_slow_commit" VALUES (1)`);
    }).catch((e: unknown) => e);
    await terminate(await backend(`state = 'active' AND query ILIKE 'commit%'`));
    expectLost(await committing, "unknown");
    // Terminated inside the COMMIT's deferred trigger, so in fact before it committed: all of it or none, here none.
    expect(await totals()).toEqual(before);
  });

  it("leaves the pool whole: no client is held, and every connection it hands out works", async () => {
    await sleep(100);
    expect(pool().totalCount - pool().idleCount).toBe(0);
    const row = await create(t.db, friend, { name: "Afterwards", location: "A" }, who);
    const results = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        withActivity(t.db, { ...who, reason: `after the faults ${i}` }, async (tx) => {
          await tx.execute(sql`SELECT pg_sleep(0.02)`);
          return i;
        }),
      ),
    );
    expect(results).toEqual(Array.from({ length: 24 }, (_, i) => i));
    expect((await tick(t.db, friend, row.id, { location: "B" }, who, { expectedVclock: 1 })).vclock).toBe(2);
    expect(pool().totalCount - pool().idleCount).toBe(0);
  });
});
