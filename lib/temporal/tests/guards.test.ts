import { eq, sql, type SQL } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import {
  create,
  DeleteRefusedError,
  history,
  HistoryImmutableError,
  KeyChangeRefusedError,
  MissingActivityError,
  restore,
  retire,
  RetiredError,
  TemporalError,
  tick,
  tickMany,
  timeline,
  translateError,
  VclockManagedError,
  verify,
  withActivity,
  type TemporalDb,
} from "../index";
import { enrollment, friend, sink } from "./fixtures";
import { librarySchema, oneConnection, withTestDb } from "./harness";

const t = withTestDb(librarySchema);

const who = { reason: "test", actor: "vitest" };

async function query<T = Record<string, unknown>>(q: SQL, db: TemporalDb = t.db): Promise<T[]> {
  const result = await db.execute(q);
  return (result as unknown as { rows: T[] }).rows;
}

/** Everything stored about one friend, plus the number of activities: must not move when a write is refused. */
async function friendState(id: number) {
  const normalize = (rows: Record<string, unknown>[]) =>
    rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === null ? null : String(v)])));
  return {
    entity: normalize(await query(sql`SELECT * FROM "friend" WHERE "id" = ${id}`)),
    clock: normalize(await query(sql`SELECT * FROM "friend_clock" WHERE "friend_id" = ${id} ORDER BY "tick"`)),
    name: normalize(await query(sql`SELECT * FROM "friend_history_name" WHERE "friend_id" = ${id} ORDER BY lower("vclock")`)),
    location: normalize(await query(sql`SELECT * FROM "friend_history_location" WHERE "friend_id" = ${id} ORDER BY lower("vclock")`)),
    retired: normalize(await query(sql`SELECT * FROM "friend_history_retired" WHERE "friend_id" = ${id} ORDER BY lower("vclock")`)),
    activities: normalize(await query(sql`SELECT count(*) AS "n" FROM "temporal_activity"`)),
  };
}

async function count(table: string): Promise<number> {
  const [row] = await query<{ n: string | number }>(sql.raw(`SELECT count(*) AS "n" FROM ${table}`));
  return Number(row!.n);
}

/** Creates a friend with two ticks, so it has closed and open history rows. */
async function friendWithHistory(name: string) {
  const row = await create(t.db, friend, { name, location: "Here" }, who);
  await tick(t.db, friend, row.id, { location: "There" }, who);
  return row.id;
}

describe("records are never deleted", () => {
  it("refuses DELETE of a record, with or without an activity, and changes nothing", async () => {
    const id = await friendWithHistory("Gunther");
    const before = await friendState(id);

    const plain = await t.db.delete(friend).where(eq(friend.id, id)).catch(translateError);
    expect(plain).toBeInstanceOf(DeleteRefusedError);
    expect((plain as DeleteRefusedError).code).toBe("DELETE_REFUSED");
    expect((plain as Error).message).toMatch(/retire/);

    const inside = await withActivity(t.db, who, (tx) => tx.delete(friend).where(eq(friend.id, id))).catch((e: unknown) => e);
    expect(inside).toBeInstanceOf(DeleteRefusedError);

    const raw = await t.db.execute(sql`DELETE FROM "friend" WHERE "id" = ${id}`).catch(translateError);
    expect(raw).toBeInstanceOf(DeleteRefusedError);

    expect(await friendState(id)).toEqual(before);
  });

  it("refuses TRUNCATE of a temporal table and changes nothing", async () => {
    const id = await friendWithHistory("Janice");
    await create(t.db, sink, { label: "keep me" }, who);
    await create(t.db, enrollment, { memberId: 1, year: 1999, plan: "basic" }, who);
    const before = await friendState(id);
    const sinks = await count(`"kitchen_sink"`);
    const enrollments = await count(`"enrollment"`);

    for (const statement of [
      `TRUNCATE "kitchen_sink"`,
      `TRUNCATE "enrollment"`,
      `TRUNCATE "friend" CASCADE`,
      `TRUNCATE "friend", "kitchen_sink"`,
    ]) {
      const error = await withActivity(t.db, who, (tx) => tx.execute(sql.raw(statement))).catch((e: unknown) => e);
      expect(error, statement).toBeInstanceOf(DeleteRefusedError);
      expect((error as TemporalError).code).toBe("DELETE_REFUSED");
    }
    const plain = await t.db.execute(sql.raw(`TRUNCATE "kitchen_sink"`)).catch(translateError);
    expect(plain).toBeInstanceOf(DeleteRefusedError);

    // A table other tables reference is refused by Postgres' own foreign-key rule before any trigger runs.
    const referenced = await t.db.execute(sql.raw(`TRUNCATE "friend"`)).catch(translateError);
    expect(referenced).toBeInstanceOf(TemporalError);

    expect(await friendState(id)).toEqual(before);
    expect(await count(`"kitchen_sink"`)).toBe(sinks);
    expect(await count(`"enrollment"`)).toBe(enrollments);
  });
});

