/**
 * The action wrapper on a real database and real sessions: what it checks first, how
 * it turns bad input and expected library errors into results, and what it lets
 * through. Only Next's request plumbing is replaced (the request's headers, and the
 * cache revalidation that needs a running server), as in lib/auth/tests/action-roles.test.ts.
 */
import { count, eq, sql } from "drizzle-orm";
import pg from "pg";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { friend, member, provider, staff } from "@/db/schema";
import { appSchema, serveAppFrom, withTestDb } from "@/db/tests/database";
import type { ActionState } from "@/lib/admin/action-state";
import { ROLES, type Role } from "@/lib/auth/roles";
import { getAuth } from "@/lib/auth/server";
import { createStaff } from "@/lib/auth/staff";
import {
  ACTIVITY_LIMITS,
  ConnectionLostError,
  ConstraintViolationError,
  create,
  InvalidArgumentError,
  InvalidValueError,
  temporalActivity,
  tick,
  translateError,
} from "@temporal-records/drizzle";
import { refusalOf } from "./refusals";
import { form, idle } from "./tests/submitted";

const request = vi.hoisted(() => ({ headers: new Headers() }));
vi.mock("next/headers", () => ({
  headers: async () => request.headers,
  cookies: async () => ({ get: () => undefined, getAll: () => [], has: () => false, set: () => undefined, delete: () => undefined }),
}));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined, revalidateTag: () => undefined }));

const { runAction } = await import("./action");
const { createRecord } = await import("@/app/(app)/t/[table]/new/actions");
const { setRetired, updateRecord } = await import("@/app/(app)/t/[table]/[id]/actions");
const { createPerson } = await import("@/app/(app)/people/new/actions");
const { signIn } = await import("@/app/sign-in/actions");

const setUp = { reason: "test set-up", actor: "vitest", actorName: "Vitest" };

const database = withTestDb(appSchema);
const sessions = new Map<Role, string>();
const actAs = (role: Role) => {
  request.headers = new Headers({ cookie: sessions.get(role)! });
};
const activities = async () => (await database.db.select({ n: count() }).from(temporalActivity))[0]!.n;

/** Runs `call` and checks that it wrote no activity. */
async function writesNothing(call: () => Promise<ActionState>): Promise<ActionState> {
  const before = await activities();
  const result = await call();
  expect(await activities()).toBe(before);
  return result;
}

beforeAll(async () => {
  serveAppFrom(database);
  const auth = await getAuth();
  for (const role of ROLES) {
    const person = { email: `wrap-${role}-${process.pid}@test.example`, name: `The ${role}`, role, password: `password-of-${role}` };
    await createStaff(database.db, auth, person, setUp);
    const signedIn = await auth.api.signInEmail({ body: { email: person.email, password: person.password }, returnHeaders: true });
    sessions.set(
      role,
      signedIn.headers
        .getSetCookie()
        .map((line) => line.split(";")[0]!)
        .join("; "),
    );
  }
});

