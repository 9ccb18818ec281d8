/**
 * better-auth over the app's database: email + password, scrypt hashes, sessions
 * in Postgres (or PGlite). There is no public sign-up endpoint: people are added
 * by an admin (or `npm run user:create`), and sign-in runs as a server action.
 */
import "server-only";
import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { nextCookies } from "better-auth/next-js";
import { authAccount, authSession, authUser, authVerification } from "@/db/auth-schema";
import { getDb } from "@/db/client";
import { env } from "@/lib/env";
import type { TemporalDb } from "@temporal-records/drizzle";
import { authSecret } from "./secret";

export const SESSION_HOURS = 8;
const SESSION_SECONDS = SESSION_HOURS * 60 * 60;

/** When a session made at `createdAt` ends: 8 hours after sign-in, however it has been used since. */
export function sessionEnds(createdAt: Date): Date {
  return new Date(createdAt.getTime() + SESSION_SECONDS * 1000);
}
export const PASSWORD_LENGTH = { min: 10, max: 128 } as const;

function build(db: TemporalDb) {
  return betterAuth({
    appName: "Temporal Records",
    baseURL: env().BETTER_AUTH_URL ?? `http://localhost:${env().PORT}`,
    secret: authSecret(),
    database: drizzleAdapter(db, {
      provider: "pg",
      schema: { user: authUser, session: authSession, account: authAccount, verification: authVerification },
    }),
    emailAndPassword: {
      enabled: true,
      disableSignUp: true,
      minPasswordLength: PASSWORD_LENGTH.min,
      maxPasswordLength: PASSWORD_LENGTH.max,
    },
    // Absolute, not sliding: never refreshed (better-auth would move expiresAt on each use after
    // updateAge), and capped at sign-in + 8 h (a session not "remembered" would otherwise get a day).
    session: { expiresIn: SESSION_SECONDS, updateAge: SESSION_SECONDS, disableSessionRefresh: true },
    databaseHooks: {
      session: { create: { before: async (session) => ({ data: { ...session, expiresAt: sessionEnds(session.createdAt) } }) } },
    },
    // Its limiter covers only its HTTP handler, which is not mounted: sign-in attempts are limited per email and
    // per client address in lib/auth/lockout.ts, around the server action.
    rateLimit: { enabled: false },
    plugins: [nextCookies()],
  });
}

export type Auth = ReturnType<typeof build>;

const cache = globalThis as typeof globalThis & { __temporalAuth?: Promise<Auth> };

/** The auth instance, built on first use (never at import, so `next build` stays off the database). */
export function getAuth(): Promise<Auth> {
  cache.__temporalAuth ??= getDb().then(build);
  return cache.__temporalAuth;
}

/** For scripts and tests that bring their own database. */
export function authFor(db: TemporalDb): Auth {
  return build(db);
}
