import {
  ADMIN,
  contextAs,
  createFriend,
  currentValues,
  editCard,
  editRecord,
  expect,
  expectVersion,
  latestChanges,
  newestTick,
  EDITOR,
  recordHeading,
  reviewDialog,
  reviewEdits,
  saveWithReason,
  test,
  ticksOf,
  unique,
} from "./support";

test.describe("Record page", () => {
  test("opens from the table view with current values, who set them and the latest changes", async ({ page }) => {
    await page.goto("/t/friend");
    await page.getByRole("table", { name: "Friends" }).getByRole("link", { name: "Rachel", exact: true }).click();
    await expect(page).toHaveURL(/\/t\/friend\/2$/);
    await expect(recordHeading(page)).toHaveText(/^Rachel\s*version 2$/);
    await expect(page.getByRole("navigation", { name: "Breadcrumb" }).getByRole("link", { name: "Friends" })).toBeVisible();

    const values = currentValues(page);
    await expect(values).toContainText("San Francisco");
    const blame = values.getByRole("link", { name: /joey@pycon2017\.example.*Jan 8, 2016.*version 2\. View history/ });
    await expect(blame).toHaveAccessibleDescription(/Why: Rachel moved from New York to San Francisco for a new job/);

    const newest = newestTick(latestChanges(page));
    await expect(newest).toContainText("Changed");
    await expect(newest).toContainText("v2");
    await expect(newest.getByRole("deletion")).toHaveText("was New York");
    await expect(newest.getByRole("insertion")).toHaveText("now San Francisco");

    await blame.click();
    await expect(page).toHaveURL(/\/t\/friend\/2\/history\?property=location$/);
    await expect(page.getByRole("heading", { level: 1, name: "Location: every value" })).toBeVisible();
  });

  test("an edit with a reason becomes the next version and tops the latest changes", async ({ page }) => {
    await createFriend(page, { location: "Portland" });
    const reason = unique("Moved for the e2e job");
    await editRecord(page, { Location: "Seattle" }, reason, 2);

    await expect(currentValues(page)).toContainText("Seattle");
    await expect(editCard(page).getByRole("textbox", { name: "Location", exact: true })).toHaveValue("Seattle");
    await expect(editCard(page)).toContainText("Editing version 2.");
    const newest = newestTick(latestChanges(page));
    await expect(newest).toContainText("v2");
    await expect(newest).toContainText(EDITOR.name);
    await expect(newest.getByRole("link", { name: `“${reason}”` })).toBeVisible();
    await expect(newest.getByRole("deletion")).toHaveText("was Portland");
    await expect(newest.getByRole("insertion")).toHaveText("now Seattle");
    await expect(currentValues(page).getByRole("link", { name: /version 2\. View history/ })).toHaveAccessibleDescription(
      new RegExp(`Why: ${reason}`),
    );

    // The same after a reload: it was saved, not just shown.
    await page.reload();
    await expectVersion(page, 2);
    await expect(page.getByRole("link", { name: `“${reason}”` })).toBeVisible();
  });

  test("saving without a reason shows the error on the field and saves nothing", async ({ page }) => {
    const friend = await createFriend(page, { location: "Boise" });
    const dialog = await reviewEdits(page, { Location: "Reno" });
    await expect(dialog.getByRole("table", { name: "What will change" }).getByRole("row", { name: /Location/ })).toContainText(
      /was Boise.*now Reno/,
    );
    await dialog.getByRole("button", { name: "Save 1 change" }).click();
    const reasonBox = dialog.getByLabel("Reason for this change");
    await expect(dialog.getByRole("alert")).toHaveText("Say why you are making this change.");
    await expect(reasonBox).toHaveAttribute("aria-invalid", "true");
    await expect(dialog).toBeVisible();
    await expectVersion(page, 1);

    await dialog.getByRole("button", { name: "Keep editing" }).click();
    await expect(dialog).toBeHidden();
    await page.reload();
    await expectVersion(page, 1);
    await expect(editCard(page).getByRole("textbox", { name: "Location", exact: true })).toHaveValue("Boise");
    await expect(ticksOf(latestChanges(page))).toHaveCount(1);
    await expect(newestTick(latestChanges(page))).toContainText(`Met ${friend.name} at the e2e meetup`);
  });

  test("a stale save shows the colleague's change next to mine; re-applying saves on top, losing nothing", async ({
    page,
    browser,
    baseURL,
  }) => {
    const friend = await createFriend(page, { location: "Austin" });
    // The colleague: an admin (admins edit too), signed in in a second browser.
    const colleagueName = ADMIN.name;
    const context = await contextAs(browser, baseURL!, ADMIN);
    try {
      const colleague = await context.newPage();
      await colleague.goto(friend.path);
      await expectVersion(colleague, 1);

      // I start editing version 1 …
      await reviewEdits(page, { Location: "Denver" });
      // … while my colleague renames the friend and moves them elsewhere, and saves first.
      const renamed = `${friend.name} Jr`;
      await editRecord(colleague, { Name: renamed, Location: "Dallas" }, "Corrected name and city from the signed form", 2);

      const dialog = await saveWithReason(page, "Moved to Denver (e2e)");
      await expect(dialog).toBeHidden();
      const conflict = editCard(page).getByRole("alert").filter({ hasText: "This record changed while you were editing" });
      await expect(conflict).toBeVisible();
      const row = conflict.getByRole("row", { name: /^Location/ });
      await expect(row.getByRole("cell")).toHaveText(["Austin", "Dallas", "Denver"]);
      await expect(conflict.getByRole("columnheader")).toHaveText(["Field", "When you loaded it", "Saved meanwhile", "Your edit"]);
      // Nothing of mine was saved, and the page now shows the colleague's version.
      await expectVersion(page, 2);
      await expect(currentValues(page)).toContainText("Dallas");

      await conflict.getByRole("button", { name: "Re-apply my edits to the newer version" }).click();
      await expect(reviewDialog(page)).toBeVisible();
      await expect(reviewDialog(page).getByRole("row", { name: /^Location/ })).toContainText(/was Dallas.*now Denver/);
      await expect(reviewDialog(page).getByRole("row", { name: /^Name/ })).toHaveCount(0);
      await saveWithReason(page, "Moved to Denver (e2e), after checking the new name");
      await expect(reviewDialog(page)).toBeHidden();
      await expect(editCard(page).getByRole("status")).toHaveText("Saved as version 3.");
      await expectVersion(page, 3);

      // Both edits are in the record and in its history: the colleague's name stayed.
      await expect(recordHeading(page)).toContainText(renamed);
      await expect(editCard(page).getByRole("textbox", { name: "Name", exact: true })).toHaveValue(renamed);
      await expect(editCard(page).getByRole("textbox", { name: "Location", exact: true })).toHaveValue("Denver");
      const ticks = ticksOf(latestChanges(page));
      await expect(ticks).toHaveCount(3);
      await expect(ticks.nth(0)).toContainText(EDITOR.name);
      await expect(ticks.nth(0).getByRole("deletion")).toHaveText(["was Dallas"]);
      await expect(ticks.nth(1)).toContainText(colleagueName);
      await expect(ticks.nth(1).getByRole("deletion")).toHaveText([`was ${friend.name}`, "was Austin"]);

      await colleague.reload();
      await expectVersion(colleague, 3);
      await expect(editCard(colleague).getByRole("textbox", { name: "Location", exact: true })).toHaveValue("Denver");
    } finally {
      await context.close();
    }
  });

  test("retire with a reason hides the record from the table view until Show retired; restore brings it back", async ({ page }) => {
    const friend = await createFriend(page, { location: "Tulsa" });
    await page.getByRole("button", { name: "Retire…" }).click();
    const retire = page.getByRole("dialog", { name: "Retire this friend" });
    await retire.getByLabel("Reason").fill("Lost touch (e2e)");
    await retire.getByRole("button", { name: "Retire", exact: true }).click();
    await expect(retire).toBeHidden();
    await expect(recordHeading(page)).toHaveText(/version 2\s*Retired$/);
    await expect(editCard(page)).toHaveCount(0);
    await expect(newestTick(latestChanges(page))).toContainText("Retired");
    await expect(newestTick(latestChanges(page))).toContainText("Lost touch (e2e)");

    await page.goto(`/t/friend?f.name=${encodeURIComponent(friend.name)}`);
    const table = page.getByRole("table", { name: "Friends" });
    await expect(table.getByRole("rowgroup").nth(1).getByRole("row")).toHaveCount(0);
    await expect(page.getByRole("main")).toContainText("No friends match");
    await page.getByRole("checkbox", { name: "Show retired" }).check();
    await expect(page).toHaveURL(/[?&]retired=1\b/);
    const row = table.getByRole("row").filter({ has: page.getByRole("link", { name: friend.name }) });
    await expect(row).toHaveCount(1);
    await expect(row).toContainText("Retired");
    await page.reload();
    await expect(page.getByRole("checkbox", { name: "Show retired" })).toBeChecked();
    await expect(row).toHaveCount(1);

    await row.getByRole("link", { name: friend.name }).click();
    await expect(page).toHaveURL(new RegExp(`${friend.path}$`));
    await page.getByRole("button", { name: "Restore…" }).click();
    const restore = page.getByRole("dialog", { name: "Restore this friend" });
    await restore.getByLabel("Reason").fill("Back in touch (e2e)");
    await restore.getByRole("button", { name: "Restore", exact: true }).click();
    await expect(restore).toBeHidden();
    await expect(recordHeading(page)).toHaveText(new RegExp(`^${friend.name}\\s*version 3$`));
    await expect(editCard(page)).toBeVisible();
    await expect(newestTick(latestChanges(page))).toContainText("Restored");

    await page.goto(`/t/friend?f.name=${encodeURIComponent(friend.name)}`);
    await expect(page.getByRole("table", { name: "Friends" }).getByRole("link", { name: friend.name })).toBeVisible();
  });
});
