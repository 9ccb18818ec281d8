/**
 * Partitioned history (docs/SCALING.md): friend's clock and history tables rebuilt as
 * `PARTITION BY HASH (friend_id)` by hashPartitionStatements, with rows written before and after;
 * the capture triggers, reads and verify work unchanged and the exclusion constraints still refuse
 * overlaps. Then what partitioning by time does to the same constraints, as the server says it.
 */
import { and, eq, gte, lte, sql, type SQL } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import {
  asOf,
  checkTemporalSchema,
  ConstraintViolationError,
  create,
  createMany,
  hashPartitionStatements,
  history,
  HistoryImmutableError,
  InvalidArgumentError,
  planTemporalMigration,
  tableAsOf,
  tick,
  tickMany,
  timeline,
  translateError,
  verify,
  withActivity,
} from "../index";
import { friend } from "./fixtures";
import { librarySchema, withTestDb } from "./harness";

const t = withTestDb(librarySchema);

const PARTITIONS = 4;
const TABLES = ["friend_clock", "friend_history_name", "friend_history_location", "friend_history_retired"];
const on = (day: string) => ({ reason: `Change on ${day}`, actor: "vitest", at: new Date(`${day}T00:00:00.000Z`) });

async function query(statement: SQL): Promise<Record<string, unknown>[]> {
  return ((await t.db.execute(statement)) as unknown as { rows: Record<string, unknown>[] }).rows;
}

async function run(statements: string[]): Promise<void> {
  for (const statement of statements) await t.db.execute(sql.raw(statement));
}

/** The error a statement fails with, as the library reports a raw one (TemporalDatabaseError keeps the SQLSTATE). */
async function refused(statement: SQL | string): Promise<unknown> {
  const text = typeof statement === "string" ? sql.raw(statement) : statement;
  return t.db.execute(text).then(
    () => undefined,
    (e: unknown) => translateError(e),
  );
}

const ROLLBACK = new Error("rolled back on purpose");

/**
 * Runs a raw statement with the guard triggers switched off, as an owner repairing data by hand could: the error it
 * fails with, or "taken" (then, with `rollback`, undone).
 */
async function bypassingGuards(statement: SQL, options: { rollback?: boolean } = {}): Promise<unknown> {
  return t.db
    .transaction(async (tx) => {
      await tx.execute(sql`SET LOCAL session_replication_role = replica`);
      await tx.execute(statement);
      if (options.rollback) throw ROLLBACK;
    })
    .then(
      () => "taken",
      (e: unknown) => (e === ROLLBACK ? "taken" : translateError(e)),
    );
}

let serverVersion = 0;
let before: { id: number; triggers: string[] };

beforeAll(async () => {
  const [row] = await query(sql`SELECT current_setting('server_version_num')::int AS "v"`);
  serverVersion = Number(row!.v);
  // History written before partitioning: its rows must move into the partitions.
  const { id } = await create(t.db, friend, { name: "Rachel", location: "New York" }, on("2014-10-08"));
  await tick(t.db, friend, id, { location: "San Francisco" }, on("2016-01-08"));
  const triggers = await query(
    sql`SELECT c.relname || '.' || t.tgname AS "name" FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
         WHERE c.relname = ANY(${sql.param(TABLES)}::text[]) AND NOT t.tgisinternal ORDER BY 1`,
  );
  before = { id, triggers: triggers.map((r) => String(r.name)) };
  // A privilege to carry over (the app's role gets SELECT on history from db:grant; PGlite has one role, so PUBLIC).
  await run([`GRANT SELECT ON "friend_history_name" TO PUBLIC`]);
  await run(hashPartitionStatements(friend, { partitions: PARTITIONS }));
});