describe("keys never change", () => {
  it("refuses changing the primary key of a record and changes nothing", async () => {
    const id = await friendWithHistory("Ursula");
    const before = await friendState(id);
    const drizzleUpdate = await withActivity(t.db, who, (tx) =>
      tx
        .update(friend)
        .set({ id: id + 100_000 })
        .where(eq(friend.id, id)),
    ).catch((e: unknown) => e);
    expect(drizzleUpdate).toBeInstanceOf(KeyChangeRefusedError);
    expect((drizzleUpdate as TemporalError).code).toBe("KEY_CHANGE_REFUSED");
    const raw = await withActivity(t.db, who, (tx) =>
      tx.execute(sql`UPDATE "friend" SET "id" = "id" + 100000, "location" = 'Moved' WHERE "id" = ${id}`),
    ).catch((e: unknown) => e);
    expect(raw).toBeInstanceOf(KeyChangeRefusedError);
    const upsert = await withActivity(t.db, who, (tx) =>
      tx.execute(
        sql`INSERT INTO "friend" ("id", "name") VALUES (${id}, 'Ursula') ON CONFLICT ("id") DO UPDATE SET "id" = excluded."id" + 100000`,
      ),
    ).catch((e: unknown) => e);
    expect(upsert).toBeInstanceOf(KeyChangeRefusedError);
    expect(await friendState(id)).toEqual(before);
    expect(await count(`"friend" WHERE "id" = ${id + 100_000}`)).toBe(0);
  });

  it("refuses changing one column of a composite key", async () => {
    const key = { memberId: 42, year: 2020 };
    await create(t.db, enrollment, { ...key, plan: "basic" }, who);
    const error = await withActivity(t.db, who, (tx) =>
      tx.execute(sql`UPDATE "enrollment" SET "year" = 2021 WHERE "member_id" = 42 AND "year" = 2020`),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KeyChangeRefusedError);
    const rows = await query<{ year: number; vclock: number }>(sql`SELECT "year", "vclock" FROM "enrollment" WHERE "member_id" = 42`);
    expect(rows).toEqual([{ year: 2020, vclock: 1 }]);
    const clock = await query<{ y: number }>(
      sql`SELECT "enrollment_year" AS "y" FROM "audit"."enrollment_clock" WHERE "enrollment_member_id" = 42`,
    );
    expect(clock).toEqual([{ y: 2020 }]);
  });
});

