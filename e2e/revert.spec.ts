/** Reverting a record to a version, undoing an activity with a conflict settled per property, and who sees which control. */
import type { Locator, Page } from "@playwright/test";
import { expectNoA11yViolations } from "./a11y";
import {
  ADMIN,
  AUDITOR,
  contextAs,
  createFriend,
  currentValues,
  editRecord,
  escapeRegExp,
  expect,
  expectVersion,
  test,
  ticksOf,
  type Friend,
} from "./support";

const historyTicks = (page: Page) => ticksOf(page.getByRole("main"));
const revertTable = (page: Page, version: number) =>
  page.getByRole("table", { name: `Each property now and at version ${version}: check the ones to restore` });

/** What a tick says: its reason, and each change's old and new value. */
async function tickText(tick: Locator) {
  return {
    reason: await tick.getByRole("link", { name: /^“.*”$/ }).textContent(),
    deletions: await tick.getByRole("deletion").allTextContents(),
    insertions: await tick.getByRole("insertion").allTextContents(),
  };
}

/** A friend with three versions: created in Portland, moved to Seattle, then renamed and moved to Boise. */
async function friendWithThreeVersions(page: Page): Promise<Friend & { renamed: string }> {
  const friend = await createFriend(page, { location: "Portland" });
  await editRecord(page, { Location: "Seattle" }, "Moved to Seattle (revert e2e)", 2);
  const renamed = `${friend.name} Jr`;
  await editRecord(page, { Name: renamed, Location: "Boise" }, "Renamed and moved to Boise (revert e2e)", 3);
  return { ...friend, renamed };
}

