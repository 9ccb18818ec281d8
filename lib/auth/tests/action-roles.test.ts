/**
 * Every server action, every role: the table below names each action the app exports
 * and the roles that may run it. Each action is called as each role (a real session
 * in a real database) and as nobody: the roles allowed write exactly one activity;
 * everyone else is refused and nothing is written. A new action without a row here
 * fails the first test, so no action ships without a rule.
 *
 * Only Next's request plumbing is replaced (the request's headers, and the cache
 * revalidation that needs a running server); the database, better-auth and the
 * actions themselves are the real ones.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { count, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { friend, staff } from "@/db/schema";
import { appSchema, serveAppFrom, withTestDb } from "@/db/tests/database";
import type { ActionState } from "@/lib/admin/action-state";
import { create, temporalActivity, tick, withActivity } from "@temporal-records/drizzle";
import { ROLES, type Role } from "../roles";
import { getAuth } from "../server";
import { createStaff } from "../staff";
import { form, idle } from "@/lib/admin/tests/submitted";

const request = vi.hoisted(() => ({ headers: new Headers() }));
vi.mock("next/headers", () => ({
  headers: async () => request.headers,
  cookies: async () => ({ get: () => undefined, getAll: () => [], has: () => false, set: () => undefined, delete: () => undefined }),
}));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined, revalidateTag: () => undefined }));

const { createRecord } = await import("@/app/(app)/t/[table]/new/actions");
const { setRetired, updateRecord } = await import("@/app/(app)/t/[table]/[id]/actions");
const { createPerson } = await import("@/app/(app)/people/new/actions");
const { revertRecord } = await import("@/app/(app)/t/[table]/(revert)/[id]/revert/actions");
const { undoActivity } = await import("@/app/(app)/activity/(undo)/[id]/undo/actions");

let serial = 0;
const fresh = (prefix: string) => `${prefix}-${process.pid}-${(serial += 1)}`;

const database = withTestDb(appSchema);
const who = { reason: "test set-up", actor: "vitest", actorName: "Vitest" };

/** A friend to act on, made outside the actions under test. */
async function aFriend() {
  return create(database.db, friend, { name: fresh("Friend"), location: "Boise" }, who);
}
async function aPerson() {
  return create(database.db, staff, { id: fresh("user"), email: `${fresh("p")}@test.example`, name: "Pat", role: "editor" }, who);
}
/** A friend at version 2 (moved once), and the activity that moved them. */
async function aMovedFriend() {
  const row = await aFriend();
  const moved = await withActivity(database.db, { ...who, reason: "moved" }, async (tx, activity) => {
    await tick(tx, friend, row.id, { location: "Elko" });
    return activity.id;
  });
  return { id: String(row.id), moved };
}
/** A person renamed once (version 2), and the activity that renamed them. */
async function aRenamedPerson() {
  const row = await aPerson();
  const renamed = await withActivity(database.db, { ...who, reason: "renamed" }, async (tx, activity) => {
    await tick(tx, staff, row.id, { name: "Patricia" });
    return activity.id;
  });
  return { id: row.id, renamed };
}

type Rule = {
  /** `<file under app/>#<export>` */
  action: string;
  /** Who may run it: roles, or "anyone" for the sign-in page's own actions (no session needed by design). */
  allowed: readonly Role[] | "anyone";
  /** Makes fresh records to act on, then returns one call with valid input (a success writes exactly one activity). */
  prepare?: () => Promise<() => Promise<ActionState>>;
};

const EDITORS = ["editor", "admin"] as const;
const ADMINS = ["admin"] as const;

