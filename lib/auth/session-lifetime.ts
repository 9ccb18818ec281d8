/**
 * The server-side session check: better-auth finds the session by its cookie, and it
 * counts only within 8 hours of sign-in (its createdAt), whatever its expiresAt says,
 * so a session refreshed before sessions became absolute ends on time too.
 */
import { sql } from "drizzle-orm";
import { readDatabase } from "@/db/client";
import { sessionEnds, type Auth } from "./server";

export type LiveSession = NonNullable<Awaited<ReturnType<Auth["api"]["getSession"]>>>;

/** The request's session, or null when there is none or it is past its 8 hours (then it is deleted). */
export async function liveSession(auth: Auth, headers: Headers): Promise<LiveSession | null> {
  let found: LiveSession | null;
  try {
    found = await auth.api.getSession({ headers, query: { disableRefresh: true } });
  } catch (error) {
    // better-auth wraps a failed lookup in its own "Failed to get session", without the driver's error:
    // ask the database itself, so an outage is reported (and answered 503) as one, and anything else as it was.
    await readDatabase((db) => db.execute(sql`SELECT 1`), { from: "primary" });
    throw error;
  }
  if (!found) return null;
  if (sessionEnds(new Date(found.session.createdAt)).getTime() > Date.now()) return found;
  const context = await auth.$context;
  await context.internalAdapter.deleteSession(found.session.token);
  return null;
}
