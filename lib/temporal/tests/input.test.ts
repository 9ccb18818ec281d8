import { eq, sql, type SQL } from "drizzle-orm";
import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import {
  asOf,
  BackdateOrderError,
  ConstraintViolationError,
  create,
  createMany,
  DEFAULT_MAX_VALUE_BYTES,
  history,
  InvalidActivityError,
  InvalidArgumentError,
  InvalidKeyError,
  InvalidValueError,
  MissingActivityError,
  NotFoundError,
  restore,
  retire,
  RetiredError,
  StaleVclockError,
  TemporalError,
  temporalTable,
  tick,
  tickMany,
  timeline,
  translateError,
  UnknownPropertyError,
  verify,
  withActivity,
  type TemporalDb,
} from "../index";
import { serial, text } from "drizzle-orm/pg-core";
import { isBlank } from "../activity-table";
import { arrayLiteral } from "../columns";
import { enrollment, friend, sink } from "./fixtures";
import { librarySchema, oneConnection, withTestDb } from "./harness";

const t = withTestDb(librarySchema);

const who = { reason: "test", actor: "vitest" };

async function query<T = Record<string, unknown>>(q: SQL): Promise<T[]> {
  const result = await t.db.execute(q);
  return (result as unknown as { rows: T[] }).rows;
}

async function count(from: string): Promise<number> {
  const [row] = await query<{ n: string | number }>(sql.raw(`SELECT count(*) AS "n" FROM ${from}`));
  return Number(row!.n);
}

/** Row counts of every table a write could touch. */
async function totals() {
  const tables = [
    `"temporal_activity"`,
    `"friend"`,
    `"friend_clock"`,
    `"friend_history_location"`,
    `"kitchen_sink"`,
    `"kitchen_sink_clock"`,
    `"kitchen_sink_history_label"`,
    `"enrollment"`,
    `"audit"."enrollment_clock"`,
  ];
  return Object.fromEntries(await Promise.all(tables.map(async (table) => [table, await count(table)] as const)));
}

/** A database handle that fails the test if anything touches it: proves a check ran before any SQL. */
const noSql = new Proxy(
  {},
  {
    get(_, property) {
      throw new Error(`SQL was attempted (db.${String(property)})`);
    },
  },
) as unknown as TemporalDb;

/** Runs `fn` and returns what it threw (or fails when it did not throw). */
async function failure(fn: () => Promise<unknown>): Promise<TemporalError> {
  const outcome = await fn().then(
    () => new Error("expected a failure, but the call succeeded"),
    (error: unknown) => translateError(error),
  );
  if (!(outcome instanceof TemporalError)) throw outcome;
  return outcome;
}

