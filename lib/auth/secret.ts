import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";

/**
 * The key that signs session cookies. Set BETTER_AUTH_SECRET in production; on a
 * machine without one (the embedded demo), a random key is made once and kept in
 * data/auth-secret so sessions survive restarts.
 */
export function authSecret(): string {
  const configured = process.env.BETTER_AUTH_SECRET;
  if (configured) {
    if (configured.length < 32) throw new Error("BETTER_AUTH_SECRET must be at least 32 characters long.");
    return configured;
  }
  const file = resolve(/*turbopackIgnore: true*/ process.cwd(), process.env.AUTH_SECRET_FILE ?? "data/auth-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dirname(file), { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, secret, { mode: 0o600 });
  chmodSync(file, 0o600);
  return secret;
}
