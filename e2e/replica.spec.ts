/**
 * The app on a primary and its streaming replica (README, "Read replicas"). Runs only when E2E_READ_DATABASE_URL
 * names the replica's server (as a superuser, to pause its replay): .ci/run's read-replica step, with the pair
 * .ci/replica-pair makes. With replay paused, the replica still has the record as it was before the edit.
 */
import pg from "pg";
import { AUDITOR, contextAs, createFriend, currentValues, editRecord, expect, expectVersion, test, unique } from "./support";

const READ_SERVER = process.env.E2E_READ_DATABASE_URL;

test.describe("Read replica", () => {
  test.skip(!READ_SERVER, "needs a streaming replica: set E2E_READ_DATABASE_URL (see .ci/run and .ci/replica-pair)");
  let replica: pg.Client;

  test.beforeAll(async () => {
    const url = new URL(READ_SERVER!);
    url.pathname = `/${process.env.E2E_DB_NAME ?? "temporal_e2e"}`;
    replica = new pg.Client({ connectionString: url.toString() });
    await replica.connect();
  });

  test.afterAll(async () => {
    await replica?.query("SELECT pg_wal_replay_resume()");
    await replica?.end();
  });

  test("an editor sees their save at once while the replica's replay is paused; an auditor reads the replica's copy", async ({
    page,
    browser,
    baseURL,
  }) => {
    const friend = await createFriend(page, { location: "Portland" });
    const onReplica = async () => (await replica.query("SELECT count(*)::int AS n FROM friend WHERE id = $1", [friend.id])).rows[0].n;
    await expect.poll(onReplica).toBe(1);
    const auditorContext = await contextAs(browser, baseURL!, AUDITOR);
    const auditor = await auditorContext.newPage();
    await replica.query("SELECT pg_wal_replay_pause()");
    try {
      await editRecord(page, { Location: "Seattle" }, unique("Moved while the replica lags"), 2);
      await expect(currentValues(page)).toContainText("Seattle");
      await page.reload();
      await expectVersion(page, 2);
      await expect(currentValues(page)).toContainText("Seattle");

      // The auditor saved nothing: their page is read on the replica, which has not replayed the edit.
      await auditor.goto(friend.path);
      await expectVersion(auditor, 1);
      await expect(currentValues(auditor)).toContainText("Portland");
    } finally {
      await replica.query("SELECT pg_wal_replay_resume()");
    }
    await expect(async () => {
      await auditor.reload();
      await expectVersion(auditor, 2);
    }).toPass({ timeout: 15_000 });
    await auditorContext.close();
  });
});