describe("a temporal table whose clock and history are partitioned by the key's hash", () => {
  it("rebuilds each table as PARTITION BY HASH with its partitions, triggers and constraints", async () => {
    const parents = await query(
      sql`SELECT c.relname AS "table", c.relkind::text AS "kind", pg_get_partkeydef(c.oid) AS "key",
                 (SELECT count(*)::int FROM pg_inherits i WHERE i.inhparent = c.oid) AS "partitions"
            FROM pg_class c WHERE c.relname = ANY(${sql.param(TABLES)}::text[]) ORDER BY 1`,
    );
    expect(parents).toEqual([...TABLES].sort().map((table) => ({ table, kind: "p", key: "HASH (friend_id)", partitions: PARTITIONS })));
    const triggers = await query(
      sql`SELECT c.relname || '.' || t.tgname AS "name" FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
           WHERE c.relname = ANY(${sql.param(TABLES)}::text[]) AND NOT t.tgisinternal ORDER BY 1`,
    );
    expect(triggers.map((r) => String(r.name))).toEqual(before.triggers);
    // Postgres 17 takes an exclusion constraint on a partitioned table when it compares the partition key with =;
    // Postgres 15 and 16 take none, so each partition carries its own.
    const exclusions = await query(
      sql`SELECT c.relname AS "table", count(*)::int AS "n" FROM pg_constraint x JOIN pg_class c ON c.oid = x.conrelid
           WHERE x.contype = 'x' AND c.relname LIKE 'friend_history_name%' GROUP BY 1 ORDER BY 1`,
    );
    const partitions = Array.from({ length: PARTITIONS }, (_, i) => ({ table: `friend_history_name_p${i}`, n: 2 }));
    expect(exclusions).toEqual(serverVersion >= 170000 ? [{ table: "friend_history_name", n: 2 }, ...partitions] : partitions);
    expect(await checkTemporalSchema(t.db, [friend])).toEqual([]);
    const grants = await query(
      sql`SELECT a.privilege_type AS "privilege", a.grantee = 0 AS "public" FROM pg_class c, aclexplode(c.relacl) a
           WHERE c.relname = 'friend_history_name' AND a.grantee <> c.relowner`,
    );
    expect(grants).toEqual([{ privilege: "SELECT", public: true }]);
  });

  it("keeps the rows written before and reads them as before", async () => {
    const [counts] = await query(
      sql`SELECT (SELECT count(*)::int FROM "friend_clock" WHERE "friend_id" = ${before.id}) AS "ticks",
                 (SELECT count(*)::int FROM "friend_history_location" WHERE "friend_id" = ${before.id}) AS "locations"`,
    );
    expect(counts).toEqual({ ticks: 2, locations: 2 });
    const then = await asOf(t.db, friend, before.id, { at: new Date("2015-06-01T00:00:00.000Z") });
    expect(then).toMatchObject({ vclock: 1, record: { name: "Rachel", location: "New York" } });
  });

  it("records single ticks, tickMany and a bulk UPDATE into the partitions, and verify finds nothing wrong", async () => {
    const rows = Array.from({ length: 60 }, (_, i) => ({ name: `Bulk ${i}`, location: "Paris" }));
    const made = await createMany(t.db, friend, rows, on("2020-01-01"));
    const ids = made.map((r) => r.id);
    // 60 rows: above the capture's cached-plan size, so the bulk (EXECUTE) statements run too.
    await tickMany(
      t.db,
      friend,
      ids.map((key, i) => ({ key, changes: { location: `Lyon ${i}` } })),
      on("2020-02-01"),
    );
    await withActivity(t.db, on("2020-03-01"), (tx) =>
      tx
        .update(friend)
        .set({ name: sql`${friend.name} || ' (moved)'` })
        .where(and(gte(friend.id, ids[0]!), lte(friend.id, ids.at(-1)!))),
    );
    await tick(t.db, friend, ids[0]!, { location: "Nice" }, on("2020-04-01"));
    const spread = await query(
      sql`SELECT tableoid::regclass::text AS "partition", count(*)::int AS "n" FROM "friend_history_location"
           WHERE "friend_id" = ANY(${sql.param(ids)}::int[]) GROUP BY 1 ORDER BY 1`,
    );
    expect(spread.map((r) => r.partition)).toEqual(Array.from({ length: PARTITIONS }, (_, i) => `friend_history_location_p${i}`));
    expect(spread.reduce((sum, r) => sum + Number(r.n), 0)).toBe(60 * 2 + 1);
    // Every row of one record sits in one partition.
    const [split] = await query(
      sql`SELECT count(*)::int AS "n" FROM (SELECT "friend_id" FROM "friend_history_location" GROUP BY 1 HAVING count(DISTINCT tableoid) > 1) s`,
    );
    expect(split!.n).toBe(0);
    expect(await verify(t.db, friend)).toEqual([]);

    const first = ids[0]!;
    expect(await asOf(t.db, friend, first, { vclock: 2 })).toMatchObject({ vclock: 2, record: { name: "Bulk 0", location: "Lyon 0" } });
    expect(await asOf(t.db, friend, first, { at: new Date("2020-03-15T00:00:00.000Z") })).toMatchObject({
      vclock: 3,
      record: { name: "Bulk 0 (moved)", location: "Lyon 0" },
    });
    const locations = await history(t.db, friend, first, "location");
    expect(locations.items.map((h) => [h.value, h.vclock])).toEqual([
      ["Nice", { from: 4, to: null }],
      ["Lyon 0", { from: 2, to: 4 }],
      ["Paris", { from: 1, to: 2 }],
    ]);
    const ticks = await timeline(t.db, friend, first);
    expect(ticks.items.map((e) => [e.vclock, e.activity.reason])).toEqual([
      [4, "Change on 2020-04-01"],
      [3, "Change on 2020-03-01"],
      [2, "Change on 2020-02-01"],
      [1, "Change on 2020-01-01"],
    ]);
    const page = await tableAsOf(t.db, friend, new Date("2020-02-15T00:00:00.000Z"), {
      where: (f) => eq(f.location, "Lyon 7"),
      limit: 5,
    });
    expect(page.rows.map((r) => [r.name, r.location, r.vclock])).toEqual([["Bulk 7", "Lyon 7", 2]]);
    expect(page.total).toBe(1);
  });

  it("still refuses two rows of one record whose versions or times overlap, in every partition", async () => {
    // One key per partition (keys no record has: a history row needs none), as the server hashes them.
    const found = await query(
      sql`SELECT r, min(k)::int AS "key" FROM generate_series(900001, 901000) AS k, generate_series(0, ${PARTITIONS - 1}) AS r
           WHERE satisfies_hash_partition('friend_history_location'::regclass, ${PARTITIONS}, r, k) GROUP BY r ORDER BY r`,
    );
    const keys = found.map((row) => Number(row.key));
    expect(keys).toHaveLength(PARTITIONS);
    type Row = [vclock: string, effective: string];
    // Two rows of one key in one statement, with the guards off; rolled back when taken, so nothing stays.
    const pair = (key: number, a: Row, b: Row) =>
      bypassingGuards(
        sql`INSERT INTO "friend_history_location" ("friend_id", "location", "vclock", "effective")
            VALUES (${key}, 'A', ${a[0]}::int4range, ${a[1]}::tstzrange), (${key}, 'B', ${b[0]}::int4range, ${b[1]}::tstzrange)`,
        { rollback: true },
      );
    for (const key of keys) {
      expect(await pair(key, ["[1,2)", "[2021-01-01,2021-02-01)"], ["[2,3)", "[2021-02-01,2021-03-01)"]), `key ${key}`).toBe("taken");
      const versions = await pair(key, ["[1,3)", "[2021-01-01,2021-02-01)"], ["[2,4)", "[2021-02-01,2021-03-01)"]);
      expect(versions, `key ${key}`).toBeInstanceOf(ConstraintViolationError);
      expect((versions as ConstraintViolationError).constraint).toMatch(/vclock_excl$/);
      const times = await pair(key, ["[1,2)", "[2021-01-01,2021-03-01)"], ["[2,3)", "[2021-02-01,2021-04-01)"]);
      expect(times, `key ${key}`).toBeInstanceOf(ConstraintViolationError);
      expect((times as ConstraintViolationError).constraint).toMatch(/effective_excl$/);
    }
    const [left] = await query(sql`SELECT count(*)::int AS "n" FROM "friend_history_location" WHERE "friend_id" > 900000`);
    expect(left!.n).toBe(0);
    expect(await verify(t.db, friend)).toEqual([]);
  });

  it("keeps the guards: history is written only by capture and never deleted", async () => {
    const insert = await refused(
      sql`INSERT INTO "friend_history_name" ("friend_id", "name", "vclock", "effective") VALUES (${before.id}, 'Forged', '[9,)', '[2030-01-01,)')`,
    );
    expect(insert).toBeInstanceOf(HistoryImmutableError);
    expect(await refused(sql`DELETE FROM "friend_history_name" WHERE "friend_id" = ${before.id}`)).toBeInstanceOf(HistoryImmutableError);
    expect(await refused(sql`UPDATE "friend_clock" SET "tick" = 9 WHERE "friend_id" = ${before.id}`)).toBeInstanceOf(HistoryImmutableError);
  });

  it("takes the library's later migrations (functions and guards replaced) and skips what is already partitioned", async () => {
    const replaced = planTemporalMigration([friend], null).statements.filter((s) => /^CREATE OR REPLACE (FUNCTION|TRIGGER)/.test(s));
    await run(replaced);
    await run(hashPartitionStatements(friend, { partitions: PARTITIONS }));
    const [partitions] = await query(sql`SELECT count(*)::int AS "n" FROM pg_inherits WHERE inhparent = 'friend_history_name'::regclass`);
    expect(partitions!.n).toBe(PARTITIONS);
    expect(await checkTemporalSchema(t.db, [friend])).toEqual([]);
    await tick(t.db, friend, before.id, { name: "Rachel Green" }, on("2022-01-01"));
    expect(await verify(t.db, friend)).toEqual([]);
  });

  it("holds the exclusion constraints under their own names on the partitioned table from Postgres 17 only", async () => {
    // A migration renaming a tracked column renames them on the table (lib/temporal/migration.ts): before 17 the
    // partitioned table has none to rename, and the server says so.
    const rename = (from: string, to: string) => refused(`ALTER TABLE "friend_history_name" RENAME CONSTRAINT "${from}" TO "${to}"`);
    if (serverVersion >= 170000) {
      expect(await rename("friend_history_name_vclock_excl", "renamed_vclock_excl")).toBeUndefined();
      expect(await rename("renamed_vclock_excl", "friend_history_name_vclock_excl")).toBeUndefined();
    } else {
      expect(await rename("friend_history_name_vclock_excl", "renamed_vclock_excl")).toMatchObject({
        code: "DATABASE",
        sqlState: "42704",
        message: 'The database failed: constraint "friend_history_name_vclock_excl" for table "friend_history_name" does not exist',
      });
    }
  });

  it("refuses a partition count outside 2..1024", () => {
    expect(() => hashPartitionStatements(friend, { partitions: 1 })).toThrow(InvalidArgumentError);
    expect(() => hashPartitionStatements(friend, { partitions: 2.5 })).toThrow(InvalidArgumentError);
  });
});

