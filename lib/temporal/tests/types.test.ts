import { eq, sql, type SQL } from "drizzle-orm";
import { getTableConfig } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import { asOf, create, history, planTemporalMigration, tick, tickMany, timeline, verify, withActivity, type Row } from "../index";
import { enrollment, friend, longNamed, sink } from "./fixtures";
import { librarySchema, withTestDb } from "./harness";

const t = withTestDb(librarySchema);

const who = (reason: string) => ({ reason, actor: "vitest" });

async function query<T = Record<string, unknown>>(q: SQL): Promise<T[]> {
  const result = await t.db.execute(q);
  return (result as unknown as { rows: T[] }).rows;
}

type SinkValues = Omit<Row<typeof sink>, "id" | "vclock" | "retired" | "note">;

const SINK_TRACKED = [
  "count",
  "small",
  "big",
  "price",
  "ratio",
  "active",
  "label",
  "code",
  "mood",
  "ref",
  "seenAt",
  "bornOn",
  "data",
  "tags",
  "span",
  "friendId",
  "stamp",
] as const;

const UUID_A = "6f1c2a3e-0000-4000-8000-00000000000a";
const UUID_B = "6f1c2a3e-0000-4000-8000-00000000000b";
const UUID_C = "6f1c2a3e-0000-4000-8000-00000000000c";