const RULES: Rule[] = [
  { action: "sign-in/actions.ts#signIn", allowed: "anyone" },
  { action: "sign-in/actions.ts#signOut", allowed: "anyone" },
  {
    action: "(app)/t/[table]/new/actions.ts#createRecord",
    allowed: EDITORS,
    prepare: async () => () =>
      createRecord("friend", idle, form({ "field.name": fresh("New"), "field.location": "Reno", reason: "met at a test" })),
  },
  {
    action: "(app)/t/[table]/[id]/actions.ts#updateRecord",
    allowed: EDITORS,
    prepare: async () => {
      const row = await aFriend();
      return () =>
        updateRecord({ table: "friend", id: String(row.id) }, idle, form({ "field.location": "Elko", vclock: 1, reason: "moved" }));
    },
  },
  {
    action: "(app)/t/[table]/[id]/actions.ts#setRetired",
    allowed: EDITORS,
    prepare: async () => {
      const row = await aFriend();
      return () => setRetired({ table: "friend", id: String(row.id) }, idle, form({ retired: "true", vclock: 1, reason: "left" }));
    },
  },
  {
    action: "(app)/t/[table]/(revert)/[id]/revert/actions.ts#revertRecord",
    allowed: EDITORS,
    prepare: async () => {
      const { id } = await aMovedFriend();
      return () => revertRecord({ table: "friend", id }, idle, form({ vclock: 2, to: 1, property: "location", reason: "back to Boise" }));
    },
  },
  {
    action: "(app)/activity/(undo)/[id]/undo/actions.ts#undoActivity",
    allowed: EDITORS,
    prepare: async () => {
      const { moved } = await aMovedFriend();
      return () => undoActivity(moved, idle, form({ reason: "moved by mistake" }));
    },
  },
  {
    action: "(app)/people/new/actions.ts#createPerson",
    allowed: ADMINS,
    prepare: async () => () =>
      createPerson(
        idle,
        form({ name: "New Person", email: `${fresh("new")}@test.example`, role: "auditor", password: "a-long-password", reason: "joins" }),
      ),
  },
];

/** The People table is admin-only: the generic record actions follow the table's rule, not their own. */
const STAFF_RULES: Rule[] = [
  {
    action: "updateRecord on People",
    allowed: ADMINS,
    prepare: async () => {
      const row = await aPerson();
      return () =>
        updateRecord(
          { table: "staff", id: row.id },
          idle,
          form({ "field.name": "Pat", "field.role": "admin", vclock: 1, reason: "promoted" }),
        );
    },
  },
  {
    action: "setRetired on People",
    allowed: ADMINS,
    prepare: async () => {
      const row = await aPerson();
      return () => setRetired({ table: "staff", id: row.id }, idle, form({ retired: "true", vclock: 1, reason: "left" }));
    },
  },

  {
    action: "revertRecord on People",
    allowed: ADMINS,
    prepare: async () => {
      const { id } = await aRenamedPerson();
      return () => revertRecord({ table: "staff", id }, idle, form({ vclock: 2, to: 1, property: "name", reason: "name was right" }));
    },
  },
  {
    action: "undoActivity of a change to People",
    allowed: ADMINS,
    prepare: async () => {
      const { renamed } = await aRenamedPerson();
      return () => undoActivity(renamed, idle, form({ reason: "renamed by mistake" }));
    },
  },
];

/** Every `export async function` of every "use server" file under app/. */
function serverActions(): string[] {
  const root = join(process.cwd(), "app");
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.tsx?$/.test(entry.name) && !entry.name.includes(".test.")) {
        const source = readFileSync(path, "utf8");
        if (!/^\s*["']use server["']/.test(source)) continue;
        for (const match of source.matchAll(/export\s+(?:async\s+function|const)\s+(\w+)/g))
          found.push(`${relative(root, path)}#${match[1]}`);
      }
    }
  };
  walk(root);
  return found.sort();
}

const sessions = new Map<Role, string>();

async function actAs(role: Role | "nobody") {
  request.headers = new Headers(role === "nobody" ? {} : { cookie: sessions.get(role)! });
}

const activities = async () => (await database.db.select({ n: count() }).from(temporalActivity))[0]!.n;

beforeAll(async () => {
  // The app's own client and auth, pointed at this test's database.
  serveAppFrom(database);
  const auth = await getAuth();
  for (const role of ROLES) {
    const person = { email: `${role}-${process.pid}@test.example`, name: `The ${role}`, role, password: `password-of-${role}` };
    await createStaff(database.db, auth, person, who);
    const signedIn = await auth.api.signInEmail({ body: { email: person.email, password: person.password }, returnHeaders: true });
    const cookie = signedIn.headers
      .getSetCookie()
      .map((line) => line.split(";")[0]!)
      .join("; ");
    expect(cookie).toMatch(/better-auth\.session_token=/);
    sessions.set(role, cookie);
  }
});

