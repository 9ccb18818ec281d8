/**
 * Someone must always be able to manage people: the last active admin cannot be demoted
 * or retired, however the writes interleave. Two admins demoting each other at the same
 * moment (on the real server: two connections, two transactions) leave one admin, never
 * none; the refused one gets a typed LastAdminError and writes nothing.
 */
import { and, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { staff } from "@/db/schema";
import { migratedDatabase } from "@/db/tests/database";
import { setRecordRetired, tickRecord } from "@/lib/admin/record-writes";
import { adminTable } from "@/lib/admin/registry";
import { create, temporalActivity } from "@temporal-records/drizzle";
import { LastAdminError } from "../staff";

let database: Database;
const people = adminTable("staff")!;
const setUp = { reason: "test set-up", actor: "vitest" };
let serial = 0;

async function anAdmin(name: string) {
  serial += 1;
  const id = `admin-${process.pid}-${serial}`;
  return create(database.db, staff, { id, email: `${id}@test.example`, name, role: "admin" }, setUp);
}
const activeAdmins = async () =>
  (
    await database.db
      .select({ n: count() })
      .from(staff)
      .where(and(eq(staff.role, "admin"), eq(staff.retired, false)))
  )[0]!.n;
const activities = async () => (await database.db.select({ n: count() }).from(temporalActivity))[0]!.n;

/** Retires every other active admin (a retirement the rule allows while these remain), so `keep` are the only ones. */
async function onlyAdmins(...keep: string[]) {
  const admins = await database.db
    .select()
    .from(staff)
    .where(and(eq(staff.role, "admin"), eq(staff.retired, false)));
  for (const other of admins.filter((p) => !keep.includes(p.id))) {
    await setRecordRetired(database.db, people, { id: other.id }, true, setUp, { expectedVclock: other.vclock });
  }
}

/** Settles each promise into the value or the error it ended with. */
const settle = <T>(promises: Promise<T>[]) =>
  Promise.all(
    promises.map((p) =>
      p.then(
        (value) => ({ value }),
        (error: unknown) => ({ error }),
      ),
    ),
  );

beforeAll(async () => {
  database = await migratedDatabase();
});
afterAll(async () => database.close());

describe("the last active admin", () => {
  it("two admins demoting each other at once: one is demoted, the other refused, one admin remains", async () => {
    for (let round = 0; round < 5; round++) {
      const [ada, bob] = [await anAdmin("Ada"), await anAdmin("Bob")];
      await onlyAdmins(ada.id, bob.id);
      const before = await activities();
      const results = await settle([
        tickRecord(database.db, people, { id: bob.id }, { role: "editor" }, { ...setUp, reason: "Ada demotes Bob" }, { expectedVclock: 1 }),
        tickRecord(database.db, people, { id: ada.id }, { role: "editor" }, { ...setUp, reason: "Bob demotes Ada" }, { expectedVclock: 1 }),
      ]);
      const refused = results.filter((r) => "error" in r);
      expect(results.filter((r) => "value" in r)).toHaveLength(1);
      expect(refused).toHaveLength(1);
      expect((refused[0] as { error: unknown }).error).toBeInstanceOf(LastAdminError);
      expect(await activeAdmins()).toBe(1);
      expect(await activities()).toBe(before + 1);
    }
  });

  it("an admin retiring the other while being demoted: still one admin", async () => {
    const [ada, bob] = [await anAdmin("Ada"), await anAdmin("Bob")];
    await onlyAdmins(ada.id, bob.id);
    const results = await settle([
      setRecordRetired(database.db, people, { id: bob.id }, true, { ...setUp, reason: "Ada retires Bob" }, { expectedVclock: 1 }),
      tickRecord(database.db, people, { id: ada.id }, { role: "auditor" }, { ...setUp, reason: "Bob demotes Ada" }, { expectedVclock: 1 }),
    ]);
    expect(results.filter((r) => "error" in r).map((r) => (r as { error: unknown }).error)).toEqual([expect.any(LastAdminError)]);
    expect(await activeAdmins()).toBe(1);
  });

  it("restoring or demoting someone who is not the last admin is never refused", async () => {
    const [ada, bob] = [await anAdmin("Ada"), await anAdmin("Bob")];
    await tickRecord(database.db, people, { id: bob.id }, { role: "editor" }, setUp, { expectedVclock: 1 });
    const retired = await setRecordRetired(database.db, people, { id: bob.id }, true, setUp, { expectedVclock: 2 });
    expect(retired.vclock).toBe(3);
    expect((await setRecordRetired(database.db, people, { id: bob.id }, false, setUp, { expectedVclock: 3 })).vclock).toBe(4);
    expect((await tickRecord(database.db, people, { id: ada.id }, { name: "Ada L." }, setUp, { expectedVclock: 1 })).vclock).toBe(2);
  });
});