describe("activities", () => {
  it("refuses a blank or whitespace reason or actor before any SQL runs", async () => {
    const before = await totals();
    const bad: [Record<string, unknown>, "reason" | "actor"][] = [
      [{ reason: "", actor: "vitest" }, "reason"],
      [{ reason: "   ", actor: "vitest" }, "reason"],
      [{ reason: " \t\n\r ", actor: "vitest" }, "reason"],
      [{ reason: "\u00a0\u2003", actor: "vitest" }, "reason"],
      [{ actor: "vitest" }, "reason"],
      [{ reason: 42, actor: "vitest" }, "reason"],
      [{ reason: "Valid", actor: "" }, "actor"],
      [{ reason: "Valid", actor: "\t" }, "actor"],
      [{ reason: "Valid" }, "actor"],
    ];
    for (const [activity, field] of bad) {
      const input = activity as unknown as { reason: string; actor: string };
      for (const attempt of [
        () => withActivity(noSql, input, async () => "ran"),
        () => create(noSql, friend, { name: "Blank" }, input),
        () => tick(noSql, friend, 1, { location: "Blank" }, input),
        () => withActivity(t.db, input, (tx) => tx.insert(friend).values({ name: "Blank" })),
      ]) {
        const error = await failure(attempt);
        expect(error, JSON.stringify(activity)).toBeInstanceOf(InvalidActivityError);
        expect(error.code).toBe("INVALID_ACTIVITY");
        expect((error as InvalidActivityError).field).toBe(field);
      }
    }
    expect(await totals()).toEqual(before);
  });

  it("refuses a write with no activity object at all before any SQL runs", async () => {
    const error = await failure(() => create(noSql, friend, { name: "Nobody" }));
    expect(error).toBeInstanceOf(MissingActivityError);
    expect(error.message).toMatch(/withActivity/);
  });

  it("has the database refuse a raw activity with a blank reason or actor", async () => {
    const before = await count(`"temporal_activity"`);
    const insert = (reason: string, actor: string) =>
      failure(() =>
        t.db.execute(
          sql`INSERT INTO "temporal_activity" ("reason", "actor", "at", "recorded_at", "txid") VALUES (${reason}, ${actor}, now(), now(), txid_current())`,
        ),
      );
    for (const [reason, actor, field] of [
      ["", "psql", "reason"],
      ["   ", "psql", "reason"],
      ["Valid", "", "actor"],
      ["Valid", "    ", "actor"],
      ["x".repeat(2001), "psql", "reason"],
      ["Valid", "y".repeat(201), "actor"],
    ] as const) {
      const error = await insert(reason, actor);
      expect(error, `${reason.slice(0, 10)}/${actor.slice(0, 10)}`).toBeInstanceOf(InvalidActivityError);
      expect((error as InvalidActivityError).field).toBe(field);
    }
    expect(await count(`"temporal_activity"`)).toBe(before);
  });

  it("has the database refuse a raw activity whose reason or actor is only tabs and newlines", async () => {
    // withActivity refuses these (String.prototype.trim strips all whitespace); the table's CHECK must agree.
    const before = await count(`"temporal_activity"`);
    for (const [reason, actor, field] of [
      ["\t\n", "psql", "reason"],
      ["Valid", "\r\n", "actor"],
    ] as const) {
      const error = await failure(() =>
        t.db.execute(
          sql`INSERT INTO "temporal_activity" ("reason", "actor", "at", "recorded_at", "txid") VALUES (${reason}, ${actor}, now(), now(), txid_current())`,
        ),
      );
      expect(error).toBeInstanceOf(InvalidActivityError);
      expect((error as InvalidActivityError).field).toBe(field);
    }
    expect(await count(`"temporal_activity"`)).toBe(before);
  });

  it("refuses a reason or actor made only of invisible characters, before any SQL and in the table's CHECK", async () => {
    const before = await totals();
    const insert = (reason: string, actor: string) =>
      failure(() =>
        t.db.execute(
          sql`INSERT INTO "temporal_activity" ("reason", "actor", "at", "recorded_at", "txid") VALUES (${reason}, ${actor}, now(), now(), txid_current())`,
        ),
      );
    const invisible = ["\u200b", "\u200b\u200c\u200d", "\ufeff", " \u2060\u00ad ", "\u202e\u200f", "\u3000\u180e", "\u{e0020}\u{e007f}"];
    for (const blank of invisible) {
      for (const [activity, field] of [
        [{ reason: blank, actor: "vitest" }, "reason"],
        [{ reason: "Valid", actor: blank }, "actor"],
      ] as const) {
        const label = `${field}: ${JSON.stringify(blank)}`;
        for (const error of [
          await failure(() => create(noSql, friend, { name: "Invisible" }, activity)),
          await failure(() => withActivity(noSql, activity, async () => "ran")),
          await insert(activity.reason, activity.actor),
        ]) {
          expect(error, label).toBeInstanceOf(InvalidActivityError);
          expect((error as InvalidActivityError).field, label).toBe(field);
        }
      }
    }
    // Every blank character at once, to the table's CHECK; one visible character among them is enough.
    const all = [...Array(0x110000).keys()].filter((c) => (c < 0xd800 || c > 0xdfff) && isBlank(String.fromCodePoint(c)));
    const everything = String.fromCodePoint(...all);
    expect(((await insert(everything, "psql")) as InvalidActivityError).field).toBe("reason");
    expect(await totals()).toEqual(before);
    const row = await create(t.db, friend, { name: "Visible" }, { reason: `${everything}x`, actor: "\u200bvitest" });
    expect((await history(t.db, friend, row.id, "name")).items[0]!.activity!.reason).toBe(`${everything}x`);
  });

  it("counts as blank exactly whitespace and the Unicode format characters (Cf)", () => {
    for (let code = 0; code < 0x110000; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue;
      const char = String.fromCodePoint(code);
      const expected = /^[\s\p{Cf}\u0085]$/u.test(char);
      if (isBlank(char) !== expected)
        expect(`U+${code.toString(16)} blank: ${isBlank(char)}`).toBe(`U+${code.toString(16)} blank: ${expected}`);
    }
    expect(isBlank("")).toBe(true);
    expect(isBlank("\u200b.\u200b")).toBe(false);
  });

  it("refuses a NUL character in any text of an activity as InvalidActivityError, before any SQL", async () => {
    for (const [activity, field] of [
      [{ reason: "before\u0000after", actor: "vitest" }, "reason"],
      [{ reason: "\u0000", actor: "vitest" }, "reason"],
      [{ reason: "Valid", actor: "vit\u0000est" }, "actor"],
      [{ reason: "Valid", actor: "vitest", source: "a\u0000" }, "source"],
    ] as const) {
      for (const attempt of [
        () => create(noSql, friend, { name: "Nul" }, activity),
        () => tick(noSql, friend, 1, { location: "Nul" }, activity),
        () => withActivity(noSql, activity, async () => "ran"),
      ]) {
        const error = await failure(attempt);
        expect(error, JSON.stringify(activity)).toBeInstanceOf(InvalidActivityError);
        expect((error as InvalidActivityError).field).toBe(field);
        expect(error.message).toMatch(/NUL/);
      }
    }
  });

  it("refuses a reason over 2000 characters and accepts one of exactly 2000", async () => {
    const before = await totals();
    const tooLong = await failure(() => create(noSql, friend, { name: "Long" }, { reason: "r".repeat(2001), actor: "vitest" }));
    expect(tooLong).toBeInstanceOf(InvalidActivityError);
    expect((tooLong as InvalidActivityError).field).toBe("reason");
    expect(tooLong.message).toMatch(/2001/);
    expect(tooLong.message).toMatch(/2000/);
    const actorTooLong = await failure(() => create(noSql, friend, { name: "Long" }, { reason: "ok", actor: "a".repeat(201) }));
    expect((actorTooLong as InvalidActivityError).field).toBe("actor");
    expect(await totals()).toEqual(before);

    const row = await create(t.db, friend, { name: "Exactly" }, { reason: "r".repeat(2000), actor: "a".repeat(200) });
    const { items } = await history(t.db, friend, row.id, "name");
    expect(items[0]!.activity!.reason).toBe("r".repeat(2000));
    expect(items[0]!.activity!.actor).toBe("a".repeat(200));
  });

  it("refuses an activity dated in the future, through the database's check, and writes nothing", async () => {
    const before = await totals();
    const future = new Date(Date.now() + 60 * 60 * 1000);
    const error = await failure(() =>
      create(t.db, friend, { name: "Time traveller" }, { reason: "From the future", actor: "marty", at: future }),
    );
    expect(error).toBeInstanceOf(InvalidActivityError);
    expect(error.code).toBe("INVALID_ACTIVITY");
    expect((error as InvalidActivityError).field).toBe("at");
    const invalid = await failure(() => create(noSql, friend, { name: "Never" }, { ...who, at: new Date("not a date") }));
    expect((invalid as InvalidActivityError).field).toBe("at");
    expect(await totals()).toEqual(before);
    expect(await count(`"friend" WHERE "name" = 'Time traveller'`)).toBe(0);
  });

  it("refuses back-dating before a record's last change and writes nothing", async () => {
    const row = await create(t.db, friend, { name: "Imported", location: "A" }, { ...who, at: new Date("2000-01-01T00:00:00Z") });
    await tick(t.db, friend, row.id, { location: "B" }, { ...who, at: new Date("2001-01-01T00:00:00Z") });
    const other = await create(t.db, friend, { name: "Fresh", location: "X" }, who);
    const before = await totals();

    const attempts = [
      () => tick(t.db, friend, row.id, { location: "C" }, { ...who, at: new Date("2000-06-01T00:00:00Z") }),
      () => tick(t.db, friend, row.id, { location: "C" }, { ...who, at: new Date("2001-01-01T00:00:00Z") }),
      () => tick(t.db, friend, other.id, { location: "Y" }, { ...who, at: new Date("2001-06-01T00:00:00Z") }),
      () =>
        tickMany(
          t.db,
          friend,
          [
            { key: row.id, changes: { location: "C" } },
            { key: other.id, changes: { location: "Y" } },
          ],
          { ...who, at: new Date("2002-01-01T00:00:00Z") },
        ),
      () => retire(t.db, friend, row.id, { ...who, at: new Date("1999-01-01T00:00:00Z") }),
      () =>
        withActivity(t.db, { ...who, at: new Date("2000-06-01T00:00:00Z") }, (tx) =>
          tx.update(friend).set({ location: "C" }).where(eq(friend.id, row.id)),
        ),
    ];
    for (const attempt of attempts) {
      const error = await failure(attempt);
      expect(error).toBeInstanceOf(BackdateOrderError);
      expect(error.code).toBe("BACKDATE_ORDER");
    }
    expect(await totals()).toEqual(before);

    const later = await tick(t.db, friend, row.id, { location: "C" }, { ...who, at: new Date("2002-01-01T00:00:00Z") });
    expect(later.vclock).toBe(3);
    expect((await history(t.db, friend, row.id, "location")).items.map((h) => [h.value, h.effective.from.toISOString()])).toEqual([
      ["C", "2002-01-01T00:00:00.000Z"],
      ["B", "2001-01-01T00:00:00.000Z"],
      ["A", "2000-01-01T00:00:00.000Z"],
    ]);
  });
});