describe("server actions and roles", () => {
  it("lists every server action the app exports, each with a rule", () => {
    expect(RULES.map((rule) => rule.action).sort()).toEqual(serverActions());
  });

  const checked = [...RULES, ...STAFF_RULES].filter((rule) => rule.prepare !== undefined);

  for (const rule of checked) {
    const allowed = rule.allowed as readonly Role[];
    describe(rule.action, () => {
      for (const role of ROLES) {
        const may = allowed.includes(role);
        it(`${may ? "runs" : "refuses (403, nothing written)"} for ${role}`, async () => {
          const call = await rule.prepare!();
          await actAs(role);
          const before = await activities();
          let result: { status: string; message?: string; forbidden?: boolean } | undefined;
          try {
            result = await call();
          } catch (error) {
            // Success may end in a redirect to the new record; that is Next's way of answering, not a failure.
            if (!may || !String((error as { digest?: string }).digest).startsWith("NEXT_REDIRECT")) throw error;
          }
          const after = await activities();
          if (may) {
            expect(result?.forbidden).toBeFalsy();
            if (result) expect(result.status, result.message).toBe("ok");
            if (result) expect(result.message).not.toMatch(/^Nothing changed/);
            expect(after - before).toBe(1);
          } else {
            expect(result).toMatchObject({ status: "error", forbidden: true });
            expect(result?.message).toMatch(/^Forbidden \(403\)/);
            expect(after).toBe(before);
          }
        });
      }
      it("sends someone with no session to sign-in, writing nothing", async () => {
        const call = await rule.prepare!();
        await actAs("nobody");
        const before = await activities();
        await expect(call()).rejects.toMatchObject({ digest: expect.stringMatching(/^NEXT_REDIRECT;[^;]*;\/sign-in;/) });
        expect(await activities()).toBe(before);
      });
    });
  }

  it("records the signed-in person's id as the actor, and their name", async () => {
    await actAs("editor");
    const row = await aFriend();
    await updateRecord(
      { table: "friend", id: String(row.id) },
      idle,
      form({ "field.location": "Twin Falls", vclock: 1, reason: "checked" }),
    );
    const [latest] = await database.db.select().from(temporalActivity).where(eq(temporalActivity.reason, "checked"));
    const [editor] = await database.db
      .select()
      .from(staff)
      .where(eq(staff.email, `editor-${process.pid}@test.example`));
    expect(latest).toMatchObject({ actor: editor!.id, actorName: "The editor", source: "admin-ui" });
  });
});

