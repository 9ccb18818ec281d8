/**
 * The server-side session check: better-auth finds the session by its cookie, and it
 * counts only within 8 hours of sign-in (its createdAt), whatever its expiresAt says,
 * so a session refreshed before sessions became absolute ends on time too.
 */
import { sessionEnds, type Auth } from "./server";

export type LiveSession = NonNullable<Awaited<ReturnType<Auth["api"]["getSession"]>>>;

/** The request's session, or null when there is none or it is past its 8 hours (then it is deleted). */
export async function liveSession(auth: Auth, headers: Headers): Promise<LiveSession | null> {
  const found = await auth.api.getSession({ headers, query: { disableRefresh: true } });
  if (!found) return null;
  if (sessionEnds(new Date(found.session.createdAt)).getTime() > Date.now()) return found;
  const context = await auth.$context;
  await context.internalAdapter.deleteSession(found.session.token);
  return null;
}
