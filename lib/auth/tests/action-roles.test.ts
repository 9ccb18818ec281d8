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
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "@/db/client";
import { friend, staff } from "@/db/schema";
import { migratedDatabase } from "@/db/tests/database";
import type { ActionState } from "@/lib/admin/action-state";
import { create, temporalActivity } from "@/lib/temporal";
import { ROLES, type Role } from "../roles";
import { getAuth } from "../server";
import { createStaff } from "../staff";

const request = vi.hoisted(() => ({ headers: new Headers() }));
vi.mock("next/headers", () => ({
  headers: async () => request.headers,
  cookies: async () => ({ get: () => undefined, getAll: () => [], has: () => false, set: () => undefined, delete: () => undefined }),
}));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined, revalidateTag: () => undefined }));

const { createRecord } = await import("@/app/(app)/t/[table]/new/actions");
const { setRetired, updateRecord } = await import("@/app/(app)/t/[table]/[id]/actions");
const { createPerson } = await import("@/app/(app)/people/new/actions");

const idle: ActionState = { status: "idle" };
const form = (values: Record<string, string | number>) => {
  const data = new FormData();
  for (const [name, value] of Object.entries(values)) data.set(name, String(value));
  return data;
};
let serial = 0;
const fresh = (prefix: string) => `${prefix}-${process.pid}-${(serial += 1)}`;

let database: Database;
const who = { reason: "test set-up", actor: "vitest", actorName: "Vitest" };

/** A friend to act on, made outside the actions under test. */
async function aFriend() {
  return create(database.db, friend, { name: fresh("Friend"), location: "Boise" }, who);
}
async function aPerson() {
  return create(database.db, staff, { id: fresh("user"), email: `${fresh("p")}@test.example`, name: "Pat", role: "editor" }, who);
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
  database = await migratedDatabase();
  // The app's own client and auth, pointed at this test's database.
  // (db/client.ts keeps its cache object from import time: fill that one, never replace it.)
  const client = globalThis as { __temporalDatabase?: { open?: Promise<Database> } };
  (client.__temporalDatabase ??= {}).open = Promise.resolve(database);
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
afterAll(async () => database.close());

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