describe("runAction", () => {
  it("refuses a role before parsing anything: the schema never runs for someone who may not act", async () => {
    let parses = 0;
    const input = z.string().transform((text) => {
      parses += 1;
      return text;
    });
    const fn = async () => ({ status: "ok", message: "ran" }) as const;
    actAs("auditor");
    expect(await runAction({ role: "editor", input }, "anything", fn)).toMatchObject({
      status: "error",
      code: "FORBIDDEN",
      forbidden: true,
    });
    expect(parses).toBe(0);
    actAs("editor");
    expect(await runAction({ role: "editor", input }, "anything", fn)).toEqual({ status: "ok", message: "ran" });
    expect(parses).toBe(1);
  });

  it("refuses a forged call on an admin-only table for an editor before looking at its input", async () => {
    actAs("editor");
    const result = await writesNothing(() => updateRecord({ table: "staff", id: "nobody" }, idle, form({ vclock: "x" })));
    expect(result).toMatchObject({ status: "error", code: "FORBIDDEN" });
    expect(result.status === "error" && result.message).toMatch(/^Forbidden \(403\): this needs the Admin role/);
  });

  it("puts every problem of a bad form next to its field, and writes nothing", async () => {
    actAs("editor");
    const bad = form({ "field.fullName": " ", "field.premium": "lots", "field.dateOfBirth": "1990-13-45", reason: "  " });
    const result = await writesNothing(() => createRecord("member", idle, bad));
    expect(result).toMatchObject({
      status: "error",
      code: "INVALID_INPUT",
      message: "Nothing was saved: fix the fields marked below.",
      fieldErrors: {
        reason: "Say why you are creating this record.",
        fullName: "Required.",
        premium: "Enter an amount such as 123.45.",
        dateOfBirth: "Enter a real date.",
      },
    });
  });

  it("limits the reason to the library's own limit, and says the number", async () => {
    actAs("editor");
    const row = await create(database.db, friend, { name: "Long-winded", location: "Boise" }, setUp);
    const reason = "x".repeat(ACTIVITY_LIMITS.reason + 1);
    const result = await writesNothing(() =>
      updateRecord({ table: "friend", id: String(row.id) }, idle, form({ "field.location": "Reno", vclock: 1, reason })),
    );
    expect(result).toMatchObject({ code: "INVALID_INPUT", fieldErrors: { reason: "At most 2,000 characters." } });
  });

  it("turns a stale version into a conflict carrying the record as it is now", async () => {
    const row = await create(database.db, friend, { name: "Contested", location: "Austin" }, setUp);
    await tick(database.db, friend, row.id, { location: "Dallas" }, { ...setUp, reason: "a colleague's save" });
    actAs("editor");
    const result = await writesNothing(() =>
      updateRecord({ table: "friend", id: String(row.id) }, idle, form({ "field.location": "Denver", vclock: 1, reason: "moved" })),
    );
    expect(result).toMatchObject({
      status: "error",
      code: "STALE_VCLOCK",
      message: expect.stringMatching(/^Nothing was saved: someone saved version 2 meanwhile\./),
      conflict: { vclock: 2, current: { id: row.id, name: "Contested", location: "Dallas" } },
    });
    const [now] = await database.db.select().from(friend).where(eq(friend.id, row.id));
    expect(now).toMatchObject({ location: "Dallas", vclock: 2 });
  });

  it("shows a library error that names a column on that field", async () => {
    actAs("admin");
    const taken = `wrap-editor-${process.pid}@test.example`;
    const person = { name: "Twin", email: taken, role: "auditor", password: "a-long-password", reason: "joins" };
    const result = await writesNothing(() => createPerson(idle, form(person)));
    expect(result).toMatchObject({ code: "INVALID_VALUE", fieldErrors: { email: `Someone already signs in as ${taken}.` } });
  });

  it("throws library errors whose code no form expects, and errors that only look like them", async () => {
    actAs("editor");
    const input = z.object({});
    // A real library error no form expects: a write with no activity (a bug in the action, not the person's input).
    const unrecorded = runAction({ role: "editor", input }, {}, async () => {
      await create(database.db, friend, { name: "Unrecorded" });
      return { status: "ok", message: "created" };
    });
    await expect(unrecorded).rejects.toMatchObject({ code: "MISSING_ACTIVITY" });
    // The database's own trigger refuses a delete; translated, it is a library error with its code, and still thrown.
    const deleting = runAction({ role: "editor", input }, {}, async () => {
      await database.db.execute(sql`delete from ${friend}`).catch((error: unknown) => {
        throw translateError(error);
      });
      return { status: "ok", message: "deleted" };
    });
    await expect(deleting).rejects.toMatchObject({ code: "DELETE_REFUSED" });
    const invalid = runAction({ role: "editor", input }, {}, async () => {
      throw new InvalidArgumentError("a bug in the caller");
    });
    await expect(invalid).rejects.toBeInstanceOf(InvalidArgumentError);
    // Only the library's own errors are mapped by code: a look-alike is a bug, thrown.
    const lookalike = Object.assign(new Error("not from the library"), { code: "STALE_VCLOCK" });
    const faking = runAction({ role: "editor", input }, {}, async () => {
      throw lookalike;
    });
    await expect(faking).rejects.toBe(lookalike);
  });

  it("says the database is unavailable when it cannot be reached", async () => {
    actAs("editor");
    const result = await runAction({ role: "editor", input: z.object({}) }, {}, async () => {
      // A real refused connection: nothing listens on port 1.
      await new pg.Client({ connectionString: "postgres://postgres@127.0.0.1:1/none", connectionTimeoutMillis: 2000 }).connect();
      return { status: "ok", message: "connected" };
    });
    expect(result).toMatchObject({ status: "error", code: "DATABASE_UNAVAILABLE", message: expect.stringMatching(/nothing was saved/) });
  });

  it("says the database is unavailable when the connection is lost, and that a save may have happened during a COMMIT", async () => {
    actAs("editor");
    const lost = (outcome: ConnectionLostError["outcome"]) =>
      runAction({ role: "editor", input: z.object({}) }, {}, async () => {
        throw new ConnectionLostError(outcome);
      });
    expect(await lost("not-written")).toMatchObject({
      status: "error",
      code: "DATABASE_UNAVAILABLE",
      message: expect.stringMatching(/nothing was saved/),
    });
    expect(await lost("unknown")).toMatchObject({
      status: "error",
      code: "DATABASE_UNAVAILABLE",
      message: expect.stringMatching(/not known whether this was saved/),
    });
  });
});