describe("properties and values", () => {
  it("refuses an unknown or unwritable property, naming it", async () => {
    const row = await create(t.db, sink, {}, who);
    const before = await totals();
    for (const [attempt, property] of [
      [() => tick(t.db, sink, row.id, { colour: "red" } as never, who), "colour"],
      [() => tick(t.db, sink, row.id, { vclock: 9 } as never, who), "vclock"],
      [() => tick(t.db, sink, row.id, { retired: true } as never, who), "retired"],
      [() => tick(t.db, sink, row.id, { id: "6f1c2a3e-0000-4000-8000-000000000000" } as never, who), "id"],
      [() => create(t.db, sink, { colour: "red" } as never, who), "colour"],
      [() => create(t.db, sink, { vclock: 1 } as never, who), "vclock"],
      [
        () =>
          tickMany(
            t.db,
            sink,
            [
              { key: row.id, changes: { label: "ok" } },
              { key: row.id, changes: { Label: "x" } as never },
            ],
            who,
          ),
        "Label",
      ],
      [() => history(t.db, sink, row.id, "note" as never), "note"],
    ] as const) {
      const error = await failure(attempt);
      expect(error, property).toBeInstanceOf(UnknownPropertyError);
      expect(error.code).toBe("UNKNOWN_PROPERTY");
      expect((error as UnknownPropertyError).property).toBe(property);
      expect(error.message).toContain(`"${property}"`);
    }
    expect(await totals()).toEqual(before);
  });

  it("refuses a value of the wrong type before any SQL, naming the property", async () => {
    const row = await create(t.db, sink, { label: "typed" }, who);
    const before = await totals();
    const cases: [string, unknown][] = [
      ["count", "5"],
      ["count", 1.5],
      ["count", Number.NaN],
      ["small", 2.5],
      ["big", 5],
      ["big", "5"],
      ["price", "abc"],
      ["price", Number.POSITIVE_INFINITY],
      ["ratio", "0.5"],
      ["active", "true"],
      ["active", 1],
      ["label", 5],
      ["label", { text: "x" }],
      ["code", 12345],
      ["mood", "angry"],
      ["mood", "HAPPY"],
      ["seenAt", "2020-01-01T00:00:00Z"],
      ["seenAt", 1577836800000],
      ["seenAt", new Date("nonsense")],
      ["bornOn", new Date("2020-01-01")],
      ["tags", "x"],
      ["tags", [1, 2]],
      ["friendId", "1"],
    ];
    for (const [property, value] of cases) {
      for (const attempt of [
        () => tick(noSql, sink, row.id, { [property]: value }, who),
        () => create(noSql, sink, { [property]: value }, who),
        () => tickMany(noSql, sink, [{ key: row.id, changes: { [property]: value } }], who),
      ]) {
        const error = await failure(attempt);
        expect(error, `${property} = ${String(value)}`).toBeInstanceOf(InvalidValueError);
        expect(error.code).toBe("INVALID_VALUE");
        expect((error as InvalidValueError).column).toBe(property === "tags" && Array.isArray(value) ? "tags[]" : property);
        expect(error.message).toContain(`"${property}`);
      }
    }
    expect(await totals()).toEqual(before);
    expect((await asOf(t.db, sink, row.id, { vclock: 1 }))!.record.label).toBe("typed");
  });

  it("refuses a value the database cannot hold with InvalidValueError, and writes nothing", async () => {
    const row = await create(t.db, sink, { label: "ranged" }, who);
    const before = await totals();
    for (const changes of [
      { ref: "not-a-uuid" },
      { count: 2 ** 31 },
      { small: 40_000 },
      { price: "123456789.00" },
      { bornOn: "2020-02-30" },
      { label: "nul \u0000 byte" },
    ]) {
      for (const attempt of [
        () => tick(t.db, sink, row.id, changes, who),
        () => tickMany(t.db, sink, [{ key: row.id, changes }], who),
        () => create(t.db, sink, changes, who),
      ]) {
        const error = await failure(attempt);
        expect(error, JSON.stringify(changes)).toBeInstanceOf(InvalidValueError);
        expect(error.code).toBe("INVALID_VALUE");
      }
    }
    expect(await totals()).toEqual(before);
  });

  it("refuses a circular, BigInt or non-finite JSON value before any SQL, naming the column and where", async () => {
    const row = await create(t.db, sink, { label: "json" }, who);
    const circular: Record<string, unknown> = { name: "loop", inner: {} };
    (circular.inner as Record<string, unknown>).back = circular;
    const cycleInArray: unknown[] = [1];
    cycleInArray.push({ list: cycleInArray });
    const before = await totals();
    for (const [data, where] of [
      [circular, "$.inner.back"],
      [{ list: cycleInArray }, "$.list[1].list"],
      [{ count: 12n }, "$.count"],
      [{ ratio: Number.NaN }, "$.ratio"],
      [{ deep: [{ v: Number.POSITIVE_INFINITY }] }, "$.deep[0].v"],
      [[Number.NEGATIVE_INFINITY], "$[0]"],
    ] as const) {
      for (const attempt of [
        () => create(noSql, sink, { data: data as never }, who),
        () => tick(noSql, sink, row.id, { data: data as never }, who),
        () => tickMany(noSql, sink, [{ key: row.id, changes: { data: data as never } }], who),
      ]) {
        const error = await failure(attempt);
        expect(error, where).toBeInstanceOf(InvalidValueError);
        expect((error as InvalidValueError).column).toBe("data");
        expect(error.message).toContain(`"data"`);
        expect(error.message).toContain(` at ${where},`);
      }
    }
    expect(await totals()).toEqual(before);
    // The same object twice is not a cycle, and a Date serializes itself.
    const shared = { k: 1 };
    const done = await tick(t.db, sink, row.id, { data: { a: shared, b: shared, when: new Date("2020-01-01T00:00:00Z") } }, who);
    expect(done.row.data).toEqual({ a: { k: 1 }, b: { k: 1 }, when: "2020-01-01T00:00:00.000Z" });
  });

  it("refuses a NUL character in text, in a text array and anywhere in jsonb, naming the column, and writes nothing", async () => {
    const row = await create(t.db, sink, { label: "nul" }, who);
    const before = await totals();
    for (const [changes, column, where] of [
      [{ label: "before\0after" }, "label", ""],
      [{ code: "\0" }, "code", ""],
      [{ tags: ["fine", "x\0"] }, "tags[]", ""],
      [{ data: { note: "a\0b" } }, "data", " at $.note"],
      [{ data: { list: [{ deep: "\0" }] } }, "data", " at $.list[0].deep"],
      [{ data: { "key\0": 1 } }, "data", " in a key at $"],
    ] as const) {
      for (const attempt of [
        () => create(t.db, sink, changes as never, who),
        () => tick(t.db, sink, row.id, changes as never, who),
        () => tickMany(t.db, sink, [{ key: row.id, changes: changes as never }], who),
      ]) {
        const error = await failure(attempt);
        expect(error, JSON.stringify(changes)).toBeInstanceOf(InvalidValueError);
        expect((error as InvalidValueError).column).toBe(column);
        expect(error.message).toContain(`NUL character (U+0000)${where},`);
      }
    }
    expect(await totals()).toEqual(before);
    // Everything else in text is stored as sent, invisible characters included.
    const done = await tick(t.db, sink, row.id, { label: "tab\tzero\u200Bwidth" }, who);
    expect(done.row.label).toBe("tab\tzero\u200Bwidth");
  });

  it("refuses a value over the table's maxValueBytes (1 MiB unless set) before any SQL, counting bytes", async () => {
    const row = await create(t.db, sink, { label: "small" }, who);
    const before = await totals();
    for (const [changes, column] of [
      [{ label: "x".repeat(DEFAULT_MAX_VALUE_BYTES + 1) }, "label"],
      // Fewer characters than the limit, more bytes: 2 bytes of UTF-8 each.
      [{ label: "é".repeat(DEFAULT_MAX_VALUE_BYTES / 2 + 1) }, "label"],
      [{ data: { text: "x".repeat(DEFAULT_MAX_VALUE_BYTES) } }, "data"],
      [{ tags: Array.from({ length: 1024 }, () => "y".repeat(1024)) }, "tags"],
    ] as const) {
      for (const attempt of [
        () => create(noSql, sink, changes, who),
        () => tick(noSql, sink, row.id, changes, who),
        () => tickMany(noSql, sink, [{ key: row.id, changes }], who),
      ]) {
        const error = await failure(attempt);
        expect(error, column).toBeInstanceOf(InvalidValueError);
        expect((error as InvalidValueError).column).toBe(column);
        expect(error.message).toMatch(/1,048,576 bytes per value \(maxValueBytes\)/);
      }
    }
    expect(await totals()).toEqual(before);
    const exactly = "é".repeat(DEFAULT_MAX_VALUE_BYTES / 2);
    expect((await tick(t.db, sink, row.id, { label: exactly }, who)).row.label).toBe(exactly);

    const tiny = temporalTable("tiny_values", { id: serial("id").primaryKey(), note: text("note") }, { track: ["note"], maxValueBytes: 8 });
    const tooBig = await failure(() => create(noSql, tiny, { note: "123456789" }, who));
    expect(tooBig).toBeInstanceOf(InvalidValueError);
    expect(tooBig.message).toBe(
      '"note" is 9 bytes; "tiny_values" takes at most 8 bytes per value (maxValueBytes). Store less, or raise maxValueBytes in its temporalTable options.',
    );
    // At the limit the check passes, and the write reaches for the database.
    await expect(create(noSql, tiny, { note: "12345678" }, who)).rejects.toThrow(/SQL was attempted/);
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      expect(() =>
        temporalTable("tiny_bad", { id: serial("id").primaryKey(), note: text("note") }, { track: ["note"], maxValueBytes: bad }),
      ).toThrow(/maxValueBytes must be a whole number of bytes, at least 1/);
    }
  });

  it("refuses an oversized varchar, from a helper (naming it) or raw SQL", async () => {
    const row = await create(t.db, sink, { code: "12345678" }, who);
    const before = await totals();
    const helper = await failure(() => tick(t.db, sink, row.id, { code: "123456789" }, who));
    expect(helper).toBeInstanceOf(InvalidValueError);
    expect((helper as InvalidValueError).column).toBe("code");
    expect(helper.message).toMatch(/"code" holds at most 8 characters; this value has 9/);
    const raw = await failure(() =>
      withActivity(t.db, who, (tx) => tx.execute(sql`UPDATE "kitchen_sink" SET "code" = '123456789' WHERE "id" = ${row.id}`)),
    );
    expect(raw).toBeInstanceOf(InvalidValueError);
    expect(await totals()).toEqual(before);
  });

  it("counts varchar length in characters, as Postgres does, so 8 emoji fit in varchar(8)", async () => {
    const emoji = "😀😁😂🤣😃😄😅😆";
    expect([...emoji]).toHaveLength(8);
    const row = await create(t.db, sink, { code: emoji }, who);
    expect(row.code).toBe(emoji);
    const ticked = await tick(t.db, sink, row.id, { code: "é".repeat(8) }, who);
    expect(ticked.row.code).toBe("é".repeat(8));
    const tooMany = await failure(() => tick(t.db, sink, row.id, { code: `${emoji}😇` }, who));
    expect(tooMany).toBeInstanceOf(InvalidValueError);
    expect(tooMany.message).toMatch(/this value has 9/);
    expect((await history(t.db, sink, row.id, "code")).items.map((h) => h.value)).toEqual(["é".repeat(8), emoji]);
  });

  it("refuses null in a NOT NULL column, from a helper (naming it) or from the database", async () => {
    const row = await create(t.db, sink, { label: "not null" }, who);
    const mate = await create(t.db, friend, { name: "Named" }, who);
    const before = await totals();
    for (const property of ["count", "active", "stamp"]) {
      for (const attempt of [
        () => tick(noSql, sink, row.id, { [property]: null }, who),
        () => create(noSql, sink, { [property]: null }, who),
        () => tickMany(noSql, sink, [{ key: row.id, changes: { [property]: null } }], who),
      ]) {
        const error = await failure(attempt);
        expect(error, property).toBeInstanceOf(InvalidValueError);
        expect((error as InvalidValueError).column).toBe(property);
      }
    }
    const missingName = await failure(() => create(t.db, friend, {} as never, who));
    expect(missingName).toBeInstanceOf(InvalidValueError);
    expect((missingName as InvalidValueError).column).toBe("name");
    const missingYear = await failure(() => create(t.db, enrollment, { memberId: 1, plan: "basic" } as never, who));
    expect(missingYear).toBeInstanceOf(InvalidValueError);
    expect((missingYear as InvalidValueError).column).toBe("year");
    const raw = await failure(() =>
      withActivity(t.db, who, (tx) => tx.execute(sql`UPDATE "friend" SET "name" = NULL WHERE "id" = ${mate.id}`)),
    );
    expect(raw).toBeInstanceOf(InvalidValueError);
    expect((raw as InvalidValueError).column).toBe("name");
    expect(await totals()).toEqual(before);
  });

  it("refuses a foreign key to a missing record with ConstraintViolationError", async () => {
    const row = await create(t.db, sink, {}, who);
    const before = await totals();
    const error = await failure(() => tick(t.db, sink, row.id, { friendId: 987_654_321 }, who));
    expect(error).toBeInstanceOf(ConstraintViolationError);
    expect(error.code).toBe("CONSTRAINT_VIOLATION");
    expect(await totals()).toEqual(before);
  });
});

