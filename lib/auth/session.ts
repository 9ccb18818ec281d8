/**
 * Who is signed in, checked on the server for every page and every action.
 * Hiding a button is not a check: these are.
 */
import "server-only";
import { forbidden, redirect } from "next/navigation";
import { headers } from "next/headers";
import { cache } from "react";
import { readDatabase } from "@/db/client";
import { can, ROLE_LABELS, type Role } from "./roles";
import { safeRedirectPath } from "./safe-redirect";
import { getAuth } from "./server";
import { liveSession } from "./session-lifetime";
import { activeStaff, type StaffMember } from "./staff";

/** Who someone is and what they may do is read on the primary: a replica may lag behind a role just removed. */
const PRIMARY = { from: "primary" } as const;

/** The signed-in person with their role, or null (no session, expired, or access removed). Once per request. */
export const currentUser = cache(async (): Promise<StaffMember | null> => {
  // Headers first: they make the page dynamic, so `next build` bails out before anything opens the database.
  const requestHeaders = await headers();
  const auth = await getAuth();
  const session = await liveSession(auth, requestHeaders);
  if (!session) return null;
  return (await readDatabase((db) => activeStaff(db, session.user.id), PRIMARY)) ?? null;
});

export type RequestAccess =
  { status: "allowed"; user: StaffMember } | { status: "signed-out"; message: string } | { status: "forbidden"; message: string };

/**
 * For route handlers (downloads, no page to redirect to): who may have this request.
 * No live session is "signed-out" (answer 401); a session without an active staff row
 * (never had one, or retired) or with a lesser role is "forbidden" (answer 403).
 */
export async function requestAccess(role: Role = "auditor"): Promise<RequestAccess> {
  const requestHeaders = await headers();
  const session = await liveSession(await getAuth(), requestHeaders);
  if (!session) return { status: "signed-out", message: "Sign in first: this needs a session (none was sent, or it has ended)." };
  const user = await readDatabase((db) => activeStaff(db, session.user.id), PRIMARY);
  if (!user) return { status: "forbidden", message: "You are signed in but hold no role here. Ask an admin for access." };
  if (!can(user.role, role)) {
    return {
      status: "forbidden",
      message: `This needs the ${ROLE_LABELS[role]} role or higher, and you are signed in as ${ROLE_LABELS[user.role]}.`,
    };
  }
  return { status: "allowed", user };
}

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
