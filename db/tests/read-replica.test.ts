/**
 * Reads on a real streaming replica (db/read-replica.ts). `.ci/run` makes a throw-away primary and its replica
 * (`.ci/replica-pair`) and runs this file with DATABASE_URL on the primary and DATABASE_READ_URL on the replica
 * (the server; each test database is read there by its own name). Pausing the replica's replay shows which server
 * answered: an editor's read after their save still sees it (it waited, then read the primary), an auditor's read
 * is the replica's. Only Next's request plumbing is replaced (headers, the cookie jar, cache revalidation). The
 * router's own checks (positions, a replica that is down, the log's limit) run everywhere, on PGlite too.
 */
import { eq, sql, type SQL } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { friend } from "@/db/schema";
import { appSchema, serveAppFrom, withTestDb } from "@/db/tests/database";
import { getAuth } from "@/lib/auth/server";
import { createStaff } from "@/lib/auth/staff";
import { create, type TemporalDb } from "@temporal-records/drizzle";
import { form, idle } from "@/lib/admin/tests/submitted";

const request = vi.hoisted(() => ({ headers: new Headers(), jar: new Map<string, string>() }));
vi.mock("next/headers", () => ({
  headers: async () => request.headers,
  cookies: async () => ({
    get: (name: string) => (request.jar.has(name) ? { name, value: request.jar.get(name) } : undefined),
    set: (name: string, value: string) => void request.jar.set(name, value),
  }),
}));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined, revalidateTag: () => undefined }));

const { readDatabase, getDb } = await import("@/db/client");
const { createReadReplica, formatLsn, parseLsn, rateLimitedLog, READ_AFTER_COOKIE } = await import("@/db/read-replica");
const { runAction } = await import("@/lib/admin/action");
const { updateRecord } = await import("@/app/(app)/t/[table]/[id]/actions");

const PRIMARY_SERVER = process.env.DATABASE_URL;
const REPLICA_SERVER = process.env.DATABASE_READ_URL;
const WAIT_MS = 400;
const setUp = { reason: "test set-up", actor: "vitest", actorName: "Vitest" };

const rowsOf = async <T>(db: TemporalDb, query: SQL) => ((await db.execute(query)) as unknown as { rows: T[] }).rows;
/** Which server answered a read. */
const servedBy = async (db: TemporalDb) =>
  (await rowsOf<{ recovery: boolean }>(db, sql`SELECT pg_is_in_recovery() AS recovery`))[0]!.recovery ? "replica" : "primary";
const locationOf = async (db: TemporalDb, id: number) => (await db.select().from(friend).where(eq(friend.id, id)))[0]?.location;

const database = withTestDb(appSchema);

/** A replica that refuses connections: nothing listens on port 1. */
function downReplica() {
  const pool = new pg.Pool({ connectionString: "postgres://postgres@127.0.0.1:1/none", connectionTimeoutMillis: 1_000 });
  pool.on("error", () => {});
  return { db: drizzle(pool) as unknown as TemporalDb, close: () => pool.end() };
}

