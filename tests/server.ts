/** The Postgres server the tests use when DATABASE_URL is set: the names of their databases, and admin clients. */
import pg from "pg";

/** Every database a test run makes on a server starts with this (TEST_DB_PREFIX, for a server others share). */
export const testDbPrefix = () => process.env.TEST_DB_PREFIX || "temporal_test";

/** Runs `fn` with a client of its own on `url`, and ends the client. */
export async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
