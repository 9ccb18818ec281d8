import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { friend, member, provider, staff, temporalTables } from "@/db/schema";
import { seed } from "@/db/seed";
import { createDemoPeople } from "@/lib/auth/demo-people";
import { LONG_HISTORY_CLINIC } from "@/db/seed/long-history";
import { checkTemporalSchema, lanes, verify } from "@temporal-records/drizzle";
import { appSchema, withTestDb } from "./database";

const database = withTestDb(appSchema);
let result: Awaited<ReturnType<typeof seed>>;
beforeAll(async () => {
  result = await seed(database.db, { people: createDemoPeople });
}, 300_000);

async function all<T>(query: ReturnType<typeof sql>): Promise<T[]> {
  return ((await database.db.execute(query)) as unknown as { rows: T[] }).rows;
}

describe("the committed migrations and the demo seed", () => {
  it("build a database whose triggers and functions are what the library generates", async () => {
    expect(await checkTemporalSchema(database.db, [...temporalTables])).toEqual([]);
  });

  it("load the talk's friends exactly as the talk's tables show them", async () => {
    expect(await all(sql`SELECT "id", "name", "location", "vclock" FROM ${friend} ORDER BY "id"`)).toEqual([
      { id: 1, name: "Dave", location: "Berkeley", vclock: 3 },
      { id: 2, name: "Rachel", location: "San Francisco", vclock: 2 },
      { id: 3, name: "Will", location: "Oakland", vclock: 2 },
    ]);
    const clock = await all<{ friend_id: number; tick: number; day: string }>(
      sql`SELECT "friend_id", "tick", to_char("timestamp" AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS "day" FROM "friend_clock" ORDER BY "friend_id", "tick"`,
    );
    expect(clock.map((c) => [c.friend_id, c.tick, c.day])).toEqual([
      [1, 1, "2010-09-13"],
      [1, 2, "2013-05-02"],
      [1, 3, "2016-08-19"],
      [2, 1, "2014-10-08"],
      [2, 2, "2016-01-08"],
      [3, 1, "2015-09-22"],
      [3, 2, "2016-09-29"],
    ]);
    const locations = await all<{ friend_id: number; location: string; vclock: string }>(
      sql`SELECT "friend_id", "location", "vclock"::text AS "vclock" FROM "friend_history_location" ORDER BY "friend_id", lower("vclock")`,
    );
    expect(locations.map((l) => [l.friend_id, l.location, l.vclock])).toEqual([
      [1, "Tucson", "[1,2)"],
      [1, "San Francisco", "[2,3)"],
      [1, "Berkeley", "[3,)"],
      [2, "New York", "[1,2)"],
      [2, "San Francisco", "[2,)"],
      [3, "San Francisco", "[1,2)"],
      [3, "Oakland", "[2,)"],
    ]);
  });

  it("load at least 1,000 records and 20,000 ticks by default, and every table verifies", async () => {
    expect(result).toMatchObject({ skipped: false, members: 1000 });
    const [counts] = await all<{ members: number; ticks: number }>(
      sql`SELECT (SELECT count(*) FROM ${member})::int AS "members",
                 ((SELECT count(*) FROM "member_clock") + (SELECT count(*) FROM "provider_clock") + (SELECT count(*) FROM "friend_clock"))::int AS "ticks"`,
    );
    expect(counts!.members).toBe(1000);
    expect(counts!.ticks).toBeGreaterThanOrEqual(20_000);
    for (const table of [member, provider, friend, staff]) expect(await verify(database.db, table)).toEqual([]);
  });

  it("load one clinic with a long history: a tick a day, each its own activity, that a lane of 100 slots must reduce", async () => {
    const [clinic] = await all<{ id: number; vclock: number }>(
      sql`SELECT "id", "vclock" FROM ${provider} WHERE "name" = ${LONG_HISTORY_CLINIC}`,
    );
    expect(clinic!.vclock).toBeGreaterThan(1_000);
    const [activities] = await all<{ n: number }>(
      sql`SELECT count(DISTINCT "activity_id")::int AS "n" FROM "provider_clock" WHERE "provider_id" = ${clinic!.id}`,
    );
    expect(activities!.n).toBe(clinic!.vclock);
    const [lane] = await lanes(database.db, provider, clinic!.id, { slots: 100, properties: ["acceptingNewPatients"] });
    expect(lane!.values).toBe(clinic!.vclock);
    expect(lane!.reduced).toBe(true);
    expect(lane!.bands.length).toBeLessThanOrEqual(100);
    expect(lane!.bands.reduce((sum, b) => sum + b.changes, 0)).toBe(clinic!.vclock);
  });

  it("creates one demo account per role", async () => {
    const people = await all(sql`SELECT "email", "role", "vclock" FROM ${staff} ORDER BY "email"`);
    expect(people).toEqual([
      { email: "admin@demo.example", role: "admin", vclock: 1 },
      { email: "auditor@demo.example", role: "auditor", vclock: 1 },
      { email: "editor@demo.example", role: "editor", vclock: 1 },
    ]);
  });

  it("is deterministic and refuses to seed twice", async () => {
    const sample = await all(
      sql`SELECT "full_name", "plan", "premium"::text AS "premium", "vclock" FROM ${member} WHERE "id" IN (1, 500) ORDER BY "id"`,
    );
    expect(sample).toEqual([
      { full_name: "Ines Diaz", plan: "bronze", premium: "208.35", vclock: 21 },
      { full_name: "Tariq Rossi", plan: "bronze", premium: "282.55", vclock: 20 },
    ]);
    expect(await seed(database.db)).toEqual({ skipped: true });
  });
});