describe("every column type as a tracked property", () => {
  it("keeps every value of every column type, readable at every version", async () => {
    const [f1, f2, f3] = await Promise.all(["Ross", "Monica", "Chandler"].map((name) => create(t.db, friend, { name }, who("friends"))));
    const versions: SinkValues[] = [
      {
        count: 1,
        small: 1,
        big: 1n,
        price: "1.50",
        ratio: 0.5,
        active: true,
        label: "one",
        code: "A1",
        mood: "happy",
        ref: UUID_A,
        seenAt: new Date("2020-01-02T03:04:05.678Z"),
        bornOn: "2000-01-01",
        data: { a: 1 },
        tags: ["x"],
        span: { from: 1, to: 5 },
        friendId: f1!.id,
        stamp: "server-default",
      },
      {
        count: 2,
        small: null,
        big: null,
        price: null,
        ratio: null,
        active: false,
        label: null,
        code: null,
        mood: null,
        ref: null,
        seenAt: null,
        bornOn: null,
        data: null,
        tags: null,
        span: null,
        friendId: null,
        stamp: "second",
      },
      {
        count: -3,
        small: -32768,
        big: 9223372036854775807n,
        price: "-12345678.99",
        ratio: 1.5e-300,
        active: true,
        label: "three",
        code: "ABCDEFGH",
        mood: "sad",
        ref: UUID_B,
        seenAt: new Date("2021-06-30T23:59:59.999Z"),
        bornOn: "1969-12-31",
        data: { nested: { list: [1, "two", null, false] }, "k y": "v" },
        tags: ["a", "b c", ""],
        span: { from: -5, to: 0 },
        friendId: f2!.id,
        stamp: "third",
      },
      {
        count: 2147483647,
        small: 32767,
        big: -9223372036854775808n,
        price: "0.01",
        ratio: -0.25,
        active: false,
        label: "",
        code: "",
        mood: "ok",
        ref: UUID_A,
        seenAt: new Date("1955-11-05T06:00:00.000Z"),
        bornOn: "2024-02-29",
        data: {},
        tags: [],
        span: { from: 10, to: null },
        friendId: f3!.id,
        stamp: "fourth",
      },
      {
        count: 0,
        small: 0,
        big: 0n,
        price: "0.00",
        ratio: 0,
        active: true,
        label: "five",
        code: "Z",
        mood: "happy",
        ref: UUID_C,
        seenAt: new Date("2030-12-31T00:00:00.001Z"),
        bornOn: "1900-01-01",
        data: { a: 1 },
        tags: ["x", "y"],
        span: { from: 1, to: 2 },
        friendId: f1!.id,
        stamp: "fifth",
      },
    ];
    const [v1, v2, v3, v4, v5] = versions as [SinkValues, SinkValues, SinkValues, SinkValues, SinkValues];

    // v1: create, leaving `stamp` to its server default.
    const { stamp: _serverDefault, ...createValues } = v1;
    const created = await create(t.db, sink, { ...createValues, note: "untracked" }, who("v1"));
    expect(created).toEqual({ id: created.id, ...v1, note: "untracked", vclock: 1, retired: false });
    const id = created.id;

    // v2: tick (every nullable property to null).
    const second = await tick(t.db, sink, id, v2, who("v2"));
    expect(second.vclock).toBe(2);
    expect(second.changed).toEqual([...SINK_TRACKED]);
    expect(second.row).toEqual({ id, ...v2, note: "untracked", vclock: 2, retired: false });

    // v3: tickMany (values travel as text and are cast on the server).
    const [third] = await tickMany(t.db, sink, [{ key: id, changes: v3 }], who("v3"));
    expect(third!.vclock).toBe(3);
    expect(third!.changed).toEqual([...SINK_TRACKED]);
    expect(third!.row).toEqual({ id, ...v3, note: "untracked", vclock: 3, retired: false });

    // v4: a plain Drizzle update.
    await withActivity(t.db, who("v4"), (tx) => tx.update(sink).set(v4).where(eq(sink.id, id)));

    // v5: tick with an expected version.
    const fifth = await tick(t.db, sink, id, v5, who("v5"), { expectedVclock: 4 });
    expect(fifth.vclock).toBe(5);
    expect(fifth.changed).toEqual([...SINK_TRACKED]);

    const [now] = await t.db.select().from(sink).where(eq(sink.id, id));
    expect(now).toEqual({ id, ...v5, note: "untracked", vclock: 5, retired: false });

    for (const [i, values] of versions.entries()) {
      const vclock = i + 1;
      const then = await asOf(t.db, sink, id, { vclock });
      expect(then).toEqual({
        key: { id },
        vclock,
        timestamp: expect.any(Date),
        activityId: expect.any(String),
        retired: false,
        record: { id, ...values, retired: false },
        notTracked: [],
      });
      const atMoment = await asOf(t.db, sink, id, { at: then!.timestamp });
      expect(atMoment).toEqual(then);
    }
    expect(await asOf(t.db, sink, id, { vclock: 6 })).toBeNull();

    for (const property of SINK_TRACKED) {
      const { items, nextCursor } = await history(t.db, sink, id, property);
      expect(nextCursor).toBeNull();
      expect(items.map((h) => ({ value: h.value, vclock: h.vclock, reason: h.activity?.reason }))).toEqual(
        [5, 4, 3, 2, 1].map((vclock) => ({
          value: versions[vclock - 1]![property],
          vclock: { from: vclock, to: vclock === 5 ? null : vclock + 1 },
          reason: `v${vclock}`,
        })),
      );
    }
    const retired = await history(t.db, sink, id, "retired");
    expect(retired.items.map((h) => [h.value, h.vclock])).toEqual([[false, { from: 1, to: null }]]);
    expect(await verify(t.db, sink)).toEqual([]);
  });

  it("records the server default of a column, as the trigger sees the final row", async () => {
    const [inserted] = await withActivity(t.db, who("defaults"), async (tx) => {
      const result = await tx.execute(sql`INSERT INTO "kitchen_sink" DEFAULT VALUES RETURNING "id"`);
      return (result as unknown as { rows: { id: string }[] }).rows;
    });
    const id = inserted!.id;
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const then = await asOf(t.db, sink, id, { vclock: 1 });
    expect(then!.record).toEqual({
      id,
      count: 0,
      small: null,
      big: null,
      price: null,
      ratio: null,
      active: true,
      label: null,
      code: null,
      mood: null,
      ref: null,
      seenAt: null,
      bornOn: null,
      data: null,
      tags: null,
      span: null,
      friendId: null,
      stamp: "server-default",
      retired: false,
    });
    const stamps = await history(t.db, sink, id, "stamp");
    expect(stamps.items.map((h) => [h.value, h.vclock])).toEqual([["server-default", { from: 1, to: null }]]);
    const counts = await history(t.db, sink, id, "count");
    expect(counts.items.map((h) => [h.value, h.vclock])).toEqual([[0, { from: 1, to: null }]]);
  });

  it("records the value a BEFORE INSERT trigger of the application put in the row", async () => {
    await t.db.execute(
      sql.raw(
        `CREATE FUNCTION "test_upper_label"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW."label" := upper(NEW."label"); RETURN NEW; END $$`,
      ),
    );
    await t.db.execute(
      sql.raw(`CREATE TRIGGER "zz_upper_label" BEFORE INSERT ON "kitchen_sink" FOR EACH ROW EXECUTE FUNCTION "test_upper_label"()`),
    );
    try {
      const row = await create(t.db, sink, { label: "shout" }, who("trigger"));
      expect(row.label).toBe("SHOUT");
      const labels = await history(t.db, sink, row.id, "label");
      expect(labels.items.map((h) => [h.value, h.vclock])).toEqual([["SHOUT", { from: 1, to: null }]]);
    } finally {
      await t.db.execute(sql.raw(`DROP TRIGGER "zz_upper_label" ON "kitchen_sink"`));
      await t.db.execute(sql.raw(`DROP FUNCTION "test_upper_label"()`));
    }
  });

  it("records a foreign key value and follows it through changes", async () => {
    const joey = await create(t.db, friend, { name: "Joey" }, who("friends"));
    const phoebe = await create(t.db, friend, { name: "Phoebe" }, who("friends"));
    const row = await create(t.db, sink, { friendId: joey.id }, who("fk 1"));
    await tick(t.db, sink, row.id, { friendId: phoebe.id }, who("fk 2"));
    await tick(t.db, sink, row.id, { friendId: null }, who("fk 3"));
    const { items } = await history(t.db, sink, row.id, "friendId");
    expect(items.map((h) => [h.value, h.vclock])).toEqual([
      [null, { from: 3, to: null }],
      [phoebe.id, { from: 2, to: 3 }],
      [joey.id, { from: 1, to: 2 }],
    ]);
    expect((await asOf(t.db, sink, row.id, { vclock: 2 }))!.record.friendId).toBe(phoebe.id);
    const stored = await query<{ friend_id: number | null; lo: number; hi: number | null }>(
      sql`SELECT "friend_id", lower("vclock") AS "lo", upper("vclock") AS "hi" FROM "kitchen_sink_history_friend_id" WHERE "kitchen_sink_id" = ${row.id}::uuid ORDER BY lower("vclock")`,
    );
    expect(stored.map((r) => [r.friend_id, Number(r.lo), r.hi === null ? null : Number(r.hi)])).toEqual([
      [joey.id, 1, 2],
      [phoebe.id, 2, 3],
      [null, 3, null],
    ]);
  });
});

