/**
 * The app's role owns nothing (README, "Database roles"): capture runs as the owner, so the role can
 * write records through any path but cannot write, change or switch off their history. Postgres
 * only: PGlite has a single role.
 */
import { eq, sql, type SQL } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  asOf,
  create,
  createMany,
  history,
  MissingActivityError,
  restore,
  retire,
  revert,
  revertActivity,
  temporalGrants,
  tick,
  tickMany,
  timeline,
  translateError,
  verify,
  withActivity,
  type TemporalDb,
} from "../index";
import { enrollment, fixtureTables, friend, sink } from "./fixtures";
import { testDb, type TestDb } from "./harness";

const url = process.env.DATABASE_URL;
const suffix = `${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
const OWNER = `temporal_test_owner_${suffix}`;
const APP = `temporal_test_app_${suffix}`;
const who = { reason: "test", actor: "vitest" };

let t: TestDb;
let appPool: pg.Pool;
let app: TemporalDb;

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** The SQLSTATE a statement fails with as the app role (one transaction each, so a failure ends only itself). */
async function refusal(statement: string): Promise<string | undefined> {
  const client = await appPool.connect();
  try {
    await client.query("BEGIN");
    await client.query(statement);
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  } finally {
    await client.query("ROLLBACK").catch(() => {});
    client.release();
  }
}

async function count(table: string): Promise<number> {
  const result = await t.db.execute(sql.raw(`SELECT count(*)::int AS "n" FROM ${table}`));
  return Number((result as unknown as { rows: { n: number }[] }).rows[0]!.n);
}

describe.skipIf(!url)("the app as a role that owns nothing (Postgres)", () => {
  beforeAll(async () => {
    await admin(`CREATE ROLE "${OWNER}" LOGIN`);
    await admin(`CREATE ROLE "${APP}" LOGIN`);
    t = await testDb(undefined, undefined, { owner: OWNER });
    for (const statement of temporalGrants(fixtureTables, APP)) await t.db.execute(sql.raw(statement));
    const appUrl = new URL(t.url!);
    appUrl.username = APP;
    appPool = new pg.Pool({ connectionString: appUrl.toString(), max: 4 });
    appPool.on("error", () => {});
    app = drizzle(appPool) as unknown as TemporalDb;
  });
  afterAll(async () => {
    await appPool?.end();
    await t?.close();
    await admin(`DROP ROLE IF EXISTS "${APP}"`);
    await admin(`DROP ROLE IF EXISTS "${OWNER}"`);
  });

  it("cannot switch capture off, alter, truncate or drop, nor replicate around the triggers", async () => {
    const row = await create(app, friend, { name: "Ann", location: "Here" }, who);
    for (const statement of [
      `ALTER TABLE "friend" DISABLE TRIGGER USER`,
      `ALTER TABLE "friend" DISABLE TRIGGER "temporal_3_after_update"`,
      `ALTER TABLE "friend_history_location" DISABLE TRIGGER ALL`,
      `ALTER TABLE "friend" ADD COLUMN "forged" text`,
      `ALTER TABLE "temporal_activity" DROP CONSTRAINT "temporal_activity_at_check"`,
      `TRUNCATE "friend_history_location"`,
      `TRUNCATE "temporal_activity" CASCADE`,
      `DROP TABLE "friend_clock"`,
      `DROP TRIGGER "temporal_3_after_update" ON "friend"`,
      `DROP FUNCTION "friend_temporal_after_update"()`,
      `CREATE OR REPLACE FUNCTION "friend_temporal_after_update"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$`,
      `SET session_replication_role = replica`,
      `SET LOCAL session_replication_role = replica`,
    ]) {
      expect({ statement, code: await refusal(statement) }).toEqual({ statement, code: "42501" });
    }
    expect(await verify(app, friend)).toEqual([]);
    expect((await asOf(app, friend, row.id, { vclock: 1 }))?.record.location).toBe("Here");
  });

  it("cannot write, change or remove clock, history or activity rows directly", async () => {
    const row = await create(app, friend, { name: "Bob", location: "Here" }, who);
    const before = [await count(`"friend_clock"`), await count(`"friend_history_location"`), await count(`"temporal_activity"`)];
    for (const statement of [
      `INSERT INTO "friend_history_location" ("friend_id", "location", "vclock", "effective") VALUES (${row.id}, 'Forged', '[5,)', '[2000-01-01,)')`,
      `UPDATE "friend_history_location" SET "location" = 'Forged' WHERE "friend_id" = ${row.id}`,
      `DELETE FROM "friend_history_location" WHERE "friend_id" = ${row.id}`,
      `INSERT INTO "friend_clock" ("friend_id", "tick", "timestamp", "activity_id") SELECT ${row.id}, 2, now(), max("id") FROM "temporal_activity"`,
      `UPDATE "friend_clock" SET "timestamp" = '2100-01-01' WHERE "friend_id" = ${row.id}`,
      `DELETE FROM "friend_clock" WHERE "friend_id" = ${row.id}`,
      `INSERT INTO "temporal_activity" ("reason", "actor", "at", "recorded_at", "txid") VALUES ('Forged', 'x', '2100-01-01', '2100-01-01', txid_current())`,
      `UPDATE "temporal_activity" SET "reason" = 'Forged'`,
      `DELETE FROM "temporal_activity"`,
      `DELETE FROM "friend" WHERE "id" = ${row.id}`,
    ]) {
      expect({ statement, code: await refusal(statement) }).toEqual({ statement, code: "42501" });
    }
    expect([await count(`"friend_clock"`), await count(`"friend_history_location"`), await count(`"temporal_activity"`)]).toEqual(before);
  });

  it("cannot forge history through a trigger of its own, nor borrow a capture function for one", async () => {
    const row = await create(app, friend, { name: "Cy", location: "Here" }, who);
    const forge = [
      `CREATE TEMP TABLE "decoy" ("id" int)`,
      `CREATE FUNCTION pg_temp.forge() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
         INSERT INTO "friend_history_location" ("friend_id", "location", "vclock", "effective") VALUES (${row.id}, 'Forged', '[7,)', '[2000-01-01,)');
         INSERT INTO "friend_clock" ("friend_id", "tick", "timestamp", "activity_id") SELECT ${row.id}, 7, now(), max("id") FROM "temporal_activity";
         RETURN NULL; END $$`,
      `CREATE TRIGGER "forge" AFTER INSERT ON "decoy" FOR EACH STATEMENT EXECUTE FUNCTION pg_temp.forge()`,
      `INSERT INTO "decoy" VALUES (1)`,
    ].join(";\n");
    expect(await refusal(forge)).toBe("42501");
    const borrow = [
      `CREATE TEMP TABLE "decoy" ("id" int, "name" text, "location" text, "vclock" int, "retired" boolean)`,
      `CREATE TRIGGER "borrow" AFTER INSERT ON "decoy" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "friend_temporal_after_insert"()`,
    ].join(";\n");
    expect(await refusal(borrow)).toBe("42501");
    const stamp = `CREATE TEMP TABLE "decoy" ("id" bigint); CREATE CONSTRAINT TRIGGER "borrow" AFTER INSERT ON "decoy" FOR EACH ROW EXECUTE FUNCTION "temporal_drop_unticked"()`;
    expect(await refusal(stamp)).toBe("42501");
    expect(await verify(t.db, friend)).toEqual([]);
    expect((await history(t.db, friend, row.id, "location")).items.map((h) => h.value)).toEqual(["Here"]);
  });

  it("cannot set the activity by hand to one it did not open in this transaction", async () => {
    const row = await create(app, friend, { name: "Di", location: "Here" }, who);
    const result = await app.execute(sql`SELECT max("id")::text AS "id" FROM "temporal_activity"`);
    const [theirs] = (result as unknown as { rows: { id: string }[] }).rows;
    for (const id of [theirs!.id, "999999999", "1; DROP TABLE friend"]) {
      const attempt = withHand(id, sql`UPDATE "friend" SET "location" = 'Forged' WHERE "id" = ${row.id}`);
      await expect(attempt).rejects.toBeInstanceOf(MissingActivityError);
    }
    expect((await asOf(app, friend, row.id, { at: new Date() }))?.record.location).toBe("Here");
  });

  it("writes and reads through every library path, and a no-op keeps no activity", async () => {
    const a = await create(app, friend, { name: "Eve", location: "Here" }, who);
    const [b, c] = await createMany(app, friend, [{ name: "Fay" }, { name: "Gus" }], who);
    await tick(app, friend, a.id, { location: "There" }, who, { expectedVclock: 1 });
    await tickMany(
      app,
      friend,
      [
        { key: b!.id, changes: { location: "North" } },
        { key: c!.id, changes: { location: "South" } },
      ],
      who,
    );
    await retire(app, friend, c!.id, who);
    await restore(app, friend, c!.id, who);
    await revert(app, friend, a.id, { toVclock: 1 }, who);
    const { id: bulk } = await withActivity(app, who, async (tx, ctx) => {
      await tx.execute(sql`UPDATE "friend" SET "location" = 'Everywhere' WHERE "id" IN (${a.id}, ${b!.id})`);
      return ctx;
    });
    await revertActivity(app, bulk, who);
    const enrolled = await create(app, enrollment, { memberId: 1, year: 2027, plan: "gold" }, who);
    await tick(app, enrollment, { memberId: enrolled.memberId, year: 2027 }, { premium: "120.00" }, who);
    await create(app, sink, { count: 1 }, who);
    expect((await timeline(app, friend, a.id)).items.map((e) => e.vclock)).toEqual([5, 4, 3, 2, 1]);
    expect(await app.select().from(friend).where(eq(friend.id, a.id))).toEqual([
      { id: a.id, name: "Eve", location: "Here", nickname: null, vclock: 5, retired: false },
    ]);

    const activities = await count(`"temporal_activity"`);
    await tick(app, friend, a.id, { location: "Here" }, who);
    await tickMany(app, friend, [{ key: b!.id, changes: { location: "North" } }], who);
    await withActivity(app, who, (tx) => tx.execute(sql`UPDATE "friend" SET "nickname" = 'untracked' WHERE "id" = ${a.id}`));
    expect(await count(`"temporal_activity"`)).toBe(activities);
    for (const table of [friend, enrollment, sink]) expect(await verify(app, table)).toEqual([]);
  });
});

/** A raw transaction as the app role that sets the activity itself, then writes. */
async function withHand(id: string, write: SQL): Promise<void> {
  await withTransaction(async (tx) => {
    await tx.execute(sql`SELECT set_config('temporal.activity_id', ${id}, true)`);
    await tx.execute(write);
  });
}

async function withTransaction(fn: (tx: TemporalDb) => Promise<void>): Promise<void> {
  try {
    await app.transaction(async (tx) => fn(tx as unknown as TemporalDb));
  } catch (error) {
    throw translateError(error);
  }
}