test.describe("Revert a record", () => {
  test("a revert to an earlier version is a new tick; the old ticks stay as they were", async ({ page }) => {
    const friend = await friendWithThreeVersions(page);
    await page.goto(`${friend.path}/history`);
    const ticks = historyTicks(page);
    await expect(ticks).toHaveCount(3);
    const before = [await tickText(ticks.nth(0)), await tickText(ticks.nth(1)), await tickText(ticks.nth(2))];

    await ticks.nth(2).getByRole("link", { name: "Revert to this version… (v1)" }).click();
    await expect(page).toHaveURL(new RegExp(`${friend.path}/revert\\?to=1$`));
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Revert ${friend.renamed} to version 1`);
    const table = revertTable(page, 1);
    const row = (label: string) => table.getByRole("row").filter({ has: page.getByRole("rowheader", { name: label, exact: true }) });
    await expect(row("Name").getByRole("cell").nth(1)).toHaveText(friend.renamed);
    await expect(row("Name").getByRole("cell").nth(2)).toHaveText(friend.name);
    await expect(row("Name").getByRole("deletion")).toHaveText(`was ${friend.renamed}`);
    await expect(row("Name").getByRole("insertion")).toHaveText(`now ${friend.name}`);
    await expect(row("Location").getByRole("deletion")).toHaveText("was Boise");
    await expect(table.getByRole("checkbox", { name: "Restore Name" })).toBeChecked();
    await expect(table.getByRole("checkbox", { name: "Restore Location" })).toBeChecked();
    const reason = page.getByRole("textbox", { name: "Reason for this revert" });
    await expect(reason).toHaveValue(`Reverts ${friend.renamed} to version 1`);

    // Only the location: the name stays as it is now.
    await table.getByRole("checkbox", { name: "Restore Name" }).uncheck();
    await expect(row("Name")).toContainText("stays as now");
    await expect(row("Name").getByRole("deletion")).toHaveCount(0);
    await page.getByRole("button", { name: "Revert 1 property to version 1" }).click();

    await expect(page).toHaveURL(new RegExp(`${friend.path}/history$`));
    await expect(ticks).toHaveCount(4);
    const revert = ticks.nth(0);
    await expect(revert).toContainText("v4");
    await expect(revert.getByRole("link", { name: `“Reverts ${friend.renamed} to version 1”` })).toBeVisible();
    await expect(revert.getByRole("deletion")).toHaveText(["was Boise"]);
    await expect(revert.getByRole("insertion")).toHaveText(["now Portland"]);
    await expect(revert.getByTestId("revert-links")).toHaveText(/reverts to version 1/);
    // The earlier ticks read exactly as before; those whose location the revert set back say by whom.
    expect([await tickText(ticks.nth(1)), await tickText(ticks.nth(2)), await tickText(ticks.nth(3))]).toEqual(before);
    const revertId = (await revert.getByRole("link", { name: /^“/ }).getAttribute("href"))!.split("/").pop()!;
    await expect(ticks.nth(1).getByTestId("revert-links")).toHaveText(`reverted by #${revertId}`);
    await expect(ticks.nth(2).getByTestId("revert-links")).toHaveText(`reverted by #${revertId}`);
    await expect(ticks.nth(3).getByTestId("revert-links")).toHaveCount(0);

    await page.goto(friend.path);
    await expectVersion(page, 4);
    await expect(currentValues(page).getByTestId("value-name")).toHaveText(friend.renamed);
    await expect(currentValues(page).getByTestId("value-location")).toHaveText("Portland");
  });

  test("a preview made before a colleague's save is refused and shown side by side; previewing again reverts", async ({
    page,
    browser,
    baseURL,
  }) => {
    const friend = await friendWithThreeVersions(page);
    await page.goto(`${friend.path}/compare?from=1&to=3`);
    await page.getByRole("link", { name: "Revert to this version (v1)…" }).click();
    await expect(page).toHaveURL(new RegExp(`${friend.path}/revert\\?to=1$`));

    const context = await contextAs(browser, baseURL!, ADMIN);
    try {
      const colleague = await context.newPage();
      await colleague.goto(friend.path);
      await editRecord(colleague, { Location: "Tacoma" }, "Moved to Tacoma (revert e2e)", 4);
    } finally {
      await context.close();
    }

    await page.getByRole("button", { name: "Revert 2 properties to version 1" }).click();
    const conflict = page.getByRole("alert").filter({ hasText: "This record changed since the preview was made" });
    await expect(conflict).toBeVisible();
    await expect(conflict).toContainText("Nothing was reverted: someone saved version 4 meanwhile.");
    await expect(conflict.getByRole("columnheader")).toHaveText([
      "Field",
      "In the preview (v3)",
      "Saved meanwhile (v4)",
      "Your revert (v1)",
    ]);
    await expect(conflict.getByRole("row", { name: /^Location/ }).getByRole("cell")).toHaveText(["Boise", "Tacoma", "Portland"]);
    await expect(conflict.getByRole("row", { name: /^Name/ }).getByRole("cell")).toHaveText([friend.renamed, "unchanged", friend.name]);
    await expectNoA11yViolations(page, { label: "the revert preview with its conflict panel" });

    await conflict.getByRole("button", { name: "Preview again against version 4" }).click();
    await expect(conflict).toHaveCount(0);
    await expect(
      revertTable(page, 1)
        .getByRole("row")
        .filter({ has: page.getByRole("rowheader", { name: "Location", exact: true }) })
        .getByRole("deletion"),
    ).toHaveText("was Tacoma");
    await page.getByRole("button", { name: "Revert 2 properties to version 1" }).click();
    await expect(page).toHaveURL(new RegExp(`${friend.path}/history$`));
    await expect(historyTicks(page).nth(0)).toContainText("v5");
    await expect(historyTicks(page).nth(0).getByRole("deletion")).toHaveText([`was ${friend.renamed}`, "was Tacoma"]);
  });
});