describe("the read router", () => {
  it("orders WAL positions as Postgres does, and writes them back the same", () => {
    expect(parseLsn("16/B374D848")! > parseLsn("16/B374D847")!).toBe(true);
    expect(parseLsn("1/0")! > parseLsn("0/FFFFFFFF")!).toBe(true);
    expect(formatLsn(parseLsn("16/b374d848")!)).toBe("16/B374D848");
    for (const bad of ["", "16", "16/", "1/2/3", "G/0", "123456789/0", undefined, null]) expect(parseLsn(bad)).toBeUndefined();
  });

  it("reads on the primary when the replica refuses connections, skips the replica for a while, and logs one line", async () => {
    const lines: string[] = [];
    const down = downReplica();
    try {
      const router = createReadReplica(down.db, { waitMs: WAIT_MS, log: (line) => lines.push(line) });
      expect(await router.ready()).toBe(true); // nothing to wait for: no question asked yet
      expect(await router.read(database.db, servedBy)).toBe("primary");
      expect(await router.ready()).toBe(false);
      expect(await router.ready(1n)).toBe(false);
      expect(await router.read(database.db, servedBy)).toBe("primary");
      expect(lines).toEqual([
        expect.stringMatching(/^\[read-replica\] the replica failed a read \(unavailable: .+\), so it ran on the primary$/),
      ]);
    } finally {
      await down.close();
    }
  });

  it("writes the first line of each reason, then at most one a minute, counting the ones held back", () => {
    vi.useFakeTimers();
    try {
      const lines: string[] = [];
      const log = rateLimitedLog((line) => lines.push(line));
      log("lag", "behind");
      log("lag", "behind");
      log("down", "refused");
      vi.advanceTimersByTime(60_000);
      log("lag", "behind");
      expect(lines).toEqual([
        "[read-replica] behind",
        "[read-replica] refused",
        "[read-replica] behind (and 1 more since the last such line)",
      ]);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe.skipIf(!PRIMARY_SERVER || !REPLICA_SERVER)(
  "a read replica (skipped unless DATABASE_URL and DATABASE_READ_URL name a primary and its streaming replica, as .ci/replica-pair makes)",
  () => {
    const lines: string[] = [];
    let replicaPool: pg.Pool;
    let replica: TemporalDb;
    let replicaAdmin: pg.Client;
    let editorSession = "";

    /** The app's reads go to this replica from now on, with a fresh router (nothing replayed seen, nothing skipped). */
    const serveReadsFrom = (db: TemporalDb) => {
      lines.length = 0;
      const state = (globalThis as { __temporalReadReplica?: { replica?: unknown } }).__temporalReadReplica!;
      state.replica = Promise.resolve(createReadReplica(db, { waitMs: WAIT_MS, log: (line) => lines.push(line) }));
    };
    const replayed = async () => parseLsn((await replicaAdmin.query("SELECT pg_last_wal_replay_lsn()::text AS lsn")).rows[0].lsn)!;
    /** Waits until the replica has replayed everything the primary has written so far. */
    const caughtUp = async () => {
      const target = parseLsn((await rowsOf<{ lsn: string }>(database.db, sql`SELECT pg_current_wal_lsn()::text AS lsn`))[0]!.lsn)!;
      for (const until = Date.now() + 10_000; (await replayed()) < target; await new Promise((resolve) => setTimeout(resolve, 20))) {
        if (Date.now() > until) throw new Error(`The replica has not replayed ${formatLsn(target)} in 10 s: is it streaming?`);
      }
    };
    const actAsEditor = (jar: Map<string, string> = new Map()) => {
      request.headers = new Headers({ cookie: editorSession });
      request.jar = jar;
    };

    beforeAll(async () => {
      serveAppFrom(database);
      const readUrl = new URL(REPLICA_SERVER!);
      readUrl.pathname = new URL(database.url!).pathname;
      replicaPool = new pg.Pool({ connectionString: readUrl.toString(), max: 4 });
      replicaPool.on("error", () => {});
      replica = drizzle(replicaPool) as unknown as TemporalDb;
      replicaAdmin = new pg.Client({ connectionString: REPLICA_SERVER });
      await replicaAdmin.connect();
      await caughtUp();
      const auth = await getAuth();
      const person = { email: `replica-editor-${process.pid}@test.example`, name: "The editor", role: "editor" as const };
      await createStaff(database.db, auth, { ...person, password: "password-of-the-editor" }, setUp);
      const signedIn = await auth.api.signInEmail({
        body: { email: person.email, password: "password-of-the-editor" },
        returnHeaders: true,
      });
      editorSession = signedIn.headers
        .getSetCookie()
        .map((line) => line.split(";")[0]!)
        .join("; ");
    });

    afterAll(async () => {
      await replicaAdmin?.query("SELECT pg_wal_replay_resume()");
      await replicaAdmin?.end();
      await replicaPool?.end();
    });

    it("reads pages on the replica, and a server action's reads and writes on the primary", async () => {
      serveReadsFrom(replica);
      request.jar = new Map();
      expect(await readDatabase(servedBy)).toBe("replica");
      expect(await servedBy(await getDb())).toBe("primary");
      actAsEditor();
      const action = async () => ({ status: "ok", message: await readDatabase(servedBy) }) as const;
      expect(await runAction({ role: "editor", input: z.object({}) }, {}, action)).toEqual({ status: "ok", message: "primary" });
      // The action left its WAL position; the replica, replaying, reaches it within the wait.
      expect(parseLsn(request.jar.get(READ_AFTER_COOKIE))).toBeDefined();
      expect(await readDatabase(servedBy)).toBe("replica");
      expect(lines).toEqual([]);
    });

    it("shows an editor their own save at once while the replica's replay is paused, and an auditor the replica's older copy", async () => {
      const row = await create(database.db, friend, { name: "Rachel", location: "New York" }, setUp);
      await caughtUp();
      serveReadsFrom(replica);
      await replicaAdmin.query("SELECT pg_wal_replay_pause()");
      try {
        const editor = new Map<string, string>();
        actAsEditor(editor);
        const saved = await updateRecord(
          { table: "friend", id: String(row.id) },
          idle,
          form({ "field.location": "San Francisco", vclock: 1, reason: "Moved for a new job" }),
        );
        expect(saved).toMatchObject({ status: "ok", vclock: 2 });
        const savedAt = parseLsn(editor.get(READ_AFTER_COOKIE))!;
        expect(savedAt).toBeGreaterThan(await replayed());

        const page = (db: TemporalDb) => Promise.all([servedBy(db), locationOf(db, row.id)]);
        let started = performance.now();
        expect(await readDatabase(page)).toEqual(["primary", "San Francisco"]);
        expect(performance.now() - started).toBeGreaterThanOrEqual(WAIT_MS - 1);
        expect(lines).toEqual([
          expect.stringMatching(new RegExp(`^\\[read-replica\\] the replica had not replayed a save \\(.+\\) after ${WAIT_MS} ms`)),
        ]);

        // Someone who saved nothing (an auditor) reads the replica: the value before the save, replay being paused.
        request.jar = new Map();
        expect(await readDatabase(page)).toEqual(["replica", "New York"]);

        // While the replica lags, the editor's next page reads the primary without waiting again, and nothing more is logged.
        request.jar = editor;
        started = performance.now();
        expect(await readDatabase(page)).toEqual(["primary", "San Francisco"]);
        expect(performance.now() - started).toBeLessThan(WAIT_MS);
        expect(lines).toHaveLength(1);
      } finally {
        await replicaAdmin.query("SELECT pg_wal_replay_resume()");
      }
      // Replayed: the editor's reads are the replica's again, and it has the save.
      await expect
        .poll(() => readDatabase((db) => Promise.all([servedBy(db), locationOf(db, row.id)])), { timeout: 10_000, interval: 50 })
        .toEqual(["replica", "San Francisco"]);
    });

    it("reads on the primary when the replica is down, and says so in one line, not one per read", async () => {
      const down = downReplica();
      serveReadsFrom(down.db);
      try {
        request.jar = new Map();
        for (let read = 0; read < 3; read++) expect(await readDatabase(servedBy)).toBe("primary");
        // With a save to wait for, too: the replica is skipped, not asked.
        request.jar = new Map([[READ_AFTER_COOKIE, "0/1"]]);
        expect(await readDatabase(servedBy)).toBe("primary");
        expect(lines).toEqual([
          expect.stringMatching(/^\[read-replica\] the replica failed a read \(unavailable: .+\), so it ran on the primary$/),
        ]);
      } finally {
        await down.close();
      }
    });
  },
);
