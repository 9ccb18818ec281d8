/** A record as of a version or a moment, the time control, and comparing any two versions. */
import { AUDITOR, createFriend, editCard, editRecord, expect, latestChanges, recordHeading, test, ticksOf, type Friend } from "./support";
import type { Page } from "@playwright/test";

const banner = (page: Page) => page.getByTestId("history-banner");
const valuesAt = (page: Page, version: number) => page.getByRole("region", { name: `Values at version ${version}` });

/** A friend with three versions: created in Portland, moved to Seattle, then renamed and moved to Boise. */
async function friendWithThreeVersions(page: Page): Promise<Friend & { renamed: string }> {
  const friend = await createFriend(page, { location: "Portland" });
  await editRecord(page, { Location: "Seattle" }, "Moved to Seattle for work", 2);
  const renamed = `${friend.name} Jr`;
  await editRecord(page, { Name: renamed, Location: "Boise" }, "Renamed after the wedding, moved to Boise", 3);
  return { ...friend, renamed };
}

test.describe("Record as of a moment", () => {
  test("?version= shows that version read-only: banner with who and why, its values, and what changed since", async ({ page }) => {
    const friend = await friendWithThreeVersions(page);
    await page.goto(`${friend.path}?version=2`);
    await expect(banner(page)).toContainText("Read-only history: version 2 of 3");
    await expect(banner(page)).toContainText("“Moved to Seattle for work”");
    await expect(recordHeading(page)).toContainText("version 2 (history)");
    await expect(valuesAt(page, 2).getByTestId("value-location")).toHaveText("Seattle");
    await expect(valuesAt(page, 2).getByTestId("value-name")).toHaveText(friend.name);
    await expect(editCard(page)).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Retire…" })).toHaveCount(0);
    const since = page.getByTestId("changed-since");
    await expect(since.getByRole("listitem")).toHaveCount(2);
    await expect(since).toContainText("Seattle");
    await expect(since).toContainText("Boise");
    await expect(since).toContainText(friend.renamed);
  });

  test("?asOf= at a tick's own time shows that tick; before creation says it did not exist yet; an unknown version says so", async ({
    page,
  }) => {
    const friend = await friendWithThreeVersions(page);
    const v2 = ticksOf(latestChanges(page)).nth(1);
    await expect(v2).toContainText("v2");
    const at = await v2.locator("time").first().getAttribute("datetime");
    await page.goto(`${friend.path}?asOf=${encodeURIComponent(at!)}`);
    await expect(banner(page)).toContainText("version 2 of 3, as of");
    await expect(valuesAt(page, 2).getByTestId("value-location")).toHaveText("Seattle");

    await page.goto(`${friend.path}?asOf=2000-01-01`);
    await expect(page.getByTestId("not-yet")).toContainText("did not exist yet");
    await page.getByRole("link", { name: "See version 1" }).click();
    await expect(valuesAt(page, 1).getByTestId("value-location")).toHaveText("Portland");

    await page.goto(`${friend.path}?version=99`);
    await expect(page.getByTestId("no-such-version")).toContainText("has no version 99: its latest is version 3");
    await page.goto(`${friend.path}?asOf=last-tuesday`);
    await expect(page.getByRole("status").filter({ hasText: "Ignored ?asOf=" })).toContainText("ISO 8601");
    await expect(recordHeading(page)).toContainText("version 3");
  });

  test("the time control steps through versions by keyboard and by date, writing the URL", async ({ page }) => {
    const friend = await friendWithThreeVersions(page);
    const slider = page.getByRole("slider", { name: "Version" });
    await expect(slider).toHaveAttribute("aria-valuetext", "version 3 of 3");
    await slider.focus();
    await page.keyboard.press("ArrowLeft");
    await expect(page).toHaveURL(new RegExp(`${friend.path}\\?version=2$`));
    await expect(banner(page)).toContainText("version 2 of 3");
    await page.getByRole("button", { name: "Older version" }).click();
    await expect(page).toHaveURL(/\?version=1$/);
    await expect(valuesAt(page, 1).getByTestId("value-location")).toHaveText("Portland");
    // A moment far in the past: the date-time input writes ?asOf= (in the viewer's zone).
    await page.getByLabel(/^As of/).fill("2001-02-03T04:05");
    await page.getByRole("button", { name: "Show" }).click();
    await expect(page).toHaveURL(/\?asOf=2001-02-03T/);
    await expect(page.getByTestId("not-yet")).toBeVisible();
    await page.getByRole("link", { name: "Back to now" }).click();
    await expect(page).toHaveURL(new RegExp(`${friend.path}$`));
    await expect(editCard(page)).toBeVisible();
  });

  test("an auditor sees the history view too, with no edit controls", async ({ browser, baseURL, page }) => {
    const friend = await friendWithThreeVersions(page);
    const auditor = await browser.newContext({ baseURL, storageState: AUDITOR.state });
    const other = await auditor.newPage();
    await other.goto(`${friend.path}?version=1`);
    await expect(banner(other)).toContainText("version 1 of 3");
    await expect(other.getByRole("button", { name: /Retire|Review/ })).toHaveCount(0);
    await auditor.close();
  });
});