describe("vclock and retired are managed", () => {
  it("refuses inserting a record with a vclock other than 1 or already retired, and writes nothing", async () => {
    const friends = await count(`"friend"`);
    const clocks = await count(`"friend_clock"`);
    const activities = await count(`"temporal_activity"`);
    for (const values of [
      { name: "Two", vclock: 2 },
      { name: "Zero", vclock: 0 },
      { name: "Retired", retired: true },
    ]) {
      const error = await withActivity(t.db, who, (tx) => tx.insert(friend).values(values)).catch((e: unknown) => e);
      expect(error, JSON.stringify(values)).toBeInstanceOf(VclockManagedError);
      expect((error as TemporalError).code).toBe("VCLOCK_MANAGED");
    }
    const raw = await withActivity(t.db, who, (tx) =>
      tx.execute(sql`INSERT INTO "friend" ("name", "vclock") VALUES ('Fine', 1), ('Seven', 7)`),
    ).catch((e: unknown) => e);
    expect(raw).toBeInstanceOf(VclockManagedError);
    expect(await count(`"friend"`)).toBe(friends);
    expect(await count(`"friend_clock"`)).toBe(clocks);
    expect(await count(`"temporal_activity"`)).toBe(activities);
  });

  it("accepts an explicit vclock of 1 and retired false", async () => {
    const [row] = await withActivity(t.db, who, (tx) =>
      tx.insert(friend).values({ name: "Explicit", vclock: 1, retired: false }).returning(),
    );
    expect(row).toMatchObject({ name: "Explicit", vclock: 1, retired: false });
    expect((await timeline(t.db, friend, row!.id)).items.map((e) => [e.vclock, e.kind])).toEqual([[1, "created"]]);
  });

  it("keeps vclock as the database counts it when an UPDATE sets it", async () => {
    const id = await friendWithHistory("Counter");
    await withActivity(t.db, who, (tx) => tx.execute(sql`UPDATE "friend" SET "vclock" = 99 WHERE "id" = ${id}`));
    await withActivity(t.db, who, (tx) => tx.execute(sql`UPDATE "friend" SET "vclock" = 1, "location" = 'Elsewhere' WHERE "id" = ${id}`));
    const [row] = await query<{ vclock: number }>(sql`SELECT "vclock" FROM "friend" WHERE "id" = ${id}`);
    expect(row!.vclock).toBe(3);
    expect(await verify(t.db, friend)).toEqual([]);
  });
});

