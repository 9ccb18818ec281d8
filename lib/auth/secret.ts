import "server-only";
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { env } from "@/lib/env";

/**
 * The key that signs session cookies. Set BETTER_AUTH_SECRET in production; on a
 * machine without one (the embedded demo), a random key is made once and kept in
 * data/auth-secret so sessions survive restarts.
 */
export function authSecret(): string {
  const { BETTER_AUTH_SECRET: configured, AUTH_SECRET_FILE } = env();
  if (configured) return configured;
  const file = resolve(/*turbopackIgnore: true*/ process.cwd(), AUTH_SECRET_FILE);
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dirname(file), { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, secret, { mode: 0o600 });
  chmodSync(file, 0o600);
  return secret;
}