describe("malformed bound arguments (a forged request)", () => {
  // The pages bind these; a forged request can send anything, which the types cannot rule out.
  const forged = <T>(value: unknown) => value as T;

  it.each([
    ["no target at all", null, "This action needs the table and the id of a record: open the record from its table."],
    [
      "an id that is not text",
      { table: "friend", id: 7 },
      "This action needs the table and the id of a record: open the record from its table.",
    ],
    ["an unknown table", { table: "nope", id: "1" }, "This table does not exist: open it from the list of tables."],
    ["an id that cannot be a key", { table: "friend", id: "seven" }, '"seven" is not the id of a friend: open the record from its table.'],
  ])("gives a typed error for %s, and writes nothing", async (_, where, message) => {
    actAs("editor");
    const data = form({ "field.location": "Reno", vclock: 1, reason: "moved" });
    const update = await writesNothing(() => updateRecord(forged(where), idle, data));
    expect(update).toEqual({ status: "error", code: "INVALID_INPUT", message });
    const retire = await writesNothing(() => setRetired(forged(where), idle, form({ retired: "true", vclock: 1, reason: "left" })));
    expect(retire).toEqual({ status: "error", code: "INVALID_INPUT", message });
  });

  it("refuses a create form bound to something that is not a table that takes new records", async () => {
    actAs("admin");
    const data = form({ "field.name": "Someone", reason: "because" });
    expect(await writesNothing(() => createRecord(forged(42), idle, data))).toMatchObject({
      code: "INVALID_INPUT",
      message: "This table does not exist: open it from the list of tables.",
    });
    expect(await writesNothing(() => createRecord("staff", idle, data))).toMatchObject({
      code: "INVALID_INPUT",
      message: "New people are not added here.",
    });
  });

  it("asks for a reload when the page's hidden version is missing", async () => {
    actAs("editor");
    const row = await create(database.db, friend, { name: "Versionless" }, setUp);
    const result = await writesNothing(() => updateRecord({ table: "friend", id: String(row.id) }, idle, form({ reason: "moved" })));
    expect(result).toEqual({
      status: "error",
      code: "INVALID_INPUT",
      message: "This form does not say which version it edits: reload the page and try again.",
    });
  });
});

describe("domain rules and the database's refusals, on their fields", () => {
  let serial = 0;
  const memberNumber = () => `R${process.pid % 10000}-${(serial += 1)}`.slice(0, 12);
  /** A member created outside the actions under test, and its record target. */
  async function aMember(values: Partial<typeof member.$inferInsert> = {}) {
    const row = await create(
      database.db,
      member,
      {
        memberNumber: memberNumber(),
        fullName: "Rule Tester",
        dateOfBirth: "1980-05-01",
        plan: "gold",
        premium: "725.29",
        coverage: { dental: true, vision: false, deductible: 500 },
        renewsOn: "2026-01-01",
        ...values,
      },
      setUp,
    );
    return { row, where: { table: "member", id: String(row.id) } };
  }
  const edit = (where: { table: string; id: string }, fields: Record<string, string>) =>
    updateRecord(
      where,
      idle,
      form({ ...Object.fromEntries(Object.entries(fields).map(([k, v]) => [`field.${k}`, v])), vclock: 1, reason: "rules" }),
    );

  it.each([
    ["a negative premium", { premium: "-5.00" }, { premium: "Enter a monthly premium from $0.00 to $100,000.00." }],
    ["a premium too large for its column", { premium: "99999999999" }, { premium: "Enter a monthly premium from $0.00 to $100,000.00." }],
    ["a date of birth before 1900", { dateOfBirth: "1850-02-01" }, { dateOfBirth: "Enter a date of birth from 1900 to 2099." }],
    ["a renewal date far ahead", { renewsOn: "2150-01-01" }, { renewsOn: "Enter a renewal date from 2000 to 2099." }],
  ])("refuses %s on its field, and writes nothing", async (_, fields, fieldErrors) => {
    actAs("editor");
    const { where } = await aMember();
    expect(await writesNothing(() => edit(where, fields))).toEqual({
      status: "error",
      code: "INVALID_INPUT",
      message: "Nothing was saved: fix the fields marked below.",
      fieldErrors,
    });
  });

  it("enforces the same rules in the database, for every write path, by a named CHECK constraint", async () => {
    const { row } = await aMember();
    const refused = await tick(database.db, member, row.id, { premium: "-1.00" }, setUp).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ConstraintViolationError);
    expect((refused as ConstraintViolationError).constraint).toBe("member_premium_rule");
    expect(refusalOf(refused)).toEqual({
      code: "CONSTRAINT_VIOLATION",
      message: "Nothing was saved: fix the fields marked below.",
      fieldErrors: { premium: "Enter a monthly premium from $0.00 to $100,000.00." },
    });
    const blank = await tick(
      database.db,
      friend,
      (await create(database.db, friend, { name: "Named" }, setUp)).id,
      { name: "  " },
      setUp,
    ).catch((error: unknown) => error);
    expect((blank as ConstraintViolationError).constraint).toBe("friend_name_rule");
  });

  it("says in plain words when a number overflows its column in the database", async () => {
    const { row } = await aMember();
    const refused = await tick(database.db, member, row.id, { premium: "99999999999" }, setUp).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(InvalidValueError);
    expect(refusalOf(refused)).toEqual({
      code: "INVALID_VALUE",
      message: "Nothing was saved: a number is too large for its field. Check the amounts and try again.",
    });
  });

  it("puts a duplicate member number on its field in plain words, never the database's message", async () => {
    actAs("editor");
    const { row: taken } = await aMember();
    const { where } = await aMember();
    const result = await writesNothing(() => edit(where, { memberNumber: taken.memberNumber }));
    const message = "Another member already has this Member #: each member needs its own. Enter another.";
    expect(result).toEqual({
      status: "error",
      code: "CONSTRAINT_VIOLATION",
      message: "Nothing was saved: fix the fields marked below.",
      fieldErrors: { memberNumber: message },
    });
  });

  it("puts a primary care provider that does not exist on its field", async () => {
    actAs("editor");
    const { where } = await aMember();
    const [last] = await database.db.select({ id: provider.id }).from(provider).orderBy(provider.id).limit(1);
    const missing = String((last?.id ?? 0) + 1_000_000);
    expect(await writesNothing(() => edit(where, { primaryCareProviderId: missing }))).toMatchObject({
      code: "CONSTRAINT_VIOLATION",
      fieldErrors: { primaryCareProviderId: "No provider has this ID (it may never have existed): choose one from the list." },
    });
  });
});