test.describe("Undo an activity", () => {
  test("a later change to the same properties is a conflict, settled property by property; a change since the preview is refused", async ({
    page,
    browser,
    baseURL,
  }) => {
    const friend = await createFriend(page, { location: "Portland" });
    const reason = "Renamed and moved to Seattle (undo e2e)";
    await editRecord(page, { Name: `${friend.name} Jr`, Location: "Seattle" }, reason, 2);
    await editRecord(page, { Name: `${friend.name} Sr`, Location: "Denver" }, "Corrected again (undo e2e)", 3);

    await page
      .getByRole("link", { name: `“${reason}”` })
      .first()
      .click();
    await expect(page).toHaveURL(/\/activity\/\d+$/);
    const undone = new URL(page.url()).pathname.split("/").pop()!;
    await page.getByRole("link", { name: "Undo this activity…" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Undo activity #${undone}`);
    await expect(page.getByRole("textbox", { name: "Reason for this undo" })).toHaveValue(`Reverts activity #${undone}: ${reason}`);
    await expect(page.getByRole("main")).toContainText("2 properties were changed again by a later activity.");
    const choice = (label: string) =>
      page.getByRole("group", { name: new RegExp(`, ${label}: changed again later by #[#\\d, ]+\\. Choose:$`) });
    await expect(choice("Name").getByRole("radio")).toHaveCount(2);
    await expect(choice("Location").getByRole("radio", { name: "Keep now: Denver" })).toBeVisible();
    await choice("Name")
      .getByRole("radio", { name: `Take the old value: ${friend.name}` })
      .check();
    await choice("Location").getByRole("radio", { name: "Keep now: Denver" }).check();

    // Meanwhile a colleague moves the friend again: the choice for the location was made on older values.
    const context = await contextAs(browser, baseURL!, ADMIN);
    try {
      const colleague = await context.newPage();
      await colleague.goto(friend.path);
      await editRecord(colleague, { Location: "Austin" }, "Moved to Austin (undo e2e)", 4);
    } finally {
      await context.close();
    }
    await page.getByRole("button", { name: `Undo activity #${undone}` }).click();
    const conflict = page.getByRole("alert").filter({ hasText: "These records changed since the preview was made" });
    await expect(conflict).toBeVisible();
    await expect(conflict.getByRole("row", { name: /Location/ })).toContainText("version 4");
    await expectNoA11yViolations(page, { label: "the undo preview with its conflict panel" });
    await conflict.getByRole("button", { name: "Preview again with the newer values" }).click();
    await expect(conflict).toHaveCount(0);
    await choice("Location").getByRole("radio", { name: "Keep now: Austin" }).check();
    await expect(choice("Name").getByRole("radio", { name: `Take the old value: ${friend.name}` })).toBeChecked();
    await page.getByRole("button", { name: `Undo activity #${undone}` }).click();

    // The undo's own change set says what it reverted; the name went back, the later location stayed.
    await expect(page).toHaveURL(/\/activity\/\d+$/);
    const undo = new URL(page.url()).pathname.split("/").pop()!;
    expect(undo).not.toBe(undone);
    const links = page.getByTestId("revert-links");
    await expect(links).toHaveText(new RegExp(`^This activity reverts activity #${undone}\\.$`));
    const changes = page.getByRole("region", { name: "Friends" });
    await expect(changes.getByRole("deletion")).toHaveText([`was ${friend.name} Sr`]);
    await expect(changes.getByRole("insertion")).toHaveText([`now ${friend.name}`]);
    await links.getByRole("link", { name: `activity #${undone}` }).click();
    await expect(page.getByTestId("revert-links")).toHaveText(
      new RegExp(`^Reverted by #${undo}: “${escapeRegExp(`Reverts activity #${undone}: ${reason}`)}”$`),
    );

    await page.goto(`${friend.path}/history`);
    const ticks = historyTicks(page);
    await expect(ticks).toHaveCount(5);
    await expect(ticks.nth(0).getByTestId("revert-links")).toHaveText(new RegExp(`reverts activity #${undone}$`));
    await expect(ticks.nth(3).getByTestId("revert-links")).toHaveText(`reverted by #${undo}`);
    await page.goto(friend.path);
    await expectVersion(page, 5);
    await expect(currentValues(page).getByTestId("value-name")).toHaveText(friend.name);
    await expect(currentValues(page).getByTestId("value-location")).toHaveText("Austin");
  });
});

test.describe("As an auditor", () => {
  test.use({ storageState: AUDITOR.state });

  test("no revert control on the history, the compare page or a change set, and the previews answer 403", async ({ page }) => {
    await page.goto("/t/friend/2/history");
    await expect(historyTicks(page)).toHaveCount(2);
    await expect(page.getByRole("link", { name: /^Revert to this version/ })).toHaveCount(0);
    await page.goto("/t/friend/2/compare?from=1&to=2");
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Compare versions");
    await expect(page.getByRole("link", { name: /^Revert to this version/ })).toHaveCount(0);
    await historyTicks(page).first().getByRole("link", { name: /^“/ }).click();
    await expect(page).toHaveURL(/\/activity\/\d+$/);
    const activity = new URL(page.url()).pathname;
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(/^Change set #\d+$/);
    await expect(page.getByRole("link", { name: "Undo this activity…" })).toHaveCount(0);

    await page.goto("/t/friend/2/revert?to=1");
    await expect(page.getByRole("main")).toContainText(/403/);
    await expect(page.getByRole("checkbox")).toHaveCount(0);
    await page.goto(`${activity}/undo`);
    await expect(page.getByRole("main")).toContainText(/403/);
    await expect(page.getByRole("button", { name: /^Undo activity/ })).toHaveCount(0);
  });
});