describe("awkward text is stored and read back exactly", () => {
  const nasty = [
    "it's",
    'say "hi"',
    "back\\slash \\n not a newline",
    "\\\\server\\share\\",
    "'); DROP TABLE friend; --",
    `Robert"); DROP TABLE "friend";--`,
    "$1 $2 ? :name",
    "$temporal$ $$ E'\\x41'",
    "%_ LIKE wildcards",
    "NULL",
    "null",
    "",
    "  padded  ",
    "line1\nline2\ttab\r\nend",
    "日本語のテキスト",
    "Ünïcödé ß ﬁ",
    "emoji 😀 👩‍👩‍👧‍👦 🏳️‍🌈 🇳🇿",
    "zero\u200bwidth and \u202eright-to-left",
    "{braces},[brackets],(parens)",
  ];

  it("stores each value through create, tick, tickMany and Drizzle, and reads it back from every view", async () => {
    const paths = ["create", "tick", "tickMany", "drizzle"] as const;
    for (const value of nasty) {
      const ids: number[] = [];
      for (const path of paths) {
        if (path === "create") {
          ids.push((await create(t.db, friend, { name: value, location: value }, { reason: value || "empty", actor: "vitest" })).id);
          continue;
        }
        const row = await create(t.db, friend, { name: "placeholder", location: "placeholder" }, who);
        if (path === "tick") await tick(t.db, friend, row.id, { name: value, location: value }, who);
        if (path === "tickMany") await tickMany(t.db, friend, [{ key: row.id, changes: { name: value, location: value } }], who);
        if (path === "drizzle")
          await withActivity(t.db, who, (tx) => tx.update(friend).set({ name: value, location: value }).where(eq(friend.id, row.id)));
        ids.push(row.id);
      }
      for (const [i, id] of ids.entries()) {
        const label = `${paths[i]}: ${JSON.stringify(value)}`;
        const vclock = paths[i] === "create" ? 1 : 2;
        const [now] = await t.db.select().from(friend).where(eq(friend.id, id));
        expect(now, label).toMatchObject({ name: value, location: value, vclock });
        expect((await asOf(t.db, friend, id, { vclock }))!.record, label).toEqual({ id, name: value, location: value, retired: false });
        expect((await history(t.db, friend, id, "location")).items[0]!.value, label).toBe(value);
        const [stored] = await query<{ location: string }>(
          sql`SELECT "location" FROM "friend_history_location" WHERE "friend_id" = ${id} AND upper_inf("vclock")`,
        );
        expect(stored!.location, label).toBe(value);
      }
      const [created] = await timeline(t.db, friend, ids[0]!).then((p) => p.items);
      expect(created!.activity.reason).toBe(value || "empty");
    }
    expect(await query(sql`SELECT to_regclass('public.friend')::text AS "t"`)).toEqual([{ t: "friend" }]);
    expect(await verify(t.db, friend)).toEqual([]);
  });

  it("sends tickMany's columns as array literals that the server reads back exactly", async () => {
    const read = async (values: (string | null)[]) =>
      (await query<{ a: (string | null)[] }>(sql`SELECT ${arrayLiteral(values)}::text[] AS "a"`))[0]!.a;
    expect(await read(nasty)).toEqual(nasty);
    expect(await read(["NULL", null, "", '"', "\\", "{", "}", ",", " "])).toEqual(["NULL", null, "", '"', "\\", "{", "}", ",", " "]);
    const text = fc.string({ unit: "grapheme", maxLength: 8 }).map((s) => s.replaceAll("\0", ""));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.option(text), { maxLength: 6 }), async (values) => {
        expect(await read(values)).toEqual(values);
      }),
      { numRuns: 200 },
    );
  });

  it("stores awkward strings inside text[] and jsonb exactly", async () => {
    const tags = [...nasty, "a,b", '"', "\\", " ", "{x}", "NULL"];
    const data = { ...Object.fromEntries(nasty.map((v, i) => [`k${i} ${v}`, v])), nested: { list: nasty } };
    const created = await create(t.db, sink, { tags, data, label: nasty[4]! }, who);
    expect(created).toMatchObject({ tags, data, label: nasty[4] });
    const other = await create(t.db, sink, {}, who);
    const [viaMany] = await tickMany(t.db, sink, [{ key: other.id, changes: { tags, data, code: "'\"\\;--" } }], who);
    expect(viaMany!.row).toMatchObject({ tags, data, code: "'\"\\;--" });
    const withNull = await tick(t.db, sink, other.id, { tags: ["before", null as unknown as string, "after"] }, who);
    expect(withNull.row.tags).toEqual(["before", null, "after"]);

    for (const id of [created.id, other.id]) {
      const vclock = id === created.id ? 1 : 2;
      const then = await asOf(t.db, sink, id, { vclock });
      expect(then!.record.tags).toEqual(tags);
      expect(then!.record.data).toEqual(data);
    }
    expect((await history(t.db, sink, other.id, "tags")).items.map((h) => h.value)).toEqual([["before", null, "after"], tags, null]);
    expect((await history(t.db, sink, other.id, "code")).items.map((h) => h.value)).toEqual(["'\"\\;--", null]);
  });
});

