/**
 * One sign-in attempt under both limits (lib/auth/lockout.ts): the client address, when
 * a trusted proxy names it, and the email are counted before the password is checked.
 * The server action (app/sign-in/actions.ts) supplies the check; tests supply the same
 * better-auth call and count how often it runs.
 */
import type { TemporalDb } from "@temporal-records/drizzle";
import { ADDRESS_LIMIT, addressLimitKey, claimAttempt, emailKey, forgetAttemptsUpTo, LOCKOUT, releaseAttempt, type Claim } from "./lockout";
import type { Auth } from "./server";
import { activeStaff } from "./staff";

export const WRONG_PASSWORD = "That email and password do not match an account with access. Check both and try again.";

export type SignInOutcome = { ok: true } | { ok: false; error: string };

function minutesUntil(until: Date): string {
  const minutes = Math.max(1, Math.ceil((until.getTime() - Date.now()) / 60_000));
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}

export const emailLockMessage = (until: Date) => `Too many failed sign-ins for this email. Try again in ${minutesUntil(until)}.`;
export const addressLockMessage = (until: Date) =>
  `Too many failed sign-ins from your network address. Try again in ${minutesUntil(until)}.`;

/** A refusal inside the claiming transaction: thrown to roll back the address's claim with it. */
class Refused extends Error {}

type Claims = { email: Claim; address: Claim | undefined };

/**
 * Claims the address (when known), then the email, in one transaction (always in that
 * order, so concurrent ones cannot deadlock): when the email refuses, the address's
 * claim rolls back with it, because no password will be checked.
 */
async function claimBoth(db: TemporalDb, attempt: { email: string; address: string | null }): Promise<Claims | Refused> {
  try {
    return await db.transaction(async (tx) => {
      let address: Claim | undefined;
      if (attempt.address) {
        const claimed = await claimAttempt(tx, addressLimitKey(attempt.address), ADDRESS_LIMIT);
        if (!claimed.granted) return new Refused(addressLockMessage(claimed.until));
        address = claimed.claim;
      }
      const email = await claimAttempt(tx, emailKey(attempt.email), LOCKOUT);
      if (!email.granted) throw new Refused(emailLockMessage(email.until));
      return { email: email.claim, address };
    });
  } catch (error) {
    if (error instanceof Refused) return error;
    throw error;
  }
}

/**
 * Runs `checkPassword` at most once, and only when neither limit is reached; it must
 * answer true only for a person who may sign in (right password and active staff).
 */
export async function signInWithLimits(
  db: TemporalDb,
  attempt: { email: string; address: string | null },
  checkPassword: () => Promise<boolean>,
): Promise<SignInOutcome> {
  const claims = await claimBoth(db, attempt);
  if (claims instanceof Refused) return { ok: false, error: claims.message };
  const { email, address } = claims;
  if (await checkPassword()) {
    await forgetAttemptsUpTo(db, email, LOCKOUT);
    if (address) await releaseAttempt(db, address, ADDRESS_LIMIT);
    return { ok: true };
  }
  if (email.lockedUntil) return { ok: false, error: emailLockMessage(email.lockedUntil) };
  if (address?.lockedUntil) return { ok: false, error: addressLockMessage(address.lockedUntil) };
  return { ok: false, error: WRONG_PASSWORD };
}

/**
 * The password check itself: better-auth verifies the password and, on success, makes
 * the session (with `headers` from a server action its cookie is set on the response).
 * A right password without active staff access is a failure, and its session is ended.
 */
export async function checkStaffPassword(
  db: TemporalDb,
  auth: Auth,
  credentials: { email: string; password: string },
  headers: Headers,
): Promise<boolean> {
  let result: Awaited<ReturnType<Auth["api"]["signInEmail"]>>;
  try {
    result = await auth.api.signInEmail({ body: { ...credentials, rememberMe: false }, headers });
  } catch {
    return false;
  }
  if (await activeStaff(db, result.user.id)) return true;
  const context = await auth.$context;
  await context.internalAdapter.deleteSession(result.token).catch(() => undefined);
  return false;
}