describe("the last active admin", () => {
  it("cannot demote or retire themselves: a typed refusal on the role field, and nothing written", async () => {
    actAs("admin");
    const me = `wrap-admin-${process.pid}@test.example`;
    const [row] = await database.db.select().from(staff).where(eq(staff.email, me));
    const where = { table: "staff", id: row!.id };
    const message =
      "Nothing was saved: The admin is the only active admin, and someone must be able to manage people. Make another person an admin first.";
    const demote = await writesNothing(() =>
      updateRecord(where, idle, form({ "field.role": "editor", vclock: row!.vclock, reason: "stepping down" })),
    );
    expect(demote).toEqual({ status: "error", code: "LAST_ADMIN", message, fieldErrors: { role: message } });
    const retire = await writesNothing(() => setRetired(where, idle, form({ retired: "true", vclock: row!.vclock, reason: "leaving" })));
    expect(retire).toEqual({ status: "error", code: "LAST_ADMIN", message });
    // A change that keeps them an admin is no demotion.
    const renamed = await updateRecord(
      where,
      idle,
      form({ "field.role": "admin", "field.name": "The admin, renamed", vclock: row!.vclock, reason: "typo" }),
    );
    expect(renamed).toMatchObject({ status: "ok", vclock: row!.vclock + 1 });
  });
});

describe("malformed arguments (a forged call)", () => {
  const forged = <T>(value: unknown) => value as T;
  const NOT_A_FORM = "This action takes a submitted form: reload the page and try again.";

  it.each([
    ["text", "field.location=Reno"],
    ["a plain object", { "field.location": "Reno", vclock: 1, reason: "moved" }],
    ["nothing", undefined],
  ])("answers a typed error when the form is %s, and writes nothing", async (_, notAForm) => {
    actAs("editor");
    const row = await create(database.db, friend, { name: "Forged", location: "Boise" }, setUp);
    const where = { table: "friend", id: String(row.id) };
    const failure = { status: "error", code: "INVALID_INPUT", message: NOT_A_FORM };
    expect(await writesNothing(() => updateRecord(where, idle, forged(notAForm)))).toEqual(failure);
    expect(await writesNothing(() => setRetired(where, idle, forged(notAForm)))).toEqual(failure);
    expect(await writesNothing(() => createRecord("friend", idle, forged(notAForm)))).toEqual(failure);
    actAs("admin");
    expect(await writesNothing(() => createPerson(idle, forged(notAForm)))).toEqual(failure);
  });

  it("answers a typed error to a sign-in that sends no form", async () => {
    expect(await signIn({}, forged("email=a@b.example"))).toEqual({
      error: "This sign-in was not sent from the sign-in form: reload the page and try again.",
    });
  });
});
