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

const schema = z.object({
  DATABASE_URL: variable(
    z.url({ protocol: /^postgres(ql)?$/, error: "must be a postgres:// URL (leave it unset to use the embedded database)" }).optional(),
  ),
  DATABASE_POOL_SIZE: variable(z.coerce.number({ error: "must be a whole number from 1 to 100" }).int().min(1).max(100).default(10)),
  PGLITE_DIR: variable(z.string().default("data/pglite")),
  BETTER_AUTH_URL: variable(z.url({ protocol: /^https?$/, error: "must be the app's http(s):// address" }).optional()),
  BETTER_AUTH_SECRET: variable(z.string().min(32, "must be at least 32 characters long").optional()),
  AUTH_SECRET_FILE: variable(z.string().default("data/auth-secret")),
  PORT: variable(z.coerce.number({ error: "must be a port number (1 to 65535)" }).int().min(1).max(65_535).default(3000)),
  TEMPORAL_DEMO: variable(z.enum(["0", "1"], { error: "must be 1 (list the demo accounts on the sign-in page) or 0" }).optional()),
});

export type Env = z.infer<typeof schema>;

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Checks a set of variables (process.env by default); throws a ConfigError naming every bad one. */
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const parsed = schema.safeParse(source);
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
