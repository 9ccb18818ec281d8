import { describe, expect, it } from "vitest";
import { ConfigError, parseEnv } from "./env";

describe("the environment", () => {
  it("defaults to the embedded database, port 3000 and no demo mode", () => {
    expect(parseEnv({})).toEqual({
      DATABASE_READ_WAIT_MS: 2000,
      DATABASE_POOL_SIZE: 10,
      PGLITE_DIR: "data/pglite",
      AUTH_SECRET_FILE: "data/auth-secret",
      PORT: 3000,
      TRUSTED_PROXY_HOPS: 1,
      TRUSTED_HOSTS: [],
    });
  });

  it("reads the settings it is given, and treats an empty variable as unset", () => {
    expect(
      parseEnv({
        DATABASE_URL: "postgres://postgres@127.0.0.1:5432/app",
        DATABASE_POOL_SIZE: "4",
        PORT: "3201",
        TEMPORAL_DEMO: "1",
        PGLITE_DIR: "",
      }),
    ).toEqual({
      DATABASE_URL: "postgres://postgres@127.0.0.1:5432/app",
      DATABASE_READ_WAIT_MS: 2000,
      DATABASE_POOL_SIZE: 4,
      PGLITE_DIR: "data/pglite",
      AUTH_SECRET_FILE: "data/auth-secret",
      PORT: 3201,
      TEMPORAL_DEMO: "1",
      TRUSTED_PROXY_HOPS: 1,
      TRUSTED_HOSTS: [],
    });
  });

  it("refuses bad settings with one line per variable that says what to set, and never echoes a value", () => {
    const secret = "too-short-secret";
    let error: unknown;
    try {
      parseEnv({ DATABASE_URL: "mysql://db/app", BETTER_AUTH_SECRET: secret, PORT: "web", TEMPORAL_DEMO: "yes" });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toBe(
      [
        "Bad configuration in the environment (fix or unset each variable named):",
        "  DATABASE_URL: must be a postgres:// URL (leave it unset to use the embedded database)",
        "  BETTER_AUTH_SECRET: must be at least 32 characters long",
        "  PORT: must be a port number (1 to 65535)",
        "  TEMPORAL_DEMO: must be 1 (list the demo accounts on the sign-in page) or 0",
      ].join("\n"),
    );
    expect((error as ConfigError).message).not.toContain(secret);
  });

  it("takes a read replica only beside a primary, and a bounded wait for it", () => {
    const primary = "postgres://app@db-primary:5432/app";
    const replica = "postgres://app@db-replica:5432/app";
    expect(parseEnv({ DATABASE_URL: primary, DATABASE_READ_URL: replica, DATABASE_READ_WAIT_MS: "500" })).toMatchObject({
      DATABASE_URL: primary,
      DATABASE_READ_URL: replica,
      DATABASE_READ_WAIT_MS: 500,
    });
    expect(() => parseEnv({ DATABASE_READ_URL: replica })).toThrow(
      "  DATABASE_READ_URL: needs DATABASE_URL too (the embedded database has no replica): set DATABASE_URL to its primary, or unset this",
    );
    expect(() => parseEnv({ DATABASE_URL: primary, DATABASE_READ_URL: "db-replica:5432" })).toThrow(
      "  DATABASE_READ_URL: must be a postgres:// URL of a streaming replica of DATABASE_URL (or unset)",
    );
    expect(() => parseEnv({ DATABASE_URL: primary, DATABASE_READ_WAIT_MS: "60000" })).toThrow(
      "  DATABASE_READ_WAIT_MS: must be a whole number from 0 to 10000",
    );
  });
});
