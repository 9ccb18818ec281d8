/**
 * Who is signed in, checked on the server for every page and every action.
 * Hiding a button is not a check: these are.
 */
import "server-only";
import { forbidden, redirect } from "next/navigation";
import { headers } from "next/headers";
import { cache } from "react";
import { readDatabase } from "@/db/client";
import { can, type Role } from "./roles";
import { safeRedirectPath } from "./safe-redirect";
import { getAuth } from "./server";
import { liveSession } from "./session-lifetime";
import { activeStaff, type StaffMember } from "./staff";

/** The signed-in person with their role, or null (no session, expired, or access removed). Once per request. */
export const currentUser = cache(async (): Promise<StaffMember | null> => {
  // Headers first: they make the page dynamic, so `next build` bails out before anything opens the database.
  const requestHeaders = await headers();
  const auth = await getAuth();
  const session = await liveSession(auth, requestHeaders);
  if (!session) return null;
  return (await readDatabase((db) => activeStaff(db, session.user.id))) ?? null;
});

/** Where the proxy says this request was going, to come back after signing in. */
async function requestedPath(): Promise<string> {
  return safeRedirectPath((await headers()).get("x-pathname"));
}

/** For pages: sends a visitor without a session to sign-in, and answers 403 to a role that may not be here. */
export async function requireUser(role: Role = "auditor"): Promise<StaffMember> {
  const user = await currentUser();
  if (!user) redirect(`/sign-in?next=${encodeURIComponent(await requestedPath())}`);
  if (!can(user.role, role)) forbidden();
  return user;
}
