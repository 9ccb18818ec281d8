/**
 * The app's configuration: every environment variable the app, its scripts and
 * lib/auth read, checked once with zod. A bad value stops the process with a
 * message that names the variable and says what to set, instead of surfacing later
 * as a refused connection or an unreadable session cookie. Read on first use, never
 * at import, so `next build` needs none of it. Values are never echoed: one of them
 * is a secret.
 */
import { z } from "zod";

/** An empty variable (`DATABASE_URL=`) counts as unset, as it does for most tools. */
const unset = (value: unknown) => (value === "" ? undefined : value);
const variable = <T extends z.ZodType>(schema: T) => z.preprocess(unset, schema);

/** A plain `host[:port]`: no scheme, path or wildcard. */
const HOST = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*(?::\d{1,5})?$|^\[[0-9a-f:.]+\](?::\d{1,5})?$/;

const hostList = z
  .string()
  .transform((text) =>
    text
      .split(",")
      .map((entry) => entry.trim().toLowerCase())
      .filter(Boolean),
  )
  .pipe(z.array(z.string().regex(HOST, "takes host names such as records.example.com (no scheme, path or wildcard)")));

/** A whole number in [min, max], with one message for every way it can be wrong. */
const wholeNumber = (min: number, max: number) => {
  const error = `must be a whole number from ${min} to ${max}`;
  return z.coerce.number({ error }).int({ error }).min(min, { error }).max(max, { error });
};

const schema = z.object({
  DATABASE_URL: variable(
    z.url({ protocol: /^postgres(ql)?$/, error: "must be a postgres:// URL (leave it unset to use the embedded database)" }).optional(),
  ),
  /** The owner's connection, for `npm run db:migrate`, `db:seed` and `db:grant` when the app's own role owns nothing. */
  MIGRATION_DATABASE_URL: variable(
    z
      .url({ protocol: /^postgres(ql)?$/, error: "must be a postgres:// URL (the owner's; leave it unset to migrate as DATABASE_URL)" })
      .optional(),
  ),
  /**
   * A streaming replica of DATABASE_URL (db/read-replica.ts): page reads and exports go there, except a person's
   * reads in the minutes after their own save (those wait for the replica to replay it, else read the primary).
   * Writes, and everything a server action reads, stay on DATABASE_URL. Unset: everything reads DATABASE_URL.
   */
  DATABASE_READ_URL: variable(
    z.url({ protocol: /^postgres(ql)?$/, error: "must be a postgres:// URL of a streaming replica of DATABASE_URL (or unset)" }).optional(),
  ),
  /** How long a read after one's own save waits for the replica to replay it before it reads the primary instead. */
  DATABASE_READ_WAIT_MS: variable(wholeNumber(0, 10_000).default(2000)),
  DATABASE_POOL_SIZE: variable(z.coerce.number({ error: "must be a whole number from 1 to 100" }).int().min(1).max(100).default(10)),
  PGLITE_DIR: variable(z.string().default("data/pglite")),
  BETTER_AUTH_URL: variable(z.url({ protocol: /^https?$/, error: "must be the app's http(s):// address" }).optional()),
  BETTER_AUTH_SECRET: variable(z.string().min(32, "must be at least 32 characters long").optional()),
  AUTH_SECRET_FILE: variable(z.string().default("data/auth-secret")),
  PORT: variable(z.coerce.number({ error: "must be a port number (1 to 65535)" }).int().min(1).max(65_535).default(3000)),
  /** The header a trusted proxy sets to the client's address (lib/auth/client-address.ts); unset: none is trusted. */
  TRUSTED_PROXY_HEADER: variable(
    z
      .string()
      .trim()
      .toLowerCase()
      .regex(/^[a-z0-9-]+$/, "must be a header name such as x-real-ip")
      .optional(),
  ),
  TRUSTED_PROXY_HOPS: variable(wholeNumber(1, 10).default(1)),
  /** The hosts the app is served at (lib/auth/trusted-hosts.ts). */
  TRUSTED_HOSTS: variable(hostList.default([])),
  TEMPORAL_DEMO: variable(z.enum(["0", "1"], { error: "must be 1 (list the demo accounts on the sign-in page) or 0" }).optional()),
});

/** Settings that only make sense together. */
const configuration = schema.refine((config) => !config.DATABASE_READ_URL || config.DATABASE_URL, {
  path: ["DATABASE_READ_URL"],
  message: "needs DATABASE_URL too (the embedded database has no replica): set DATABASE_URL to its primary, or unset this",
});

export type Env = z.infer<typeof configuration>;

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Checks a set of variables (process.env by default); throws a ConfigError naming every bad one. */
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const parsed = configuration.safeParse(source);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
  throw new ConfigError(`Bad configuration in the environment (fix or unset each variable named):\n${lines.join("\n")}`);
}

let checked: Env | undefined;

/** The process's configuration, checked on first call. */
export function env(): Env {
  checked ??= parseEnv();
  return checked;
}

/** For the server's boot: a bad setting ends the process with its message, before anything is served. */
export function exitOnBadEnv(): void {
  try {
    env();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}
