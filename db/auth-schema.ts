/**
 * Sign-in: better-auth's tables (identities, password hashes, sessions) and the
 * staff table that gives each person a role. Staff is a temporal table, so who was
 * granted which role, when, by whom and why is history like everything else.
 */
import { boolean, integer, pgEnum, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { temporalTable } from "@temporal-records/drizzle";
import { ROLES } from "./roles";
import { ruleChecks } from "./rule-checks";

const moment = (name: string) => timestamp(name, { withTimezone: true });

export const authUser = pgTable("auth_user", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  email: text("email").notNull().unique(),
  emailVerified: boolean("email_verified").notNull().default(false),
  image: text("image"),
  createdAt: moment("created_at").notNull().defaultNow(),
  updatedAt: moment("updated_at").notNull().defaultNow(),
});

export const authSession = pgTable("auth_session", {
  id: text("id").primaryKey(),
  expiresAt: moment("expires_at").notNull(),
  token: text("token").notNull().unique(),
  createdAt: moment("created_at").notNull().defaultNow(),
  updatedAt: moment("updated_at").notNull().defaultNow(),
  ipAddress: text("ip_address"),
  userAgent: text("user_agent"),
  userId: text("user_id")
    .notNull()
    .references(() => authUser.id, { onDelete: "cascade" }),
});

export const authAccount = pgTable("auth_account", {
  id: text("id").primaryKey(),
  accountId: text("account_id").notNull(),
  providerId: text("provider_id").notNull(),
  userId: text("user_id")
    .notNull()
    .references(() => authUser.id, { onDelete: "cascade" }),
  accessToken: text("access_token"),
  refreshToken: text("refresh_token"),
  idToken: text("id_token"),
  accessTokenExpiresAt: moment("access_token_expires_at"),
  refreshTokenExpiresAt: moment("refresh_token_expires_at"),
  scope: text("scope"),
  password: text("password"),
  createdAt: moment("created_at").notNull().defaultNow(),
  updatedAt: moment("updated_at").notNull().defaultNow(),
});

export const authVerification = pgTable("auth_verification", {
  id: text("id").primaryKey(),
  identifier: text("identifier").notNull(),
  value: text("value").notNull(),
  expiresAt: moment("expires_at").notNull(),
  createdAt: moment("created_at").notNull().defaultNow(),
  updatedAt: moment("updated_at").notNull().defaultNow(),
});

/**
 * Sign-in attempts in the current window, per key: `email:<address>` (known or not) or
 * `address:<client address>`. lib/auth/lockout.ts counts an attempt here before the
 * password is checked, so concurrent guesses cannot slip past the limit; the count is
 * `attempts` (claimed, numbered 1, 2, ...) less `forgiven` (given back by successes).
 */
export const signInLimit = pgTable("sign_in_limit", {
  key: text("key").primaryKey(),
  attempts: integer("attempts").notNull(),
  forgiven: integer("forgiven").notNull().default(0),
  windowStartedAt: moment("window_started_at").notNull(),
  lockedUntil: moment("locked_until"),
});

export const staffRole = pgEnum("staff_role", ROLES);

/** A person who may sign in, with their one role. Retire to take access away. */
export const staff = temporalTable(
  "staff",
  {
    id: text("id").primaryKey(),
    email: text("email").notNull(),
    name: text("name").notNull(),
    role: staffRole("role").notNull(),
  },
  {
    track: ["email", "name", "role"],
    sortable: ["email", "name", "role"],
    extraConfig: (t) => [...ruleChecks("staff", t), uniqueIndex("staff_email_idx").on(t.email)],
  },
);