describe("history, clock and activity rows are append-only", () => {
  const refusedInside = async (statement: string) =>
    withActivity(t.db, who, (tx) => tx.execute(sql.raw(statement))).catch((e: unknown) => e);

  it("refuses UPDATE, DELETE and TRUNCATE of clock and history rows, even inside withActivity", async () => {
    const id = await friendWithHistory("Mike");
    const before = await friendState(id);
    const statements = [
      `UPDATE "friend_clock" SET "tick" = "tick" + 10 WHERE "friend_id" = ${id}`,
      `UPDATE "friend_clock" SET "activity_id" = "activity_id" WHERE "friend_id" = ${id}`,
      `DELETE FROM "friend_clock" WHERE "friend_id" = ${id}`,
      `TRUNCATE "friend_clock"`,
      `UPDATE "friend_history_location" SET "location" = 'Forged' WHERE "friend_id" = ${id}`,
      // Even a change that looks like a capture (closing the open range) is refused when done by hand.
      `UPDATE "friend_history_location" SET "vclock" = int4range(lower("vclock"), 9), "effective" = tstzrange(lower("effective"), now() + interval '1 day') WHERE "friend_id" = ${id} AND upper_inf("vclock")`,
      `DELETE FROM "friend_history_location" WHERE "friend_id" = ${id}`,
      `TRUNCATE "friend_history_location"`,
      `DELETE FROM "friend_history_retired" WHERE "friend_id" = ${id}`,
      `UPDATE "audit"."enrollment_history_plan" SET "plan" = 'x'`,
      `DELETE FROM "audit"."enrollment_clock"`,
    ];
    for (const statement of statements) {
      const error = await refusedInside(statement);
      expect(error, statement).toBeInstanceOf(HistoryImmutableError);
      expect((error as TemporalError).code).toBe("HISTORY_IMMUTABLE");
      const outside = await t.db.execute(sql.raw(statement)).catch(translateError);
      expect(outside, statement).toBeInstanceOf(HistoryImmutableError);
    }
    expect(await friendState(id)).toEqual(before);
  });

  it("refuses INSERT into clock and history tables, even inside withActivity", async () => {
    const id = await friendWithHistory("Emily");
    const before = await friendState(id);
    const statements = [
      `INSERT INTO "friend_clock" ("friend_id", "tick", "timestamp", "activity_id") SELECT ${id}, 3, now(), max("id") FROM "temporal_activity"`,
      `INSERT INTO "friend_history_location" ("friend_id", "location", "vclock", "effective") VALUES (${id}, 'Forged', int4range(50, 51), tstzrange('2001-01-01', '2001-01-02'))`,
      `INSERT INTO "friend_history_name" ("friend_id", "name", "vclock", "effective") VALUES (${id + 100_000}, 'Ghost', int4range(1, NULL), tstzrange(now(), NULL))`,
      `INSERT INTO "audit"."enrollment_clock" ("enrollment_member_id", "enrollment_year", "tick", "timestamp", "activity_id") SELECT 1, 1, 1, now(), max("id") FROM "temporal_activity"`,
    ];
    for (const statement of statements) {
      const error = await refusedInside(statement);
      expect(error, statement).toBeInstanceOf(HistoryImmutableError);
      expect((error as Error).message).toMatch(/withActivity/);
    }
    expect(await friendState(id)).toEqual(before);
    expect(await count(`"friend_history_name" WHERE "friend_id" = ${id + 100_000}`)).toBe(0);
  });

  it("refuses UPDATE, DELETE and TRUNCATE of activities, even inside withActivity", async () => {
    await friendWithHistory("Richard");
    const before = await query(sql`SELECT "id"::text, "reason", "actor", "at"::text FROM "temporal_activity" ORDER BY "id"`);
    for (const statement of [
      `UPDATE "temporal_activity" SET "reason" = 'rewritten'`,
      `UPDATE "temporal_activity" SET "actor" = 'someone else' WHERE "id" = (SELECT min("id") FROM "temporal_activity")`,
      `DELETE FROM "temporal_activity"`,
    ]) {
      const error = await refusedInside(statement);
      expect(error, statement).toBeInstanceOf(HistoryImmutableError);
      expect((error as TemporalError).code).toBe("HISTORY_IMMUTABLE");
    }
    // Outside a transaction that made an activity, the guard refuses TRUNCATE; inside one, Postgres refuses it first,
    // for the activity's pending end-of-transaction check (an activity under which nothing ticks is not kept).
    const truncate = await t.db.execute(sql`TRUNCATE "temporal_activity" CASCADE`).catch((e: unknown) => translateError(e));
    expect(truncate).toBeInstanceOf(HistoryImmutableError);
    const truncateInside = await refusedInside(`TRUNCATE "temporal_activity" CASCADE`);
    expect(truncateInside).toMatchObject({ code: "DATABASE", sqlState: "55006" });
    // Without CASCADE, Postgres' foreign-key rule refuses first (clock rows reference activities).
    const plainTruncate = await refusedInside(`TRUNCATE "temporal_activity"`);
    expect(plainTruncate).toBeInstanceOf(TemporalError);
    expect(await query(sql`SELECT "id"::text, "reason", "actor", "at"::text FROM "temporal_activity" ORDER BY "id"`)).toEqual(before);
  });
});

