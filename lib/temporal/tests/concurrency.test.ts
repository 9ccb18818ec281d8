/**
 * Many clients writing the same records at once. Only meaningful on the real server
 * (PGlite has one connection, so nothing ever runs concurrently): set DATABASE_URL.
 * Workers share the harness pool (12 connections).
 */
import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import {
  asOf,
  create,
  createMany,
  StaleVclockError,
  tick,
  tickMany,
  timeline,
  verify,
  withActivity,
  WriteConflictError,
  type AnyTemporalTable,
  type Key,
} from "../index";
import { enrollment, friend } from "./fixtures";
import { librarySchema, withTestDb } from "./harness";

const WORKERS = 12;
const OPS = 20;
const who = { reason: "concurrency test", actor: "vitest" };
const as = (worker: number) => ({ reason: "concurrent write", actor: `worker-${worker}` });

const range = (from: number, to: number) => Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
const ascending = (values: number[]) => [...values].sort((a, b) => a - b);

/** A small deterministic PRNG, so a failing interleaving's inputs can be reproduced. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let r = Math.imul(a ^ (a >>> 15), 1 | a);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffled<T>(items: T[], next: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe.skipIf(!process.env.DATABASE_URL)("many clients writing the same records at once", () => {
  const t = withTestDb(librarySchema);

  async function friendVclock(id: number): Promise<number> {
    const [row] = await t.db.select({ vclock: friend.vclock }).from(friend).where(eq(friend.id, id));
    return row!.vclock;
  }

  /** The record's ticks, oldest first, as its timeline reports them. */
  async function ticksOf(table: AnyTemporalTable, key: Key) {
    const page = await timeline(t.db, table, key, { limit: 1000 });
    expect(page.nextCursor).toBeNull();
    return [...page.items].reverse();
  }

  /** [from, to) of every history row of one property, oldest first. */
  async function ranges(historyTable: string, keyColumn: string, id: number): Promise<[number, number | null][]> {
    const result = (await t.db.execute(
      sql`SELECT lower("vclock") AS "f", upper("vclock") AS "u" FROM ${sql.identifier(historyTable)} WHERE ${sql.identifier(keyColumn)} = ${id} ORDER BY lower("vclock")`,
    )) as unknown as { rows: { f: number; u: number | null }[] };
    return result.rows.map((r) => [Number(r.f), r.u === null ? null : Number(r.u)]);
  }

  function expectContiguous(rows: [number, number | null][], vclock: number) {
    expect(rows[0]?.[0]).toBe(1);
    rows.forEach(([, to], i) => {
      if (i < rows.length - 1) expect(to).toBe(rows[i + 1]![0]);
      else expect(to).toBeNull();
    });
    expect(rows.every(([from]) => from <= vclock)).toBe(true);
  }

  it("loses no update when twelve clients tick one record at once without expectedVclock", async () => {
    const row = await create(t.db, friend, { name: "Shared", location: "Start" }, who);
    const locations = ["Oslo", "Lima", "Rome", "Kyiv"];
    const names = ["Ann", "Bob"];
    const ticked: { worker: number; vclock: number; property: string; value: string }[] = [];
    const noops: number[] = [];
    const failures: unknown[] = [];

    await Promise.all(
      range(0, WORKERS - 1).map(async (w) => {
        for (let i = 0; i < OPS; i++) {
          // A small pool of values, so some writes set what is already there (no tick), plus untracked writes.
          const [property, value] =
            i % 5 === 4 ? ["nickname", `w${w}`] : i % 3 === 0 ? ["name", names[(w + i) % 2]!] : ["location", locations[(w * 7 + i) % 4]!];
          try {
            const result = await tick(t.db, friend, row.id, { [property]: value }, as(w));
            expect(result.row.vclock).toBe(result.vclock);
            if (result.changed.length > 0) {
              expect(result.changed).toEqual([property]);
              ticked.push({ worker: w, vclock: result.vclock, property, value });
            } else noops.push(result.vclock);
          } catch (error) {
            failures.push(error);
          }
        }
      }),
    );

    expect(failures).toEqual([]);
    expect(ticked.length + noops.length).toBe(WORKERS * OPS);
    const vclock = await friendVclock(row.id);
    expect(vclock).toBe(1 + ticked.length);
    // Every tick that changed something got its own version: none lost, none shared.
    expect(ascending(ticked.map((x) => x.vclock))).toEqual(range(2, vclock));
    const ticks = await ticksOf(friend, { id: row.id });
    expect(ticks.map((x) => x.vclock)).toEqual(range(1, vclock));
    for (const x of ticked) {
      const entry = ticks[x.vclock - 1]!;
      expect(entry.activity.actor).toBe(`worker-${x.worker}`);
      expect(entry.changes).toEqual([expect.objectContaining({ property: x.property, after: x.value })]);
    }
    expectContiguous(await ranges("friend_history_location", "friend_id", row.id), vclock);
    expectContiguous(await ranges("friend_history_name", "friend_id", row.id), vclock);
    expect(await verify(t.db, friend)).toEqual([]);
  }, 120_000);

  it("refuses every stale read-then-write with a typed error and counts exactly the writes that succeeded", async () => {
    const row = await create(t.db, friend, { name: "Contended", location: "Start" }, who);
    const successes: { worker: number; vclock: number; location: string }[] = [];
    const failures: unknown[] = [];
    const ops = 15;

    await Promise.all(
      range(0, WORKERS - 1).map(async (w) => {
        for (let i = 0; i < ops; i++) {
          const location = `w${w}-${i}`;
          for (let attempt = 0; attempt < 2000; attempt++) {
            const read = await friendVclock(row.id);
            try {
              const result = await tick(t.db, friend, row.id, { location }, as(w), { expectedVclock: read });
              expect(result.vclock).toBe(read + 1);
              expect(result.changed).toEqual(["location"]);
              successes.push({ worker: w, vclock: result.vclock, location });
              break;
            } catch (error) {
              failures.push(error);
            }
          }
        }
      }),
    );

    const untyped = failures.filter((f) => !(f instanceof StaleVclockError || f instanceof WriteConflictError));
    expect(untyped).toEqual([]);
    // Twelve clients reading the same version at once: most of their first writes must be refused.
    expect(failures.length).toBeGreaterThan(0);
    for (const failure of failures) {
      if (!(failure instanceof StaleVclockError)) continue;
      expect(failure.currentVclock).toBeGreaterThan(failure.expectedVclock);
      expect(failure.current).toMatchObject({ id: row.id, vclock: failure.currentVclock });
    }
    expect(successes).toHaveLength(WORKERS * ops);
    const vclock = await friendVclock(row.id);
    expect(vclock).toBe(1 + successes.length);
    expect(ascending(successes.map((s) => s.vclock))).toEqual(range(2, vclock));
    for (const s of successes) {
      const then = await asOf(t.db, friend, row.id, { vclock: s.vclock });
      expect(then).toMatchObject({ vclock: s.vclock, record: { location: s.location } });
    }
    const ticks = await ticksOf(friend, { id: row.id });
    expect(ticks.map((x) => x.vclock)).toEqual(range(1, vclock));
    for (const s of successes) expect(ticks[s.vclock - 1]!.activity.actor).toBe(`worker-${s.worker}`);
    expectContiguous(await ranges("friend_history_location", "friend_id", row.id), vclock);
    expect(await verify(t.db, friend)).toEqual([]);
  }, 120_000);

  /**
   * Workers calling tickMany over random, overlapping sets of keys listed in random
   * order. With `crossTable`, some calls change both tables in one activity, friend
   * or enrollment first: the order across tables is the caller's, so those may deadlock.
   */
  async function tickManyStorm(options: { seed: number; ops: number; crossTable: boolean }) {
    const friends = await createMany(
      t.db,
      friend,
      range(0, 7).map((i) => ({ name: `F${i}`, location: "Start" })),
      who,
    );
    const members = await createMany(
      t.db,
      enrollment,
      range(0, 5).map((i) => ({ memberId: options.seed * 100 + i, year: 2030, plan: "basic", premium: "1.00" })),
      who,
    );
    const friendKeys = friends.map((f) => ({ id: f.id }));
    const memberKeys = members.map((m) => ({ memberId: m.memberId, year: m.year }));
    const id = (table: string, key: Key) => JSON.stringify([table, key]);
    /** Versions handed out per record by successful calls, for entries that changed something. */
    const versions = new Map<string, number[]>();
    const failures: unknown[] = [];
    let succeeded = 0;
    const record = (table: string, entries: { key: Key }[], results: { vclock: number; changed: unknown[] }[]) => {
      results.forEach((result, j) => {
        const k = id(table, entries[j]!.key);
        if (result.changed.length > 0) versions.set(k, [...(versions.get(k) ?? []), result.vclock]);
      });
    };

    await Promise.all(
      range(0, WORKERS - 1).map(async (w) => {
        const next = random(options.seed + w);
        const pick = <T>(items: T[]) => items[Math.floor(next() * items.length)]!;
        for (let i = 0; i < options.ops; i++) {
          const friendEntries = shuffled(friendKeys, next)
            .slice(0, 2 + Math.floor(next() * 7))
            .map((key) => ({
              key,
              changes: next() < 0.7 ? { location: pick(["Oslo", "Lima", "Rome"]) } : { name: pick(["Ann", "Bob"]), nickname: `w${w}` },
            }));
          const memberEntries = shuffled(memberKeys, next)
            .slice(0, 2 + Math.floor(next() * 5))
            .map((key) => ({
              key,
              changes: next() < 0.5 ? { plan: pick(["gold", "silver"]) } : { premium: pick(["1.00", "2.50", "3.75"]) },
            }));
          const shape = next() * (options.crossTable ? 1 : 0.6);
          try {
            if (shape < 0.35) {
              record("friend", friendEntries, await tickMany(t.db, friend, friendEntries, as(w)));
            } else if (shape < 0.6) {
              record("enrollment", memberEntries, await tickMany(t.db, enrollment, memberEntries, as(w)));
            } else {
              const friendFirst = shape < 0.8;
              const done = await withActivity(t.db, as(w), async (tx) => {
                const first = friendFirst ? await tickMany(tx, friend, friendEntries) : null;
                const members = await tickMany(tx, enrollment, memberEntries);
                return { friends: first ?? (await tickMany(tx, friend, friendEntries)), members };
              });
              record("friend", friendEntries, done.friends);
              record("enrollment", memberEntries, done.members);
            }
            succeeded++;
          } catch (error) {
            failures.push(error);
          }
        }
      }),
    );

    // Every record: one version per change that was reported, no gaps, nothing lost, and sound history.
    const check = async (table: AnyTemporalTable, name: string, key: Key, current: number) => {
      const handed = ascending(versions.get(id(name, key)) ?? []);
      expect(current).toBe(1 + handed.length);
      expect(handed).toEqual(range(2, current));
      expect((await ticksOf(table, key)).map((x) => x.vclock)).toEqual(range(1, current));
    };
    for (const key of friendKeys) await check(friend, "friend", key, await friendVclock(key.id));
    for (const key of memberKeys) {
      const [row] = await t.db
        .select({ vclock: enrollment.vclock })
        .from(enrollment)
        .where(and(eq(enrollment.memberId, key.memberId), eq(enrollment.year, key.year)));
      await check(enrollment, "enrollment", key, row!.vclock);
    }
    expect(await verify(t.db, friend)).toEqual([]);
    expect(await verify(t.db, enrollment)).toEqual([]);
    expect(succeeded + failures.length).toBe(WORKERS * options.ops);
    return { succeeded, failures };
  }

  it("never deadlocks concurrent tickMany calls that list overlapping keys in different orders", async () => {
    const { succeeded, failures } = await tickManyStorm({ seed: 71_000, ops: OPS, crossTable: false });
    // tickMany locks its rows in key order, whatever order the entries are listed in.
    expect(failures).toEqual([]);
    expect(succeeded).toBe(WORKERS * OPS);
  }, 120_000);

  it("fails deadlocked activities that span both tables only with WriteConflictError, and stays sound", async () => {
    const { succeeded, failures } = await tickManyStorm({ seed: 72_000, ops: 8, crossTable: true });
    expect(failures.filter((f) => !(f instanceof WriteConflictError))).toEqual([]);
    expect(succeeded).toBeGreaterThan(0);
  }, 180_000);
});