describe("tickMany is all or nothing", () => {
  async function threeSinks() {
    const rows = await createMany(t.db, sink, [{ label: "one" }, { label: "two" }, { label: "three" }], who);
    return rows.map((r) => r.id);
  }
  async function vclocks(ids: string[]) {
    const rows = await query<{ id: string; vclock: number }>(
      sql`SELECT "id"::text AS "id", "vclock" FROM "kitchen_sink" WHERE "id" = ANY(${sql.param(ids)}::uuid[])`,
    );
    return Object.fromEntries(rows.map((r) => [r.id, r.vclock]));
  }

  it("writes nothing at all when one entry is bad", async () => {
    const ids = await threeSinks();
    const [a, b, c] = ids as [string, string, string];
    const retiredOne = (await create(t.db, sink, { label: "retired" }, who)).id;
    await retire(t.db, sink, retiredOne, who);
    const mate = await create(t.db, friend, { name: "Mate" }, who);
    const cases: [string, () => Promise<unknown>, new (...args: never[]) => TemporalError][] = [
      [
        "a value of the wrong type",
        () =>
          tickMany(
            t.db,
            sink,
            [
              { key: a, changes: { label: "A" } },
              { key: b, changes: { count: "x" as never } },
            ],
            who,
          ),
        InvalidValueError,
      ],
      [
        "an unknown key",
        () =>
          tickMany(
            t.db,
            sink,
            [
              { key: a, changes: { label: "A" } },
              { key: "6f1c2a3e-0000-4000-8000-0000000000ff", changes: { label: "?" } },
              { key: c, changes: { label: "C" } },
            ],
            who,
          ),
        NotFoundError,
      ],
      [
        "a stale version",
        () =>
          tickMany(
            t.db,
            sink,
            [
              { key: a, changes: { label: "A" } },
              { key: b, changes: { label: "B" }, expectedVclock: 7 },
            ],
            who,
          ),
        StaleVclockError,
      ],
      [
        "a missing foreign record",
        () =>
          tickMany(
            t.db,
            sink,
            [
              { key: a, changes: { friendId: mate.id } },
              { key: b, changes: { friendId: 987_654_321 } },
            ],
            who,
          ),
        ConstraintViolationError,
      ],
      [
        "a value the database refuses",
        () =>
          tickMany(
            t.db,
            sink,
            [
              { key: a, changes: { label: "A" } },
              { key: c, changes: { ref: "nope" } },
            ],
            who,
          ),
        InvalidValueError,
      ],
      [
        "a retired record",
        () =>
          tickMany(
            t.db,
            sink,
            [
              { key: a, changes: { label: "A" } },
              { key: retiredOne, changes: { label: "R" } },
            ],
            who,
          ),
        RetiredError,
      ],
      [
        "an invalid expected version",
        () =>
          tickMany(
            t.db,
            sink,
            [
              { key: a, changes: { label: "A" } },
              { key: b, changes: { label: "B" }, expectedVclock: 0 },
            ],
            who,
          ),
        InvalidArgumentError,
      ],
    ];
    const before = await totals();
    const versions = await vclocks(ids);
    for (const [what, attempt, type] of cases) {
      const error = await failure(attempt);
      expect(error, what).toBeInstanceOf(type);
      expect(await vclocks(ids), what).toEqual(versions);
      expect(await totals(), what).toEqual(before);
    }
    expect(Object.values(versions)).toEqual([1, 1, 1]);
  });

  it("refuses the same key listed twice, however it is spelled", async () => {
    const ids = await threeSinks();
    const [a, b] = ids as [string, string];
    const person = await create(t.db, friend, { name: "Twice" }, who);
    await create(t.db, enrollment, { memberId: 9, year: 2020, plan: "basic" }, who);
    const before = await totals();
    for (const [what, attempt] of [
      [
        "the same uuid",
        () =>
          tickMany(
            t.db,
            sink,
            [
              { key: a, changes: { label: "x" } },
              { key: b, changes: { label: "y" } },
              { key: a, changes: { count: 5 } },
            ],
            who,
          ),
      ],
      [
        "a value and an object",
        () =>
          tickMany(
            t.db,
            friend,
            [
              { key: person.id, changes: { location: "x" } },
              { key: { id: person.id }, changes: { name: "y" } },
            ],
            who,
          ),
      ],
      [
        "a composite key",
        () =>
          tickMany(
            t.db,
            enrollment,
            [
              { key: { memberId: 9, year: 2020 }, changes: { plan: "a" } },
              { key: { year: 2020, memberId: 9 }, changes: { plan: "b" } },
            ],
            who,
          ),
      ],
      [
        "a uuid in upper case",
        () =>
          tickMany(
            t.db,
            sink,
            [
              { key: a, changes: { label: "x" } },
              { key: a.toUpperCase(), changes: { count: 5 } },
            ],
            who,
          ),
      ],
      [
        "a number with a leading zero",
        () =>
          tickMany(
            t.db,
            friend,
            [
              { key: person.id, changes: { location: "x" } },
              { key: `0${person.id}`, changes: { name: "y" } },
            ],
            who,
          ),
      ],
    ] as const) {
      const error = await failure(attempt);
      expect(error, what).toBeInstanceOf(InvalidArgumentError);
      expect(error.code, what).toBe("INVALID_ARGUMENT");
      expect(error.message, what).toMatch(/twice/);
    }
    expect(await totals()).toEqual(before);
  });
});