describe("a composite primary key", () => {
  it("creates, ticks and reads a record by { memberId, year }", async () => {
    const key = { memberId: 501, year: 2024 };
    const sibling = { memberId: 501, year: 2025 };
    const created = await create(t.db, enrollment, { ...key, plan: "basic", premium: "100.00" }, who("enrol"));
    expect(created).toEqual({ ...key, plan: "basic", premium: "100.00", vclock: 1, retired: false });
    await create(t.db, enrollment, { ...sibling, plan: "gold", premium: "300.00" }, who("enrol next year"));

    const second = await tick(t.db, enrollment, key, { plan: "silver" }, who("upgrade"));
    expect(second).toEqual({ vclock: 2, changed: ["plan"], row: { ...key, plan: "silver", premium: "100.00", vclock: 2, retired: false } });
    const third = await tick(t.db, enrollment, key, { premium: "150.25", plan: "silver" }, who("reprice"));
    expect(third.changed).toEqual(["premium"]);
    await tickMany(t.db, enrollment, [{ key, changes: { plan: "gold", premium: null } }], who("gold"));

    const expected = [
      { plan: "basic", premium: "100.00" },
      { plan: "silver", premium: "100.00" },
      { plan: "silver", premium: "150.25" },
      { plan: "gold", premium: null },
    ];
    for (const [i, values] of expected.entries()) {
      const then = await asOf(t.db, enrollment, key, { vclock: i + 1 });
      expect(then).toMatchObject({ key, vclock: i + 1, retired: false, notTracked: [] });
      expect(then!.record).toEqual({ ...key, ...values, retired: false });
    }
    expect(await asOf(t.db, enrollment, key, { vclock: 5 })).toBeNull();
    expect(await asOf(t.db, enrollment, { memberId: 501, year: 2023 }, { vclock: 1 })).toBeNull();
    expect((await asOf(t.db, enrollment, sibling, { vclock: 1 }))!.record).toEqual({
      ...sibling,
      plan: "gold",
      premium: "300.00",
      retired: false,
    });

    const plans = await history(t.db, enrollment, key, "plan");
    expect(plans.items.map((h) => [h.value, h.vclock, h.activity!.reason])).toEqual([
      ["gold", { from: 4, to: null }, "gold"],
      ["silver", { from: 2, to: 4 }, "upgrade"],
      ["basic", { from: 1, to: 2 }, "enrol"],
    ]);
    const premiums = await history(t.db, enrollment, key, "premium");
    expect(premiums.items.map((h) => [h.value, h.vclock])).toEqual([
      [null, { from: 4, to: null }],
      ["150.25", { from: 3, to: 4 }],
      ["100.00", { from: 1, to: 3 }],
    ]);
    expect((await history(t.db, enrollment, sibling, "plan")).items.map((h) => [h.value, h.vclock])).toEqual([
      ["gold", { from: 1, to: null }],
    ]);

    const { items, nextCursor } = await timeline(t.db, enrollment, key);
    expect(nextCursor).toBeNull();
    expect(items.map((e) => ({ vclock: e.vclock, kind: e.kind, reason: e.activity.reason, changes: e.changes }))).toEqual([
      {
        vclock: 4,
        kind: "changed",
        reason: "gold",
        changes: [
          { property: "plan", before: "silver", after: "gold" },
          { property: "premium", before: "150.25", after: null },
        ],
      },
      { vclock: 3, kind: "changed", reason: "reprice", changes: [{ property: "premium", before: "100.00", after: "150.25" }] },
      { vclock: 2, kind: "changed", reason: "upgrade", changes: [{ property: "plan", before: "basic", after: "silver" }] },
      {
        vclock: 1,
        kind: "created",
        reason: "enrol",
        changes: [
          { property: "plan", before: undefined, after: "basic" },
          { property: "premium", before: undefined, after: "100.00" },
          { property: "retired", before: undefined, after: false },
        ],
      },
    ]);
    expect(await verify(t.db, enrollment)).toEqual([]);
  });

  it("keeps the clock and history tables in schema audit, filed under both key columns", async () => {
    const [where] = await query<Record<string, string | null>>(sql`SELECT
        to_regclass('public.enrollment')::text AS "entity",
        to_regclass('audit.enrollment')::text AS "entity_in_audit",
        to_regclass('audit.enrollment_clock')::text AS "clock",
        to_regclass('audit.enrollment_history_plan')::text AS "plan",
        to_regclass('audit.enrollment_history_premium')::text AS "premium",
        to_regclass('audit.enrollment_history_retired')::text AS "retired",
        to_regclass('public.enrollment_clock')::text AS "public_clock",
        to_regclass('public.enrollment_history_plan')::text AS "public_plan"`);
    expect(where).toEqual({
      entity: "enrollment",
      entity_in_audit: null,
      clock: "audit.enrollment_clock",
      plan: "audit.enrollment_history_plan",
      premium: "audit.enrollment_history_premium",
      retired: "audit.enrollment_history_retired",
      public_clock: null,
      public_plan: null,
    });
    const functions = await query<{ proname: string }>(
      sql`SELECT p.proname::text AS "proname" FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'audit' ORDER BY 1`,
    );
    expect(functions.map((f) => f.proname)).toEqual([
      "enrollment_temporal_after_insert",
      "enrollment_temporal_after_update",
      "enrollment_temporal_bump",
    ]);

    const key = { memberId: 777, year: 2030 };
    await create(t.db, enrollment, { ...key, plan: "basic" }, who("audit"));
    await tick(t.db, enrollment, key, { plan: "gold" }, who("audit 2"));
    const clock = await query<{ enrollment_member_id: number; enrollment_year: number; tick: number }>(
      sql`SELECT "enrollment_member_id", "enrollment_year", "tick" FROM "audit"."enrollment_clock" WHERE "enrollment_member_id" = 777 ORDER BY "tick"`,
    );
    expect(clock.map((c) => [c.enrollment_member_id, c.enrollment_year, Number(c.tick)])).toEqual([
      [777, 2030, 1],
      [777, 2030, 2],
    ]);
  });
});

