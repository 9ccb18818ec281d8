/**
 * Once per test run: names the run (its template databases carry the name) and, at the end,
 * drops the templates it made on the server named by DATABASE_URL.
 */
import { randomBytes } from "node:crypto";
import type { TestProject } from "vitest/node";
import { testDbPrefix, withClient } from "./server";

export default function setup(project: TestProject) {
  const runId = randomBytes(4).toString("hex");
  project.provide("testRunId", runId);
  return async () => {
    const server = process.env.DATABASE_URL;
    if (!server) return;
    await withClient(server, async (admin) => {
      const templates = await admin.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE $1", [
        `${testDbPrefix()}\\_tpl\\_%\\_${runId}`,
      ]);
      for (const { datname } of templates.rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    });
  };
}
