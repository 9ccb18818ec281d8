import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { authAccount, authUser, signInLimit, staff } from "@/db/schema";
import { appSchema, withTestDb } from "@/db/tests/database";
import { InvalidValueError, timeline, verify } from "@temporal-records/drizzle";
import { claimAttempt, emailKey, forgetAttemptsUpTo, LOCKOUT, lockedUntil } from "../lockout";
import { can } from "../roles";
import { authFor, type Auth } from "../server";
import { activeStaff, createStaff } from "../staff";

const database = withTestDb(appSchema);
let auth: Auth;
const who = { reason: "test", actor: "vitest", actorName: "Vitest" };

beforeAll(async () => {
  auth = authFor(database.db);
});

describe("people who can sign in", () => {
  it("creates an identity with a hashed password and a staff row whose grant is history", async () => {
    const person = await createStaff(
      database.db,
      auth,
      { email: " Ada@Example.com ", name: "Ada", role: "editor", password: "correct horse battery" },
      who,
    );
    expect(person).toMatchObject({ email: "ada@example.com", name: "Ada", role: "editor" });
    const [account] = await database.db.select().from(authAccount).where(eq(authAccount.userId, person.id));
    expect(account?.providerId).toBe("credential");
    expect(account?.password).not.toContain("correct horse");
    expect(account?.password?.length).toBeGreaterThan(40);
    const { items } = await timeline(database.db, staff, person.id);
    expect(items[0]).toMatchObject({ kind: "created", activity: { reason: "test", actor: "vitest", actorName: "Vitest" } });
    expect(await verify(database.db, staff)).toEqual([]);
  });

  it("signs in with the right password only", async () => {
    await createStaff(database.db, auth, { email: "bo@example.com", name: "Bo", role: "auditor", password: "a-long-password" }, who);
    const ok = await auth.api.signInEmail({ body: { email: "bo@example.com", password: "a-long-password" } });
    expect(ok.user.email).toBe("bo@example.com");
    await expect(auth.api.signInEmail({ body: { email: "bo@example.com", password: "wrong-password" } })).rejects.toThrow();
    await expect(auth.api.signInEmail({ body: { email: "nobody@example.com", password: "a-long-password" } })).rejects.toThrow();
  });

  it("refuses a short password or a taken email and leaves nothing half-made", async () => {
    const before = await database.db.select({ n: sql<number>`count(*)::int` }).from(authUser);
    await expect(
      createStaff(database.db, auth, { email: "cy@example.com", name: "Cy", role: "admin", password: "short" }, who),
    ).rejects.toBeInstanceOf(InvalidValueError);
    await expect(
      createStaff(database.db, auth, { email: "ADA@example.com", name: "Ada 2", role: "admin", password: "another long one" }, who),
    ).rejects.toThrow(/already signs in/);
    const after = await database.db.select({ n: sql<number>`count(*)::int` }).from(authUser);
    expect(after[0]!.n).toBe(before[0]!.n);
  });

  it("takes access away from a retired person", async () => {
    const person = await createStaff(
      database.db,
      auth,
      { email: "dee@example.com", name: "Dee", role: "editor", password: "a-long-password" },
      who,
    );
    expect(await activeStaff(database.db, person.id)).toMatchObject({ role: "editor" });
    const { retire } = await import("@temporal-records/drizzle");
    await retire(database.db, staff, person.id, { ...who, reason: "Left the company" });
    expect(await activeStaff(database.db, person.id)).toBeUndefined();
  });
});

describe("repeated failed sign-ins", () => {
  const claim = (email: string) => claimAttempt(database.db, emailKey(email), LOCKOUT);
  const row = async (email: string) =>
    (
      await database.db
        .select()
        .from(signInLimit)
        .where(eq(signInLimit.key, emailKey(email)))
    )[0];

  it("locks an email after five attempts in fifteen minutes, whether or not it has an account", async () => {
    const email = "ghost@example.com";
    for (let i = 1; i < LOCKOUT.attempts; i++) {
      const result = await claim(email);
      expect(result).toMatchObject({ granted: true, claim: { attempt: i, lockedUntil: null } });
    }
    expect(await lockedUntil(database.db, emailKey(email))).toBeNull();
    const fifth = await claim(email);
    if (!fifth.granted) throw new Error("the fifth attempt is still checked");
    const lock = fifth.claim.lockedUntil;
    expect(lock).toBeInstanceOf(Date);
    const minutes = (lock!.getTime() - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(14);
    expect(minutes).toBeLessThanOrEqual(15.1);
    expect((await lockedUntil(database.db, emailKey("  GHOST@example.com")))?.getTime()).toBe(lock!.getTime());
    expect(await claim("Ghost@Example.com ")).toEqual({ granted: false, until: lock });
    expect((await row(email))?.attempts).toBe(LOCKOUT.attempts);
  });

  it("starts counting again after the window, and forgets attempts after a success", async () => {
    const email = "eve@example.com";
    for (let i = 0; i < LOCKOUT.attempts - 1; i++) await claim(email);
    await database.db
      .update(signInLimit)
      .set({ windowStartedAt: sql`now() - interval '16 minutes'` })
      .where(eq(signInLimit.key, emailKey(email)));
    const restarted = await claim(email);
    expect(restarted).toMatchObject({ granted: true, claim: { attempt: 1, lockedUntil: null } });
    for (let i = 0; i < LOCKOUT.attempts - 2; i++) await claim(email);
    const success = await claim(email);
    if (!success.granted) throw new Error("a fifth attempt is still checked");
    await forgetAttemptsUpTo(database.db, success.claim);
    const after = await row(email);
    expect(after!.attempts - after!.forgiven).toBe(0);
    expect(after!.lockedUntil).toBeNull();
    for (let i = 0; i < LOCKOUT.attempts; i++) expect((await claim(email)).granted).toBe(true);
    expect((await claim(email)).granted).toBe(false);
  });

  it("unlocks when the lock time has passed", async () => {
    const email = "fay@example.com";
    for (let i = 0; i < LOCKOUT.attempts; i++) await claim(email);
    expect(await lockedUntil(database.db, emailKey(email))).not.toBeNull();
    expect((await claim(email)).granted).toBe(false);
    await database.db
      .update(signInLimit)
      .set({ lockedUntil: sql`now() - interval '1 second'`, windowStartedAt: sql`now() - interval '15 minutes 1 second'` })
      .where(eq(signInLimit.key, emailKey(email)));
    expect(await lockedUntil(database.db, emailKey(email))).toBeNull();
    expect(await claim(email)).toMatchObject({ granted: true, claim: { attempt: 1, lockedUntil: null } });
  });
});

describe("roles", () => {
  it("nest: admin includes editor includes auditor", () => {
    expect([
      can("admin", "editor"),
      can("editor", "editor"),
      can("auditor", "editor"),
      can("editor", "admin"),
      can("auditor", "auditor"),
    ]).toEqual([true, true, false, false, true]);
  });
});
