"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { getDb } from "@/db/client";
import { clearFailures, lockedUntil, normalizeEmail, recordFailure } from "@/lib/auth/lockout";
import { getAuth } from "@/lib/auth/server";
import { activeStaff } from "@/lib/auth/staff";

export type SignInState = { error?: string; email?: string };

const WRONG = "That email and password do not match an account with access. Check both and try again.";
/** Every failed attempt takes at least this long, so timing does not tell whether an email exists. */
const FAILURE_FLOOR_MS = 600;

const signInSchema = z.object({
  email: z.string().trim().min(1, "Enter your email.").max(254).email("Enter an email address."),
  password: z.string().min(1, "Enter your password.").max(256),
  next: z.string().max(2000).optional(),
});

/** Only same-site paths: `next` must never send someone to another site. */
function safeNext(next: string | undefined): string {
  return next && next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/sign-in") ? next : "/";
}

function lockMessage(until: Date): string {
  const minutes = Math.max(1, Math.ceil((until.getTime() - Date.now()) / 60_000));
  return `Too many failed sign-ins for this email. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
}

export async function signIn(_: SignInState, form: FormData): Promise<SignInState> {
  const parsed = signInSchema.safeParse({ email: form.get("email"), password: form.get("password"), next: form.get("next") ?? undefined });
  if (!parsed.success) return { error: parsed.error.issues[0]?.message, email: String(form.get("email") ?? "") };
  const email = normalizeEmail(parsed.data.email);
  const started = Date.now();
  const db = await getDb();
  const locked = await lockedUntil(db, email);
  if (locked) return { error: lockMessage(locked), email };

  const auth = await getAuth();
  let userId: string | undefined;
  try {
    const result = await auth.api.signInEmail({
      body: { email, password: parsed.data.password, rememberMe: false },
      headers: await headers(),
    });
    userId = result.user.id;
  } catch {
    userId = undefined;
  }
  const person = userId ? await activeStaff(db, userId) : undefined;
  if (!person) {
    if (userId) await auth.api.signOut({ headers: await headers() }).catch(() => undefined);
    const lock = await recordFailure(db, email);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, FAILURE_FLOOR_MS - (Date.now() - started))));
    return { error: lock ? lockMessage(lock) : WRONG, email };
  }
  await clearFailures(db, email);
  redirect(safeNext(parsed.data.next));
}

export async function signOut(): Promise<void> {
  const auth = await getAuth();
  await auth.api.signOut({ headers: await headers() }).catch(() => undefined);
  redirect("/sign-in");
}