describe("revert actions: forged and stale requests", () => {
  /** Runs `call` as `role` and checks that it wrote no activity. */
  async function refused(role: Role, call: () => Promise<ActionState>): Promise<ActionState> {
    await actAs(role);
    const before = await activities();
    const result = await call();
    expect(await activities()).toBe(before);
    return result;
  }
  /** A friend moved by one activity and moved again by a later one: undoing the first is in conflict. */
  async function aConflict() {
    const { id, moved } = await aMovedFriend();
    await withActivity(database.db, { ...who, reason: "moved again" }, (tx) => tick(tx, friend, Number(id), { location: "Reno" }));
    return { id, moved };
  }

  it("refuses a forged POST to a record revert: an unknown table, a property it cannot revert, no property, no version", async () => {
    const { id } = await aMovedFriend();
    const valid = { vclock: 2, to: 1, property: "location", reason: "back" };
    expect(await refused("editor", () => revertRecord({ table: "nope", id }, idle, form(valid)))).toMatchObject({
      status: "error",
      code: "INVALID_INPUT",
      message: "This table does not exist: open it from the list of tables.",
    });
    expect(
      await refused("editor", () => revertRecord({ table: "friend", id }, idle, form({ ...valid, property: "vclock" }))),
    ).toMatchObject({
      status: "error",
      message: '"vclock" is not a property this record can revert: reload the page.',
    });
    const { property: _, ...none } = valid;
    expect(await refused("editor", () => revertRecord({ table: "friend", id }, idle, form(none)))).toMatchObject({
      status: "error",
      fieldErrors: { property: "Choose at least one property to restore." },
    });
    expect(await refused("editor", () => revertRecord({ table: "friend", id }, idle, form({ ...valid, to: "x" })))).toMatchObject({
      status: "error",
      message: "This form does not say which version to revert to: open it again from the history.",
    });
    // An editor forging a revert of an admin-only table is refused before anything is parsed.
    expect(await refused("editor", () => revertRecord({ table: "staff", id: "x" }, idle, form(valid)))).toMatchObject({
      code: "FORBIDDEN",
    });
  });

  it("refuses a stale record revert with the newer version, writing nothing", async () => {
    const { id } = await aMovedFriend();
    const result = await refused("editor", () =>
      revertRecord({ table: "friend", id }, idle, form({ vclock: 1, to: 1, property: "location", reason: "back" })),
    );
    expect(result).toMatchObject({ status: "error", code: "STALE_VCLOCK", conflict: { vclock: 2, current: { location: "Elko" } } });
    expect(result.status === "error" && result.message).toMatch(/^Nothing was reverted: someone saved version 2 meanwhile\./);
  });

  it("refuses a forged POST to an undo: a bad id, a mangled choice, a choice for what is no conflict", async () => {
    const { id, moved } = await aConflict();
    const ref = (property: string, seen = 3) => JSON.stringify({ table: "friend", id, property, seen });
    expect(await refused("editor", () => undoActivity("1; drop", idle, form({ reason: "undo" })))).toMatchObject({
      status: "error",
      message: "This action needs the id of an activity: open it from the activity log.",
    });
    expect(
      await refused("editor", () => undoActivity(moved, idle, form({ reason: "undo", "conflict.0.ref": "{", "conflict.0": "old" }))),
    ).toMatchObject({
      status: "error",
      message: "This form names a record it cannot undo: reload the page and try again.",
    });
    const notInConflict = form({
      reason: "undo",
      "conflict.0.ref": ref("location"),
      "conflict.0": "old",
      "conflict.1.ref": ref("name"),
      "conflict.1": "now",
    });
    expect(await refused("editor", () => undoActivity(moved, idle, notInConflict))).toMatchObject({
      status: "error",
      message: "This form settles a change that is not in conflict: reload the page and try again.",
    });
    // An editor may not undo an activity that changed People.
    const { renamed } = await aRenamedPerson();
    expect(await refused("editor", () => undoActivity(renamed, idle, form({ reason: "undo" })))).toMatchObject({ code: "FORBIDDEN" });
    expect(await refused("auditor", () => undoActivity(moved, idle, form({ reason: "undo" })))).toMatchObject({ code: "FORBIDDEN" });
  });

  it("refuses an undo with a conflict left unsettled, or settled against an older version, writing nothing", async () => {
    const { id, moved } = await aConflict();
    const ref = (seen: number) => JSON.stringify({ table: "friend", id, property: "location", seen });
    expect(await refused("editor", () => undoActivity(moved, idle, form({ reason: "undo" })))).toMatchObject({
      status: "error",
      code: "REVERT_CONFLICT",
      revertConflicts: [{ table: "friend", key: { id: Number(id) }, property: "location", changedAtVclock: 3 }],
    });
    expect(await refused("editor", () => undoActivity(moved, idle, form({ reason: "undo", "conflict.0.ref": ref(3) })))).toMatchObject({
      status: "error",
      code: "INVALID_INPUT",
      fieldErrors: { "conflict.0": "Choose: keep it as it is now, or take the old value." },
    });
    await withActivity(database.db, { ...who, reason: "moved a third time" }, (tx) => tick(tx, friend, Number(id), { location: "Ely" }));
    const stale = await refused("editor", () =>
      undoActivity(moved, idle, form({ reason: "undo", "conflict.0.ref": ref(3), "conflict.0": "old" })),
    );
    expect(stale).toMatchObject({
      status: "error",
      code: "REVERT_CONFLICT",
      revertConflicts: [{ property: "location", changedAtVclock: 4 }],
    });
    expect(stale.status === "error" && stale.message).toMatch(/^Nothing was undone: a property was changed again since the preview\./);

    // Keeping the only change there is leaves nothing to undo; taking the old value, settled against the version now there, runs.
    expect(
      await refused("editor", () => undoActivity(moved, idle, form({ reason: "undo", "conflict.0.ref": ref(4), "conflict.0": "now" }))),
    ).toMatchObject({
      status: "error",
      message: "Nothing was undone: with the values you chose to keep, no record would change.",
    });
    await actAs("editor");
    await expect(undoActivity(moved, idle, form({ reason: "undo", "conflict.0.ref": ref(4), "conflict.0": "old" }))).rejects.toMatchObject({
      digest: expect.stringMatching(/^NEXT_REDIRECT;[^;]*;\/activity\/\d+;/),
    });
    const [now] = await database.db
      .select()
      .from(friend)
      .where(eq(friend.id, Number(id)));
    expect(now).toMatchObject({ location: "Boise", vclock: 5 });
  });
});
