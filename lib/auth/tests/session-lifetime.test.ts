/** Sessions end 8 hours after sign-in, absolutely: use does not extend them, and neither does a refreshed expiresAt. */
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { authSession } from "@/db/schema";
import { appSchema, withTestDb } from "@/db/tests/database";
import { authFor, SESSION_HOURS, type Auth } from "../server";
import { liveSession } from "../session-lifetime";
import { createStaff } from "../staff";

const database = withTestDb(appSchema);
let auth: Auth;
const who = { reason: "test", actor: "vitest", actorName: "Vitest" };
const HOUR = 60 * 60 * 1000;

beforeAll(async () => {
  auth = authFor(database.db);
});

let people = 0;
/** Signs a new person in the way the sign-in action does; returns the request headers their browser would send. */
async function signedIn(): Promise<{ headers: Headers; token: string }> {
  people += 1;
  const email = `session${people}@example.com`;
  await createStaff(database.db, auth, { email, name: `Session ${people}`, role: "auditor", password: "a-long-password" }, who);
  const { headers: response, response: body } = await auth.api.signInEmail({
    body: { email, password: "a-long-password", rememberMe: false },
    returnHeaders: true,
  });
  const cookie = response
    .getSetCookie()
    .map((line) => line.split(";")[0])
    .join("; ");
  return { headers: new Headers({ cookie }), token: body.token };
}

const sessionRow = async (token: string) => (await database.db.select().from(authSession).where(eq(authSession.token, token)))[0];

describe("session lifetime", () => {
  it("ends a new session 8 hours after sign-in, not the day better-auth gives a session that is not remembered", async () => {
    const { token } = await signedIn();
    const row = await sessionRow(token);
    expect(row!.expiresAt.getTime() - row!.createdAt.getTime()).toBe(SESSION_HOURS * HOUR);
  });

  it("does not slide: using a session in its last hours leaves its end where it was", async () => {
    const { headers: browser, token } = await signedIn();
    // Only the session cookie, as a client that drops better-auth's "don't remember" cookie would send.
    const sessionCookie = browser
      .get("cookie")!
      .split("; ")
      .filter((pair) => pair.includes("session_token"));
    expect(sessionCookie).toHaveLength(1);
    const headers = new Headers({ cookie: sessionCookie[0]! });
    // Seven hours in, long past better-auth's old one-hour updateAge.
    await database.db
      .update(authSession)
      .set({
        createdAt: sql`now() - interval '7 hours'`,
        updatedAt: sql`now() - interval '7 hours'`,
        expiresAt: sql`now() + interval '1 hour'`,
      })
      .where(eq(authSession.token, token));
    const before = await sessionRow(token);
    expect(await liveSession(auth, headers)).not.toBeNull();
    expect(await auth.api.getSession({ headers })).not.toBeNull();
    const after = await sessionRow(token);
    expect(after!.expiresAt.getTime()).toBe(before!.expiresAt.getTime());
  });

  it("refuses, and deletes, a session signed in 8 hours ago even when its expiresAt was refreshed", async () => {
    const { headers, token } = await signedIn();
    expect((await liveSession(auth, headers))?.session.token).toBe(token);
    await database.db
      .update(authSession)
      .set({ createdAt: sql`now() - interval '8 hours 1 minute'`, expiresAt: sql`now() + interval '7 hours'` })
      .where(eq(authSession.token, token));
    // better-auth alone would still take it: its expiresAt is in the future.
    expect(await auth.api.getSession({ headers })).not.toBeNull();
    expect(await liveSession(auth, headers)).toBeNull();
    expect(await sessionRow(token)).toBeUndefined();
  });

  it("keeps a session that is 7 hours 59 minutes old", async () => {
    const { headers, token } = await signedIn();
    await database.db
      .update(authSession)
      .set({ createdAt: sql`now() - interval '7 hours 59 minutes'` })
      .where(eq(authSession.token, token));
    expect((await liveSession(auth, headers))?.session.token).toBe(token);
  });
});