describe("retired records", () => {
  it("refuses editing a retired record by any path, and retire and restore are ticks", async () => {
    const id = await friendWithHistory("Carol");
    const retired = await retire(t.db, friend, id, { reason: "Moved away", actor: "ops" });
    expect(retired.vclock).toBe(3);
    expect(retired.row).toMatchObject({ id, retired: true, location: "There" });
    const before = await friendState(id);

    const viaTick = await tick(t.db, friend, id, { location: "Back" }, who).catch((e: unknown) => e);
    expect(viaTick).toBeInstanceOf(RetiredError);
    expect((viaTick as TemporalError).code).toBe("RETIRED");
    expect((viaTick as Error).message).toMatch(/restore/);
    const viaTickMany = await tickMany(t.db, friend, [{ key: id, changes: { name: "Carol B" } }], who).catch((e: unknown) => e);
    expect(viaTickMany).toBeInstanceOf(RetiredError);
    const viaDrizzle = await withActivity(t.db, who, (tx) => tx.update(friend).set({ name: "Carol C" }).where(eq(friend.id, id))).catch(
      (e: unknown) => e,
    );
    expect(viaDrizzle).toBeInstanceOf(RetiredError);
    const viaRaw = await withActivity(t.db, who, (tx) => tx.execute(sql`UPDATE "friend" SET "location" = NULL WHERE "id" = ${id}`)).catch(
      (e: unknown) => e,
    );
    expect(viaRaw).toBeInstanceOf(RetiredError);
    expect(await friendState(id)).toEqual(before);

    const restored = await restore(t.db, friend, id, { reason: "Came back", actor: "ops" });
    expect(restored.vclock).toBe(4);
    expect(restored.row).toMatchObject({ id, retired: false });
    const edited = await tick(t.db, friend, id, { location: "Back" }, who);
    expect(edited.vclock).toBe(5);

    const { items } = await history(t.db, friend, id, "retired");
    expect(items.map((h) => [h.value, h.vclock, h.activity!.reason])).toEqual([
      [false, { from: 4, to: null }, "Came back"],
      [true, { from: 3, to: 4 }, "Moved away"],
      [false, { from: 1, to: 3 }, "test"],
    ]);
    expect((await timeline(t.db, friend, id)).items.map((e) => [e.vclock, e.kind, e.changes.map((c) => c.property)])).toEqual([
      [5, "changed", ["location"]],
      [4, "restored", ["retired"]],
      [3, "retired", ["retired"]],
      [2, "changed", ["location"]],
      [1, "created", ["name", "location", "retired"]],
    ]);
    expect(await verify(t.db, friend)).toEqual([]);
  });
});