describe("history partitioned by time", () => {
  const columns = `"friend_id" integer NOT NULL, "name" text, "vclock" int4range NOT NULL, "effective" tstzrange NOT NULL`;

  it("takes no exclusion constraint of one record's ranges on the partitioned table", async () => {
    await run([`CREATE TABLE "by_time" (${columns}) PARTITION BY RANGE (lower("effective"))`]);
    const error = await refused(
      `ALTER TABLE "by_time" ADD CONSTRAINT "by_time_effective_excl" EXCLUDE USING gist ("friend_id" WITH =, "effective" WITH &&)`,
    );
    expect(error).toMatchObject(
      serverVersion >= 170000
        ? {
            code: "DATABASE",
            sqlState: "0A000",
            message: "The database failed: unsupported EXCLUDE constraint with partition key definition",
          }
        : {
            code: "DATABASE",
            sqlState: "0A000",
            message: "The database failed: exclusion constraints are not supported on partitioned tables",
          },
    );
  });

  it("takes no (key, tick) primary key on a clock partitioned by recorded time", async () => {
    const error = await refused(
      `CREATE TABLE "clock_by_time" ("friend_id" integer NOT NULL, "tick" integer NOT NULL, "timestamp" timestamptz NOT NULL,
         PRIMARY KEY ("friend_id", "tick")) PARTITION BY RANGE ("timestamp")`,
    );
    expect(error).toMatchObject({
      code: "DATABASE",
      sqlState: "0A000",
      message: expect.stringContaining("unique constraint on partitioned table must include all partitioning columns"),
    });
  });

  it("with an exclusion constraint on each time partition instead, lets one record's overlapping ranges through", async () => {
    await run([
      `CREATE TABLE "by_time_2020" PARTITION OF "by_time" FOR VALUES FROM ('2020-01-01') TO ('2021-01-01')`,
      `CREATE TABLE "by_time_2021" PARTITION OF "by_time" FOR VALUES FROM ('2021-01-01') TO ('2022-01-01')`,
      `ALTER TABLE "by_time_2020" ADD EXCLUDE USING gist ("friend_id" WITH =, "effective" WITH &&)`,
      `ALTER TABLE "by_time_2021" ADD EXCLUDE USING gist ("friend_id" WITH =, "effective" WITH &&)`,
      `INSERT INTO "by_time" VALUES (1, 'Ross', '[1,)', '[2020-06-01,)')`,
    ]);
    // Within one partition the constraint holds ...
    expect(await refused(`INSERT INTO "by_time" VALUES (1, 'Ross', '[2,)', '[2020-09-01,)')`)).toBeInstanceOf(ConstraintViolationError);
    // ... across two it cannot see: two open ranges of one record, both "current".
    await run([`INSERT INTO "by_time" VALUES (1, 'Rachel', '[2,)', '[2021-03-01,)')`]);
    const [both] = await query(
      sql`SELECT count(*)::int AS "n", bool_and(upper_inf("effective")) AS "open" FROM "by_time" WHERE "friend_id" = 1 AND "effective" @> '2021-06-01'::timestamptz`,
    );
    expect(both).toEqual({ n: 2, open: true });
  });
});
