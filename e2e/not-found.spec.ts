import { expect, test } from "./support";

test.describe("Not found", () => {
  for (const [what, path] of [
    ["an unknown table", "/t/no-such-table"],
    ["an unknown record id", "/t/friend/99999999"],
    ["a malformed record id", "/t/friend/not-a-number"],
    ["an unknown page", "/no-such-page"],
  ] as const) {
    test(`${what} shows the 404 page with the way back`, async ({ page }) => {
      const response = await page.goto(path);
      // A real 404 status (the existence checks run before anything streams), not a 200 with an error message.
      expect(response?.status()).toBe(404);
      await expect(page.getByRole("heading", { level: 1, name: "There is nothing at this address" })).toBeVisible();
      await expect(page.getByRole("main")).toContainText(path);
      await expect(page).toHaveTitle(/Not found/);
      await page.getByRole("navigation", { name: "Tables" }).getByRole("link", { name: "Friends" }).click();
      await expect(page).toHaveURL(/\/t\/friend$/);
      await expect(page.getByRole("heading", { level: 1, name: "Friends" })).toBeVisible();
    });
  }

  test("an unknown change set shows its own 404 page", async ({ page }) => {
    const response = await page.goto("/activity/99999999");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1, name: "No activity has this ID" })).toBeVisible();
    await page.getByRole("link", { name: "Browse the activity log" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Activity log" })).toBeVisible();
  });
});