describe("every write needs an activity", () => {
  it("refuses a write with no activity, with a message that says to use withActivity", async () => {
    const id = await friendWithHistory("Frank");
    const before = await friendState(id);
    const attempts: (() => Promise<unknown>)[] = [
      () => t.db.update(friend).set({ location: "Nowhere" }).where(eq(friend.id, id)),
      () => t.db.execute(sql`UPDATE "friend" SET "location" = 'Nowhere' WHERE "id" = ${id}`),
      () => t.db.insert(friend).values({ name: "Unrecorded" }),
      () => t.db.transaction((tx) => tx.update(friend).set({ name: "In a plain transaction" }).where(eq(friend.id, id))),
      // No row matches: the refusal is per statement, not per row.
      () => t.db.update(friend).set({ location: "Nowhere" }).where(eq(friend.id, -1)),
    ];
    for (const attempt of attempts) {
      const error = await attempt().catch(translateError);
      expect(error).toBeInstanceOf(MissingActivityError);
      expect((error as TemporalError).code).toBe("MISSING_ACTIVITY");
      expect((error as Error).message).toMatch(/withActivity/);
    }
    const helper = await tick(t.db, friend, id, { location: "Nowhere" }).catch((e: unknown) => e);
    expect(helper).toBeInstanceOf(MissingActivityError);
    expect((helper as Error).message).toMatch(/withActivity/);
    expect(await friendState(id)).toEqual(before);
    expect(await count(`"friend" WHERE "name" = 'Unrecorded'`)).toBe(0);
  });

  it("does not accept a leaked session setting naming an activity of another transaction", async () => {
    const id = await friendWithHistory("Leaky");
    const [old] = await query<{ id: string }>(sql`SELECT max("id")::text AS "id" FROM "temporal_activity"`);
    const before = await friendState(id);
    const session = await oneConnection(t);
    try {
      await session.db.execute(sql`SELECT set_config('temporal.activity_id', ${old!.id}, false)`);
      const [setting] = await query<{ value: string }>(sql`SELECT current_setting('temporal.activity_id', true) AS "value"`, session.db);
      expect(setting!.value).toBe(old!.id);

      const attempts: (() => Promise<unknown>)[] = [
        () => session.db.update(friend).set({ location: "Leaked" }).where(eq(friend.id, id)),
        () => session.db.execute(sql`UPDATE "friend" SET "location" = 'Leaked' WHERE "id" = ${id}`),
        () => session.db.insert(friend).values({ name: "Leaked insert" }),
        () => session.db.transaction((tx) => tx.update(friend).set({ location: "Leaked" }).where(eq(friend.id, id))),
      ];
      for (const attempt of attempts) {
        const error = await attempt().catch(translateError);
        expect(error).toBeInstanceOf(MissingActivityError);
        expect((error as Error).message).toMatch(/another transaction/);
        expect((error as Error).message).toMatch(/withActivity/);
      }
      expect(await friendState(id)).toEqual(before);
      expect(await count(`"friend" WHERE "name" = 'Leaked insert'`)).toBe(0);

      // A real activity on the same connection still works, and afterwards the leaked value authorizes nothing.
      await withActivity(session.db, { reason: "Proper", actor: "vitest" }, (tx) =>
        tx.update(friend).set({ location: "Proper" }).where(eq(friend.id, id)),
      );
      const after = await session.db.execute(sql`UPDATE "friend" SET "location" = 'Leaked' WHERE "id" = ${id}`).catch(translateError);
      expect(after).toBeInstanceOf(MissingActivityError);
    } finally {
      await session.close();
    }
    const { items } = await history(t.db, friend, id, "location");
    expect(items.map((h) => [h.value, h.vclock.from, h.activity!.reason])).toEqual([
      ["Proper", 3, "Proper"],
      ["There", 2, "test"],
      ["Here", 1, "test"],
    ]);
  });

  it("clears the activity when withActivity returns, so a later plain write is refused", async () => {
    const id = await friendWithHistory("Gone");
    const session = await oneConnection(t);
    try {
      const activity = await withActivity(session.db, { reason: "Scoped", actor: "vitest" }, async (tx, context) => {
        const [inside] = await query<{ value: string }>(sql`SELECT current_setting('temporal.activity_id', true) AS "value"`, tx);
        expect(inside!.value).toBe(context.id);
        await tx.update(friend).set({ location: "Scoped" }).where(eq(friend.id, id));
        return context.id;
      });
      const [outside] = await query<{ value: string | null }>(
        sql`SELECT current_setting('temporal.activity_id', true) AS "value"`,
        session.db,
      );
      expect(outside!.value === null || outside!.value === "").toBe(true);
      expect(outside!.value).not.toBe(activity);

      const error = await session.db.update(friend).set({ location: "Unscoped" }).where(eq(friend.id, id)).catch(translateError);
      expect(error).toBeInstanceOf(MissingActivityError);
      expect((error as Error).message).toMatch(/withActivity/);

      // Also after a withActivity that failed and rolled back.
      const failed = await withActivity(session.db, { reason: "Fails", actor: "vitest" }, async (tx) => {
        await tx.update(friend).set({ location: "Rolled back" }).where(eq(friend.id, id));
        throw new Error("boom");
      }).catch((e: unknown) => e);
      expect((failed as Error).message).toBe("boom");
      const afterFailure = await session.db.update(friend).set({ location: "Unscoped" }).where(eq(friend.id, id)).catch(translateError);
      expect(afterFailure).toBeInstanceOf(MissingActivityError);
    } finally {
      await session.close();
    }
    const { items } = await history(t.db, friend, id, "location");
    expect(items.map((h) => [h.value, h.vclock.from, h.activity!.reason])).toEqual([
      ["Scoped", 3, "Scoped"],
      ["There", 2, "test"],
      ["Here", 1, "test"],
    ]);
  });

  it("restores the outer activity when a nested withActivity returns", async () => {
    const id = await friendWithHistory("Nested");
    await withActivity(t.db, { reason: "Outer", actor: "vitest" }, async (tx) => {
      await withActivity(tx, { reason: "Inner", actor: "vitest" }, (inner) =>
        inner.update(friend).set({ location: "Inner" }).where(eq(friend.id, id)),
      );
      await tx.update(friend).set({ location: "Outer" }).where(eq(friend.id, id));
    });
    const { items } = await history(t.db, friend, id, "location");
    expect(items.map((h) => [h.value, h.vclock.from, h.activity!.reason])).toEqual([
      ["Outer", 4, "Outer"],
      ["Inner", 3, "Inner"],
      ["There", 2, "test"],
      ["Here", 1, "test"],
    ]);
  });
});
