/**
 * verify: silent on sound data, and names each kind of corruption. Corruption is
 * made by hand with the guard triggers bypassed (session_replication_role =
 * replica), one record per corruption, so each report can be checked exactly.
 */
import { sql, type SQL } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import {
  ConstraintViolationError,
  create,
  restore,
  retire,
  revert,
  tick,
  translateError,
  verify,
  withActivity,
  type Violation,
} from "../index";
import { enrollment, friend, sink } from "./fixtures";
import { librarySchema, withTestDb } from "./harness";

const t = withTestDb(librarySchema);

const on = (day: string) => ({ reason: `Change on ${day}`, actor: "vitest", at: new Date(`${day}T00:00:00.000Z`) });

/** A friend created on 2020-01-01 whose location then moves once a month: ticks 2, 3, ... */
async function friendWithMoves(name: string, locations: string[]): Promise<number> {
  const { id } = await create(t.db, friend, { name, location: locations[0]! }, on("2020-01-01"));
  for (const [i, location] of locations.slice(1).entries()) {
    await tick(t.db, friend, id, { location }, on(`2020-${String(i + 2).padStart(2, "0")}-01`));
  }
  return id;
}

/** Runs raw statements with the guard triggers (and foreign-key triggers) switched off. */
async function corrupt(...statements: SQL[]): Promise<void> {
  await t.db.transaction(async (tx) => {
    await tx.execute(sql`SET session_replication_role = replica`);
    for (const statement of statements) await tx.execute(statement);
    await tx.execute(sql`RESET session_replication_role`);
  });
}

type Found = [kind: Violation["kind"], property: string | null, tick: number | null];

/** Every expected violation, by friend id, checked all together at the end. */
const expected = new Map<number, Found[]>();