describe("keys and versions", () => {
  it("refuses a missing or incomplete key", async () => {
    const before = await totals();
    for (const [what, attempt] of [
      ["undefined", () => tick(noSql, friend, undefined as never, { location: "x" }, who)],
      ["null", () => tick(noSql, friend, null as never, { location: "x" }, who)],
      ["empty string", () => tick(noSql, friend, "", { location: "x" }, who)],
      ["object without the key", () => tick(noSql, friend, {}, { location: "x" }, who)],
      ["wrong key name", () => tick(noSql, friend, { friendId: 1 }, { location: "x" }, who)],
      ["composite given one value", () => tick(noSql, enrollment, 5, { plan: "x" }, who)],
      ["composite missing year", () => tick(noSql, enrollment, { memberId: 5 }, { plan: "x" }, who)],
      ["composite with null year", () => tick(noSql, enrollment, { memberId: 5, year: null }, { plan: "x" }, who)],
      ["composite with an extra field", () => tick(noSql, enrollment, { memberId: 5, year: 2020, plan: "x" }, { plan: "x" }, who)],
      ["retire with incomplete key", () => retire(noSql, enrollment, { year: 2020 }, who)],
      ["restore with no key", () => restore(noSql, friend, undefined as never, who)],
      ["asOf with incomplete key", () => asOf(noSql, enrollment, { memberId: 5 }, { vclock: 1 })],
      ["history with incomplete key", () => history(noSql, enrollment, { memberId: 5 }, "plan")],
      ["timeline with incomplete key", () => timeline(noSql, enrollment, { year: 2020 })],
      ["tickMany with incomplete key", () => tickMany(noSql, enrollment, [{ key: { memberId: 5 }, changes: { plan: "x" } }], who)],
    ] as const) {
      const error = await failure(attempt);
      expect(error, what).toBeInstanceOf(InvalidKeyError);
      expect(error.code, what).toBe("INVALID_KEY");
    }
    expect(await totals()).toEqual(before);
  });

  it("creates and ticks with their own activity in one statement each; a refused tick leaves not even the activity", async () => {
    // Every statement, named (prepared) or not, goes through the session's prepareQuery.
    const session = (t.db as unknown as { session: { prepareQuery: (...args: unknown[]) => unknown } }).session;
    const statements = vi.spyOn(session, "prepareQuery");
    const transaction = vi.spyOn(t.db, "transaction");
    try {
      const row = await create(t.db, friend, { name: "Single", location: "A" }, who);
      const done = await tick(t.db, friend, row.id, { location: "B" }, who, { expectedVclock: 1 });
      expect(done).toMatchObject({ vclock: 2, changed: ["location"] });
      // One round trip each: no BEGIN, no separate activity INSERT, no COMMIT.
      expect(transaction).not.toHaveBeenCalled();
      expect(statements).toHaveBeenCalledTimes(2);

      const before = await totals();
      expect(await failure(() => tick(t.db, friend, row.id, { location: "C" }, who, { expectedVclock: 1 }))).toBeInstanceOf(
        StaleVclockError,
      );
      expect(await failure(() => tick(t.db, friend, 987_654, { location: "C" }, who))).toBeInstanceOf(NotFoundError);
      expect(await totals()).toEqual(before);
      const past = await history(t.db, friend, row.id, "location");
      expect(past.items.map((h) => [h.value, h.activity?.reason])).toEqual([
        ["B", who.reason],
        ["A", who.reason],
      ]);
    } finally {
      statements.mockRestore();
      transaction.mockRestore();
    }
  });

  it("refuses a stale expectedVclock with the current record and writes nothing", async () => {
    const row = await create(t.db, friend, { name: "Stale", location: "A" }, who);
    await tick(t.db, friend, row.id, { location: "B" }, who);
    const before = await totals();
    const error = await failure(() => tick(t.db, friend, row.id, { location: "C" }, who, { expectedVclock: 1 }));
    expect(error).toBeInstanceOf(StaleVclockError);
    expect(error.code).toBe("STALE_VCLOCK");
    const stale = error as StaleVclockError;
    expect(stale.expectedVclock).toBe(1);
    expect(stale.currentVclock).toBe(2);
    expect(stale.current).toEqual({ id: row.id, name: "Stale", location: "B", nickname: null, vclock: 2, retired: false });
    expect(stale.message).toMatch(/version 1.*version 2/);

    const noChange = await failure(() => tick(t.db, friend, row.id, {}, who, { expectedVclock: 1 }));
    expect(noChange).toBeInstanceOf(StaleVclockError);
    const viaRetire = await failure(() => retire(t.db, friend, row.id, who, { expectedVclock: 1 }));
    expect(viaRetire).toBeInstanceOf(StaleVclockError);
    expect((viaRetire as StaleVclockError).current).toMatchObject({ vclock: 2, retired: false });
    for (const bad of [0, -1, 1.5]) {
      expect(await failure(() => tick(t.db, friend, row.id, { location: "C" }, who, { expectedVclock: bad }))).toBeInstanceOf(
        InvalidArgumentError,
      );
    }
    expect(await totals()).toEqual(before);

    const fresh = await tick(t.db, friend, row.id, { location: "C" }, who, { expectedVclock: 2 });
    expect(fresh.vclock).toBe(3);
  });

  it("refuses a stale or unknown single-statement tick without an error inside Postgres", async () => {
    // Postgres counts every transaction an error ended (and logs each such error): count them on one connection.
    const session = await oneConnection(t);
    const rollbacks = async () => {
      await session.db.execute(sql`SELECT pg_stat_force_next_flush()`);
      const result = await session.db.execute(sql`SELECT "xact_rollback" FROM pg_stat_database WHERE "datname" = current_database()`);
      const [row] = (result as unknown as { rows: { xact_rollback: string | number }[] }).rows;
      return Number(row!.xact_rollback);
    };
    try {
      const row = await create(session.db, friend, { name: "Quiet", location: "A" }, who);
      await tick(session.db, friend, row.id, { location: "B" }, who);
      const before = await totals();
      const start = await rollbacks();
      const stale = await failure(() => tick(session.db, friend, row.id, { location: "C" }, who, { expectedVclock: 1 }));
      expect(stale).toBeInstanceOf(StaleVclockError);
      expect((stale as StaleVclockError).current).toMatchObject({ vclock: 2, location: "B" });
      expect(await failure(() => tick(session.db, friend, 987_654, { location: "C" }, who))).toBeInstanceOf(NotFoundError);
      expect(await rollbacks()).toBe(start);
      expect(await totals()).toEqual(before);

      // The count is live: a write without an activity is an error inside Postgres, and is counted.
      const refused = await failure(() => session.db.execute(sql`UPDATE "friend" SET "location" = 'D' WHERE "id" = ${row.id}`));
      expect(refused).toBeInstanceOf(MissingActivityError);
      expect(await rollbacks()).toBe(start + 1);
      // And an UPDATE of no rows without one is still refused: only the tick's own statement may match nothing.
      const none = await failure(() => session.db.execute(sql`UPDATE "friend" SET "location" = 'D' WHERE "id" = -1`));
      expect(none).toBeInstanceOf(MissingActivityError);
      // The tick's setting lets only an UPDATE of no rows pass: set by hand, it lets no write of a row through.
      await session.db.execute(sql`SELECT set_config('temporal.no_match_ok', 'on', false)`);
      const forged = await failure(() => session.db.execute(sql`UPDATE "friend" SET "location" = 'D' WHERE "id" = ${row.id}`));
      expect(forged).toBeInstanceOf(MissingActivityError);
      await session.db.execute(sql`SELECT set_config('temporal.no_match_ok', '', false)`);
      expect(await totals()).toEqual(before);
    } finally {
      await session.close();
    }
  });

  it("reports an unknown key as NotFoundError for writes and as null or empty for reads", async () => {
    const before = await totals();
    for (const [what, attempt] of [
      ["tick", () => tick(t.db, friend, 987_654_321, { location: "x" }, who)],
      ["tick with no change", () => tick(t.db, friend, 987_654_321, {}, who)],
      ["retire", () => retire(t.db, friend, 987_654_321, who)],
      ["restore", () => restore(t.db, friend, 987_654_321, who)],
      ["tick on a composite key", () => tick(t.db, enrollment, { memberId: 404, year: 404 }, { plan: "x" }, who)],
      ["retire on a uuid key", () => retire(t.db, sink, "6f1c2a3e-0000-4000-8000-0000000000ee", who)],
    ] as const) {
      const error = await failure(attempt);
      expect(error, what).toBeInstanceOf(NotFoundError);
      expect(error.code, what).toBe("NOT_FOUND");
      expect((error as NotFoundError).table, what).toMatch(/^(friend|enrollment|kitchen_sink)$/);
    }
    const notFound = await failure(() => tick(t.db, friend, 987_654_321, { location: "x" }, who));
    expect((notFound as NotFoundError).key).toEqual({ id: 987_654_321 });
    expect(await totals()).toEqual(before);

    expect(await asOf(t.db, friend, 987_654_321, { vclock: 1 })).toBeNull();
    expect(await asOf(t.db, friend, 987_654_321, { at: new Date() })).toBeNull();
    expect(await asOf(t.db, enrollment, { memberId: 404, year: 404 }, { vclock: 1 })).toBeNull();
    expect(await history(t.db, friend, 987_654_321, "location")).toEqual({ items: [], nextCursor: null });
    expect(await timeline(t.db, friend, 987_654_321)).toEqual({ items: [], nextCursor: null });
  });
});
