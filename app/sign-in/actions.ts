"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { getDb } from "@/db/client";
import { markUnavailable } from "@/db/health";
import { isDatabaseUnavailable } from "@/db/unavailable";
import { clientAddress } from "@/lib/auth/client-address";
import { normalizeEmail } from "@/lib/auth/lockout";
import { safeRedirectPath } from "@/lib/auth/safe-redirect";
import { getAuth } from "@/lib/auth/server";
import { checkStaffPassword, signInWithLimits } from "@/lib/auth/sign-in";

export type SignInState = { error?: string; email?: string };

/** Every failed attempt takes at least this long, so timing does not tell whether an email exists. */
const FAILURE_FLOOR_MS = 600;

const signInSchema = z.object({
  email: z.string().trim().min(1, "Enter your email.").max(254).email("Enter an email address."),
  password: z.string().min(1, "Enter your password.").max(256),
  next: z.string().max(2000).optional(),
});

const UNAVAILABLE = "The database is unavailable right now, so you were not signed in. Try again in a moment.";

export async function signIn(_: SignInState, form: FormData): Promise<SignInState> {
  // A forged call may send anything in place of the form.
  if (!(form instanceof FormData)) return { error: "This sign-in was not sent from the sign-in form: reload the page and try again." };
  const parsed = signInSchema.safeParse({ email: form.get("email"), password: form.get("password"), next: form.get("next") ?? undefined });
  if (!parsed.success) return { error: parsed.error.issues[0]?.message, email: String(form.get("email") ?? "") };
  const email = normalizeEmail(parsed.data.email);
  const started = Date.now();
  const requestHeaders = await headers();
  let outcome: Awaited<ReturnType<typeof signInWithLimits>>;
  try {
    const [db, auth] = await Promise.all([getDb(), getAuth()]);
    outcome = await signInWithLimits(db, { email, address: clientAddress(requestHeaders) }, () =>
      checkStaffPassword(db, auth, { email, password: parsed.data.password }, requestHeaders),
    );
  } catch (error) {
    if (isDatabaseUnavailable(error)) {
      markUnavailable();
      return { error: UNAVAILABLE, email };
    }
    throw error;
  }
  if (!outcome.ok) {
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, FAILURE_FLOOR_MS - (Date.now() - started))));
    return { error: outcome.error, email };
  }
  redirect(safeRedirectPath(parsed.data.next));
}

export async function signOut(): Promise<void> {
  const auth = await getAuth();
  await auth.api.signOut({ headers: await headers() }).catch(() => undefined);
  redirect("/sign-in");
}