function summary(violations: Violation[], id: number): Found[] {
  return violations
    .filter((v) => v.table === "friend" && v.key.id === id)
    .map((v): Found => [v.kind, v.property ?? null, v.tick ?? null])
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

async function expectViolations(id: number, found: Found[]): Promise<Violation[]> {
  const violations = await verify(t.db, friend);
  const sorted = [...found].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  expect(summary(violations, id)).toEqual(sorted);
  for (const v of violations.filter((v) => v.key.id === id)) {
    expect(v).toMatchObject({ table: "friend", key: { id } });
    expect(v.message).toEqual(expect.any(String));
  }
  expected.set(id, sorted);
  return violations.filter((v) => v.key.id === id);
}

describe("verify on sound data", () => {
  it("reports nothing after creates, ticks, retire, restore and revert, on every fixture table", async () => {
    const a = await friendWithMoves("Sound A", ["S1", "S2", "S3"]);
    await retire(t.db, friend, a, on("2020-06-01"));
    await restore(t.db, friend, a, on("2020-07-01"));
    await revert(t.db, friend, a, { toVclock: 1 }, on("2020-08-01"));
    await withActivity(t.db, { reason: "live", actor: "vitest" }, async (tx) => {
      const b = await create(tx, friend, { name: "Sound B", location: null });
      await tick(tx, friend, b.id, { location: "S" });
      await tick(tx, friend, b.id, { location: null, name: "Sound B2" });
      await create(tx, enrollment, { memberId: 1, year: 2020, plan: "basic", premium: "1.00" });
      await tick(tx, enrollment, { memberId: 1, year: 2020 }, { premium: "2.00" });
      const s = await create(tx, sink, { label: "x", tags: ["a"], data: { a: 1 } });
      await tick(tx, sink, s.id, { data: { a: 2 }, count: 3 });
    });
    expect(await verify(t.db, friend)).toEqual([]);
    expect(await verify(t.db, enrollment)).toEqual([]);
    expect(await verify(t.db, sink)).toEqual([]);
  });
});

describe("verify on corrupted data", () => {
  it("reports a deleted clock row as clock-gap (and the history rows that lost their tick)", async () => {
    const id = await friendWithMoves("Gap", ["G1", "G2", "G3"]);
    await corrupt(sql`DELETE FROM "friend_clock" WHERE "friend_id" = ${id} AND "tick" = 2`);
    await expectViolations(id, [
      ["clock-gap", null, null],
      ["effective-mismatch", "location", 1],
      ["history-orphan", "location", 2],
    ]);
  });

  it("reports a clock timestamp that goes backwards as timestamp-order", async () => {
    const id = await friendWithMoves("Order", ["O1", "O2"]);
    await corrupt(sql`UPDATE "friend_clock" SET "timestamp" = '2019-12-01T00:00:00Z' WHERE "friend_id" = ${id} AND "tick" = 2`);
    await expectViolations(id, [
      ["timestamp-order", null, 2],
      // The history rows still carry the true moment, so they disagree with the clock.
      ["effective-mismatch", "location", 1],
      ["effective-mismatch", "location", 2],
    ]);
  });

  it("reports a closed open row as open-rows", async () => {
    const id = await friendWithMoves("Closed", ["C1"]);
    await corrupt(
      sql`UPDATE "friend_history_location" SET "vclock" = int4range(1, 2), "effective" = tstzrange(lower("effective"), lower("effective") + interval '1 day')
           WHERE "friend_id" = ${id}`,
    );
    const violations = await expectViolations(id, [
      ["open-rows", "location", null],
      ["range-gap", "location", 1],
      ["effective-mismatch", "location", 1],
    ]);
    expect(violations.find((v) => v.kind === "open-rows")!.message).toBe("location: 0 open history rows; expected exactly 1.");
  });

  it("cannot be given a second open row: the exclusion constraints refuse it even with triggers off", async () => {
    const id = await friendWithMoves("Twin", ["T1"]);
    const error = await corrupt(
      sql`INSERT INTO "friend_history_location" ("friend_id", "location", "vclock", "effective")
          VALUES (${id}, 'T2', int4range(5, NULL), tstzrange('2030-01-01', NULL))`,
    ).catch(translateError);
    expect(error).toBeInstanceOf(ConstraintViolationError);
    expect((error as ConstraintViolationError).constraint).toMatch(/^friend_history_location_(vclock_excl|effective_excl|open_idx)$/);
    await expectViolations(id, []);
  });

  it("reports a changed open value as open-value", async () => {
    const id = await friendWithMoves("Value", ["V1", "V2"]);
    await corrupt(sql`UPDATE "friend_history_location" SET "location" = 'Elsewhere' WHERE "friend_id" = ${id} AND upper_inf("vclock")`);
    await expectViolations(id, [["open-value", "location", null]]);
  });

  it("reports a gap between two history ranges as range-gap", async () => {
    // location: [1,3) then [3,∞), with a name change at tick 2 so the clock has the moment of tick 2.
    const { id } = await create(t.db, friend, { name: "Range", location: "R1" }, on("2020-01-01"));
    await tick(t.db, friend, id, { name: "Range 2" }, on("2020-02-01"));
    await tick(t.db, friend, id, { location: "R2" }, on("2020-03-01"));
    await corrupt(
      sql`UPDATE "friend_history_location" SET "vclock" = int4range(1, 2), "effective" = tstzrange('2020-01-01T00:00:00Z', '2020-02-01T00:00:00Z')
           WHERE "friend_id" = ${id} AND lower("vclock") = 1`,
    );
    await expectViolations(id, [["range-gap", "location", 1]]);
  });

  it("reports a shifted effective bound as effective-mismatch", async () => {
    const id = await friendWithMoves("Shift", ["E1", "E2"]);
    await corrupt(
      sql`UPDATE "friend_history_location" SET "effective" = tstzrange(lower("effective"), '2020-01-15T00:00:00Z')
           WHERE "friend_id" = ${id} AND lower("vclock") = 1`,
    );
    await expectViolations(id, [["effective-mismatch", "location", 1]]);
  });

  // verify no longer has an "empty-tick" check: a tick that changed nothing tracked is legitimate once a
  // property stops being tracked (see migration.test.ts). The extra tick still shows as a clock gap.
  it("reports a clock tick that changed nothing, beyond the record's vclock, as clock-gap", async () => {
    const id = await friendWithMoves("Empty", ["M1"]);
    await corrupt(
      sql`INSERT INTO "friend_clock" ("friend_id", "tick", "timestamp", "activity_id")
          SELECT "friend_id", 2, "timestamp" + interval '1 day', "activity_id" FROM "friend_clock" WHERE "friend_id" = ${id} AND "tick" = 1`,
    );
    const [gap] = await expectViolations(id, [["clock-gap", null, null]]);
    expect(gap!.message).toBe("vclock is 1 but the clock has 2 ticks (from 1 to 2); expected ticks 1..1.");
  });

  it("reports a clock row of no record as clock-orphan", async () => {
    const id = 900_001;
    await corrupt(
      sql`INSERT INTO "friend_clock" ("friend_id", "tick", "timestamp", "activity_id")
          SELECT ${id}, 1, '2020-01-01T00:00:00Z', min("id") FROM "temporal_activity"`,
    );
    await expectViolations(id, [["clock-orphan", null, 1]]);
  });

  it("reports a tick whose activity is gone as missing-activity", async () => {
    const id = await friendWithMoves("Orphaned", ["A1"]);
    await corrupt(sql`UPDATE "friend_clock" SET "activity_id" = 987654321 WHERE "friend_id" = ${id}`);
    await expectViolations(id, [["missing-activity", null, 1]]);
  });

  it("reports history that no longer starts at creation as history-start", async () => {
    const id = await friendWithMoves("Start", ["H1", "H2"]);
    await corrupt(sql`DELETE FROM "friend_history_location" WHERE "friend_id" = ${id} AND lower("vclock") = 1`);
    await expectViolations(id, [["history-start", "location", 2]]);
  });

  it("reports exactly the corruptions made, and nothing about sound records", async () => {
    const violations = await verify(t.db, friend);
    const ids = [...new Set(violations.map((v) => v.key.id as number))].sort((a, b) => a - b);
    expect(ids).toEqual(
      [...expected.entries()]
        .filter(([, found]) => found.length > 0)
        .map(([id]) => id)
        .sort((a, b) => a - b),
    );
    for (const [id, found] of expected) expect(summary(violations, id)).toEqual(found);
    expect(await verify(t.db, enrollment)).toEqual([]);
    expect(await verify(t.db, sink)).toEqual([]);
    const [role] = ((await t.db.execute(sql`SHOW session_replication_role`)) as unknown as { rows: { session_replication_role: string }[] })
      .rows;
    expect(role!.session_replication_role).toBe("origin");
  });
});