describe("a table whose generated identifiers would exceed 63 bytes", () => {
  const bytes = (s: string) => new TextEncoder().encode(s).length;

  it("shortens every generated identifier to at most 63 bytes, all distinct, as created in the database", async () => {
    const statements = planTemporalMigration([longNamed], null).statements.join("\n");
    const generated = new Set<string>();
    const patterns = [
      /CREATE TABLE (?:"[^"]+"\.)?"([^"]+)"/g,
      /CONSTRAINT "([^"]+)"/g,
      /CREATE (?:UNIQUE )?INDEX "([^"]+)"/g,
      /CREATE OR REPLACE FUNCTION (?:"[^"]+"\.)?"([^"]+)"/g,
      /^ {2}"([^"]+)" \w+ NOT NULL,$/gm,
    ];
    for (const pattern of patterns) for (const match of statements.matchAll(pattern)) generated.add(match[1]!);
    const ours = [...generated].filter((n) => n.startsWith("a_table_with"));
    expect(ours.length).toBeGreaterThanOrEqual(20);
    for (const name of ours) expect(bytes(name), name).toBeLessThanOrEqual(63);
    const clockName = getTableConfig(longNamed.$temporal.clock).name;
    const historyName = getTableConfig(longNamed.$temporal.history.aPropertyWithAnEvenLongerNameThanTheTable).name;
    const retiredName = getTableConfig(longNamed.$temporal.history.retired).name;
    expect(new Set([clockName, historyName, retiredName]).size).toBe(3);
    for (const name of [clockName, historyName, retiredName]) {
      expect(bytes(name)).toBeLessThanOrEqual(63);
      expect(ours).toContain(name);
    }

    // Every generated name exists in the catalog exactly as generated (nothing was truncated by Postgres).
    const catalog = await query<{ name: string; kind: string }>(sql`
      SELECT relname::text AS "name", 'class' AS "kind" FROM pg_class WHERE relname::text LIKE 'a\\_table\\_with%'
      UNION ALL SELECT conname::text, 'constraint' FROM pg_constraint WHERE conname::text LIKE 'a\\_table\\_with%'
      UNION ALL SELECT proname::text, 'function' FROM pg_proc WHERE proname::text LIKE 'a\\_table\\_with%'
      UNION ALL SELECT a.attname::text, 'column' FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
                 WHERE c.relname::text LIKE 'a\\_table\\_with%' AND a.attname::text LIKE 'a\\_table\\_with%' AND c.relkind = 'r'`);
    const names = new Set(catalog.map((c) => c.name));
    for (const name of ours) expect(names.has(name), name).toBe(true);
    for (const row of catalog) expect(bytes(row.name)).toBeLessThanOrEqual(63);
    const classes = catalog.filter((c) => c.kind === "class").map((c) => c.name);
    expect(new Set(classes).size).toBe(classes.length);
    const functions = catalog.filter((c) => c.kind === "function").map((c) => c.name);
    expect(functions).toHaveLength(3);
    expect(new Set(functions).size).toBe(3);
  });

  it("captures changes on the long-named table", async () => {
    const row = await create(t.db, longNamed, { id: 1, aPropertyWithAnEvenLongerNameThanTheTable: "first" }, who("long 1"));
    expect(row.vclock).toBe(1);
    await tick(t.db, longNamed, 1, { aPropertyWithAnEvenLongerNameThanTheTable: "second" }, who("long 2"));
    await withActivity(t.db, who("long 3"), (tx) =>
      tx.update(longNamed).set({ aPropertyWithAnEvenLongerNameThanTheTable: null }).where(eq(longNamed.id, 1)),
    );
    const { items } = await history(t.db, longNamed, 1, "aPropertyWithAnEvenLongerNameThanTheTable");
    expect(items.map((h) => [h.value, h.vclock, h.activity!.reason])).toEqual([
      [null, { from: 3, to: null }, "long 3"],
      ["second", { from: 2, to: 3 }, "long 2"],
      ["first", { from: 1, to: 2 }, "long 1"],
    ]);
    expect((await asOf(t.db, longNamed, 1, { vclock: 2 }))!.record).toEqual({
      id: 1,
      aPropertyWithAnEvenLongerNameThanTheTable: "second",
      retired: false,
    });
    expect((await timeline(t.db, longNamed, 1)).items.map((e) => [e.vclock, e.kind])).toEqual([
      [3, "changed"],
      [2, "changed"],
      [1, "created"],
    ]);
    expect(await verify(t.db, longNamed)).toEqual([]);
  });
});
