/**
 * The sign-in limits under concurrent guesses, against a real database: every password
 * check is a real better-auth sign-in, counted. Run on PGlite and, with DATABASE_URL, on
 * Postgres (where the attempts also contend for the row on separate connections).
 */
import { eq, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import { signInLimit } from "@/db/schema";
import { appSchema, withTestDb } from "@/db/tests/database";
import type { TemporalDb } from "@temporal-records/drizzle";
import { ADDRESS_LIMIT, addressLimitKey, claimAttempt, emailKey, LOCKOUT } from "../lockout";
import { authFor, type Auth } from "../server";
import { checkStaffPassword, signInWithLimits, WRONG_PASSWORD, type SignInOutcome } from "../sign-in";
import { createStaff } from "../staff";

const database = withTestDb(appSchema);
let auth: Auth;
const who = { reason: "test", actor: "vitest", actorName: "Vitest" };
const PASSWORD = "the-right-password";
const EMAIL_LOCKED = /^Too many failed sign-ins for this email\. Try again in 1[45] minutes\.$/;
const ADDRESS_LOCKED = /^Too many failed sign-ins from your network address\. Try again in 1[45] minutes\.$/;

beforeAll(async () => {
  auth = authFor(database.db);
});

let people = 0;
async function person(): Promise<string> {
  people += 1;
  const email = `racer${people}@example.com`;
  await createStaff(database.db, auth, { email, name: `Racer ${people}`, role: "editor", password: PASSWORD }, who);
  return email;
}

/** Counts the passwords better-auth checked, and which. */
type Checks = { passwords: string[] };
const checks = (): Checks => ({ passwords: [] });

function attempt(
  log: Checks,
  email: string,
  password: string,
  address: string | null = null,
  before: Promise<void> = Promise.resolve(),
): Promise<SignInOutcome> {
  return signInWithLimits(database.db, { email, address }, async () => {
    log.passwords.push(password);
    await before;
    return checkStaffPassword(database.db, auth, { email, password }, new Headers());
  });
}

const errors = (outcomes: SignInOutcome[]) => outcomes.flatMap((outcome) => (outcome.ok ? [] : [outcome.error]));
const signedIn = (outcomes: SignInOutcome[]) => outcomes.filter((outcome) => outcome.ok).length;

describe("concurrent guesses at one email", () => {
  it("40 concurrent wrong passwords get exactly 5 checked; the rest, and then the right one, are refused", async () => {
    const email = await person();
    const log = checks();
    const outcomes = await Promise.all(Array.from({ length: 40 }, (_, i) => attempt(log, email, `wrong-${i}`)));
    expect(log.passwords).toHaveLength(LOCKOUT.attempts);
    expect(signedIn(outcomes)).toBe(0);
    const messages = errors(outcomes);
    expect(messages.filter((message) => message === WRONG_PASSWORD)).toHaveLength(LOCKOUT.attempts - 1);
    expect(messages.filter((message) => EMAIL_LOCKED.test(message))).toHaveLength(40 - LOCKOUT.attempts + 1);

    const right = await attempt(log, email, PASSWORD);
    expect(right).toEqual({ ok: false, error: expect.stringMatching(EMAIL_LOCKED) });
    expect(log.passwords).toHaveLength(LOCKOUT.attempts);
  });

  it("the right password among 30 concurrent tries signs in only if it was one of the 5 checked", async () => {
    const email = await person();
    const log = checks();
    const outcomes = await Promise.all(Array.from({ length: 30 }, (_, i) => attempt(log, email, i === 29 ? PASSWORD : `wrong-${i}`)));
    expect(log.passwords.length).toBeLessThanOrEqual(LOCKOUT.attempts);
    expect(signedIn(outcomes)).toBe(log.passwords.includes(PASSWORD) ? 1 : 0);
    expect(outcomes[29]!.ok).toBe(log.passwords.includes(PASSWORD));
  });

  it("once the email is locked, the right password among 30 concurrent tries checks nothing and signs nobody in", async () => {
    const email = await person();
    const log = checks();
    for (let i = 0; i < LOCKOUT.attempts; i++) await attempt(log, email, `wrong-${i}`);
    const before = log.passwords.length;
    const outcomes = await Promise.all(Array.from({ length: 30 }, (_, i) => attempt(log, email, i % 7 === 3 ? PASSWORD : `guess-${i}`)));
    expect(log.passwords.length - before).toBe(0);
    expect(signedIn(outcomes)).toBe(0);
    expect(errors(outcomes).every((message) => EMAIL_LOCKED.test(message))).toBe(true);
  });

  it("a success racing a burst of guesses forgets only the attempts before it: the burst gets no new window", async () => {
    const email = await person();
    const log = checks();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    // The right password is claimed first, and its check is held until the burst has been counted.
    const success = attempt(log, email, PASSWORD, null, held);
    await expect.poll(() => log.passwords.length).toBe(1);
    const burst = await Promise.all(Array.from({ length: 40 }, (_, i) => attempt(log, email, `wrong-${i}`)));
    release();
    expect(await success).toEqual({ ok: true });
    const later = await Promise.all(Array.from({ length: 40 }, (_, i) => attempt(log, email, `later-${i}`)));
    const wrong = log.passwords.filter((password) => password !== PASSWORD);
    // Four wrong ones ran beside the success; it forgot only itself, so one more wrong check fills the window.
    expect(wrong).toHaveLength(LOCKOUT.attempts);
    expect(signedIn([...burst, ...later])).toBe(0);
  });
});

describe("the per-address limit", () => {
  const address = (n: number) => `203.0.113.${n}`;
  const count = async (key: string) => {
    const [row] = await database.db.select().from(signInLimit).where(eq(signInLimit.key, key));
    return row ? row.attempts - row.forgiven : 0;
  };

  it("holds across different emails: 30 concurrent guesses at 30 emails from one address check 20", async () => {
    const log = checks();
    const outcomes = await Promise.all(
      Array.from({ length: 30 }, (_, i) => attempt(log, `spray${i}@example.com`, "password1", address(1))),
    );
    expect(log.passwords).toHaveLength(ADDRESS_LIMIT.attempts);
    expect(errors(outcomes).filter((message) => ADDRESS_LOCKED.test(message)).length).toBeGreaterThanOrEqual(30 - ADDRESS_LIMIT.attempts);
    // The locked address cannot even use a right password; another address can.
    const email = await person();
    expect(await attempt(log, email, PASSWORD, address(1))).toEqual({ ok: false, error: expect.stringMatching(ADDRESS_LOCKED) });
    expect(await attempt(log, email, PASSWORD, address(2))).toEqual({ ok: true });
  });

  it("is not reset by signing in to one's own account between guesses", async () => {
    const own = await person();
    const log = checks();
    for (let i = 0; i < ADDRESS_LIMIT.attempts - 1; i++) await attempt(log, `victim${i}@example.com`, "guess", address(3));
    expect(await attempt(log, own, PASSWORD, address(3))).toEqual({ ok: true });
    expect(await count(addressLimitKey(address(3)))).toBe(ADDRESS_LIMIT.attempts - 1);
    expect(await attempt(log, "victim-last@example.com", "guess", address(3))).toEqual({
      ok: false,
      error: expect.stringMatching(ADDRESS_LOCKED),
    });
    expect(await attempt(log, "victim-more@example.com", "guess", address(3))).toEqual({
      ok: false,
      error: expect.stringMatching(ADDRESS_LOCKED),
    });
    expect(log.passwords).toHaveLength(ADDRESS_LIMIT.attempts + 1);
  });

  it("does not count attempts the email lock refused (no password was checked)", async () => {
    const email = await person();
    for (let i = 0; i < LOCKOUT.attempts; i++) await claimAttempt(database.db, emailKey(email), LOCKOUT);
    const log = checks();
    const outcomes = await Promise.all(Array.from({ length: 30 }, () => attempt(log, email, PASSWORD, address(4))));
    expect(log.passwords).toHaveLength(0);
    expect(errors(outcomes).every((message) => EMAIL_LOCKED.test(message))).toBe(true);
    expect(await count(addressLimitKey(address(4)))).toBe(0);
  });
});

describe("claims from separate connections at once", () => {
  // PGlite runs one query at a time, so only a server shows claims contending for the row.
  it.skipIf(!process.env.DATABASE_URL)("grant exactly 5 of 200 claims made on 40 connections (Postgres only)", async () => {
    const { rows } = (await database.db.execute(sql`SELECT current_database() AS "name"`)) as unknown as { rows: { name: string }[] };
    const url = new URL(process.env.DATABASE_URL!);
    url.pathname = `/${rows[0]!.name}`;
    const pool = new pg.Pool({ connectionString: url.toString(), max: 40 });
    pool.on("error", () => {});
    try {
      // Open all 40 first, so the claims below really run side by side.
      const held = await Promise.all(Array.from({ length: 40 }, () => pool.connect()));
      held.forEach((client) => client.release());
      const db = drizzle(pool) as unknown as TemporalDb;
      const results = await Promise.all(Array.from({ length: 200 }, () => claimAttempt(db, emailKey("contended@example.com"), LOCKOUT)));
      const granted = results.flatMap((result) => (result.granted ? [result.claim.attempt] : []));
      expect(granted.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5]);
    } finally {
      await pool.end();
    }
  });
});