test.describe("Compare two versions", () => {
  test("lists exactly the changed properties, hides unchanged ones until asked, and lists the activities in between", async ({ page }) => {
    const friend = await friendWithThreeVersions(page);
    await ticksOf(latestChanges(page))
      .first()
      .getByRole("link", { name: /Compare with previous/ })
      .click();
    await expect(page).toHaveURL(new RegExp(`${friend.path}/compare\\?from=2&to=3$`));
    const table = page.getByTestId("compare-table");
    await expect(table.locator("tbody tr")).toHaveCount(2);
    await expect(page.getByTestId("compare-name")).toContainText(friend.renamed);
    await expect(page.getByTestId("compare-location")).toContainText("Boise");
    await expect(page.getByRole("region", { name: /Activities in between \(1\)/ })).toContainText("Renamed after the wedding");

    await page.goto(`${friend.path}/compare?from=1&to=2`);
    await expect(table.locator("tbody tr")).toHaveCount(1);
    await expect(page.getByTestId("compare-location")).toContainText("Portland");
    await page.getByRole("link", { name: /Show unchanged/ }).click();
    await expect(page).toHaveURL(/all=1/);
    await expect(page.getByTestId("compare-name")).toHaveAttribute("data-changed", "false");
    await page.getByRole("link", { name: "Inline" }).click();
    await expect(page.getByTestId("compare-list")).toContainText("was Portland");
  });

  test("compares a moment with a version in the picker, and says why a bad point was ignored", async ({ page }) => {
    const friend = await friendWithThreeVersions(page);
    await page.goto(`${friend.path}/history`);
    const picker = page.getByRole("region", { name: "Compare two versions" });
    await picker.getByRole("textbox", { name: "From", exact: true }).fill("1");
    await picker.getByRole("textbox", { name: "To", exact: true }).fill("3");
    await picker.getByRole("button", { name: "Compare" }).click();
    await expect(page).toHaveURL(/compare\?from=1&to=3/);
    await expect(page.getByTestId("compare-table").locator("tbody tr")).toHaveCount(2);
    await page.goto(`${friend.path}/compare?from=yesterday&to=3`);
    await expect(page.getByRole("status").filter({ hasText: "Ignored from=" })).toBeVisible();
  });
});

test.describe("Timelines", () => {
  test("each property is a lane of bands: focus shows who and why, a band opens its version, and the lane reads as a table", async ({
    page,
  }) => {
    const friend = await friendWithThreeVersions(page);
    const lane = page.getByTestId("lane-location");
    const bands = lane.getByRole("listitem");
    await expect(bands).toHaveCount(3);
    const seattle = lane.getByRole("link", { name: /^Seattle, from .*version 2 by .*: Moved to Seattle for work$/ });
    await seattle.focus();
    await expect(lane.getByText("Why: Moved to Seattle for work")).toBeVisible();
    await lane.getByText("View as table").click();
    await expect(lane.getByRole("table").locator("tbody tr")).toHaveCount(3);
    await seattle.click();
    await expect(page).toHaveURL(new RegExp(`${friend.path}\\?version=2$`));
    await expect(banner(page)).toContainText("version 2 of 3");
  });

  test("a record with over a thousand ticks (the seeded clinic) is drawn reduced on the server, with a note, not a node per tick", async ({
    page,
  }) => {
    await page.goto(`/t/provider?f.name=${encodeURIComponent("Bayview Walk-in")}`);
    await page.getByRole("link", { name: "Bayview Walk-in Clinic", exact: true }).click();
    await expect(page.getByTestId("lanes-reduced")).toBeVisible();
    const lane = page.getByTestId("lane-acceptingNewPatients");
    const total = Number((await lane.getByRole("link", { name: /values? of Accepting/ }).innerText()).replace(/[^0-9]/g, ""));
    expect(total).toBeGreaterThan(1_000);
    const bands = lane.getByRole("list").getByRole("link");
    const drawn = await bands.count();
    expect(drawn).toBeGreaterThan(10);
    expect(drawn).toBeLessThanOrEqual(100);
    // A band that stands for several changes says so, and shows the last of them.
    await expect(bands.filter({ hasText: /^\d+× · / }).first()).toBeVisible();
    await expect(
      lane
        .getByRole("list")
        .getByRole("link", { name: /changes in this span; the last shown/ })
        .first(),
    ).toBeVisible();
  });

  test("a numeric property is also drawn as a step chart", async ({ page }) => {
    await page.goto("/t/member/1");
    const chart = page.getByTestId("chart-Monthly premium");
    await expect(chart.locator("path.recharts-curve")).toBeVisible();
    await expect(chart.locator("circle").first()).toBeVisible();
  });

  test("a property's history takes a date window, shows its lane above the table, and says why a bad end was ignored", async ({ page }) => {
    const friend = await friendWithThreeVersions(page);
    const v2 = ticksOf(latestChanges(page)).nth(1);
    const at = await v2.locator("time").first().getAttribute("datetime");
    await page.goto(`${friend.path}/history?property=location`);
    await expect(page.getByRole("main").getByRole("table").last().locator("tbody tr")).toHaveCount(3);
    await page.getByRole("textbox", { name: "From", exact: true }).fill(at!);
    await page.getByRole("button", { name: "Show window" }).click();
    await expect(page).toHaveURL(/from=/);
    await expect(page.getByTestId("lane-location").getByRole("listitem")).toHaveCount(2);
    const rows = page.getByRole("main").getByRole("table").last().locator("tbody tr");
    await expect(rows).toHaveCount(2);
    await expect(rows.first()).toContainText("Boise");
    await page.goto(`${friend.path}/history?property=location&to=soon`);
    await expect(page.getByRole("status").filter({ hasText: "Ignored To" })).toBeVisible();
  });
});
