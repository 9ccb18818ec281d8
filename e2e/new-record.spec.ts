import { createFriend, EDITOR, expect, latestChanges, newestTick, test, ticksOf, unique } from "./support";

test.describe("New record", () => {
  test("without a reason nothing is created and the form keeps what was typed", async ({ page }) => {
    const name = unique("Nameless");
    await page.goto("/t/friend");
    await page.getByRole("link", { name: "New friend" }).click();
    await expect(page).toHaveURL(/\/t\/friend\/new$/);
    await expect(page.getByRole("heading", { level: 1, name: "New friend" })).toBeVisible();
    await page.getByRole("textbox", { name: "Name", exact: true }).fill(name);
    await page.getByRole("textbox", { name: "Location", exact: true }).fill("Albany");
    await page.getByRole("button", { name: "Create friend" }).click();

    await expect(page.getByRole("alert").filter({ hasText: "The friend was not created" })).toBeVisible();
    const reason = page.getByRole("textbox", { name: "Reason", exact: true });
    await expect(reason).toHaveAttribute("aria-invalid", "true");
    await expect(reason).toHaveAccessibleDescription("Say why you are creating this record.");
    await expect(reason).toBeFocused();
    await expect(page).toHaveURL(/\/t\/friend\/new$/);
    await expect(page.getByRole("textbox", { name: "Name", exact: true })).toHaveValue(name);
    await expect(page.getByRole("textbox", { name: "Location", exact: true })).toHaveValue("Albany");

    await page.goto(`/t/friend?f.name=${encodeURIComponent(name)}&retired=1`);
    await expect(page.getByRole("table", { name: "Friends" }).getByRole("rowgroup").nth(1).getByRole("row")).toHaveCount(0);
  });

  test("with a reason it becomes version 1 under my name, once", async ({ page }) => {
    const reason = unique("Met at the e2e conference");
    // createFriend also checks the page it lands on: the new record at version 1.
    const friend = await createFriend(page, { location: "Chicago", reason });
    const created = newestTick(latestChanges(page));
    await expect(ticksOf(latestChanges(page))).toHaveCount(1);
    await expect(created).toContainText("Created");
    await expect(created).toContainText(EDITOR.name);
    await expect(created.getByRole("link", { name: `“${reason}”` })).toBeVisible();

    await page.goto(`/t/friend?f.name=${encodeURIComponent(friend.name)}`);
    const rows = page.getByRole("table", { name: "Friends" }).getByRole("rowgroup").nth(1).getByRole("row");
    await expect(rows).toHaveCount(1);
    await expect(rows.getByRole("cell")).toHaveText([friend.id, friend.name, "Chicago"]);
  });
});
