/** The record page with the keyboard only, and on a phone-sized screen. */
import type { Page } from "@playwright/test";
import {
  createFriend,
  currentValues,
  editCard,
  expect,
  expectVersion,
  latestChanges,
  newestTick,
  reviewDialog,
  saveWithReason,
  test,
} from "./support";

/** Where keyboard focus is: a control of the open dialog, one on the page behind it, or the browser's own UI. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const active = document.activeElement;
    if (!active || active === document.body) return "browser UI";
    const name = active.textContent?.trim() || active.tagName.toLowerCase();
    return `${active.closest("dialog[open]") ? "dialog" : "page"}: ${name}`;
  });

test.describe("Record page, keyboard only", () => {
  test("the review dialog traps focus, and Escape closes it with the edits kept", async ({ page }) => {
    await page.goto("/t/friend/2");
    const location = editCard(page).getByRole("textbox", { name: "Location", exact: true });
    await location.focus();
    await page.keyboard.press("ControlOrMeta+A");
    await page.keyboard.type("Oakland");
    const review = editCard(page).getByRole("button", { name: "Review changes…" });
    await page.keyboard.press("Tab");
    await expect(review).toBeFocused();
    await page.keyboard.press("Enter");

    const dialog = reviewDialog(page);
    await expect(dialog).toBeVisible();
    const reason = dialog.getByLabel("Reason for this change");
    await expect(reason).toBeFocused();
    await expect(dialog.getByRole("row", { name: /^Location/ })).toContainText(/was San Francisco.*now Oakland/);

    // Forwards and backwards, focus cycles through the dialog's controls and never reaches the page behind it.
    const seen = new Set<string>();
    for (const key of ["Tab", "Tab", "Tab", "Tab", "Tab", "Shift+Tab", "Shift+Tab", "Shift+Tab", "Shift+Tab"]) {
      await page.keyboard.press(key);
      const where = await focused(page);
      expect(where, `after ${key}`).not.toMatch(/^page:/);
      seen.add(where);
    }
    // (Chromium lets Tab leave the last control for its own UI, then comes back to the first: never the page.)
    seen.delete("browser UI");
    expect([...seen].sort()).toEqual(["dialog: Keep editing", "dialog: Save 1 change", "dialog: textarea"]);

    await page.keyboard.press("Escape");
    await expect(dialog).toBeHidden();
    await expect(review).toBeFocused();
    await expect(location).toHaveValue("Oakland");
    await expectVersion(page, 2);
  });
});

test.describe("Record page on a phone", () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

  test("is usable at 390px: no sideways scrolling, and edit → review → save works", async ({ page }) => {
    await createFriend(page, { location: "Santa Fe" });
    const fitsWidth = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
    expect(await fitsWidth()).toBe(true);
    await expect(page.getByRole("link", { name: "Full history", exact: true })).toBeVisible();
    await expect(page.getByRole("button", { name: "Retire…" })).toBeVisible();
    await expect(currentValues(page)).toContainText("Santa Fe");

    await editCard(page).getByRole("textbox", { name: "Location", exact: true }).fill("Taos");
    await editCard(page).getByRole("button", { name: "Review changes…" }).tap();
    const dialog = reviewDialog(page);
    await expect(dialog).toBeVisible();
    const box = (await dialog.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    await expect(dialog.getByRole("button", { name: "Save 1 change" })).toBeInViewport();

    await saveWithReason(page, "Moved to Taos (checked on a phone)");
    await expect(dialog).toBeHidden();
    await expect(editCard(page).getByRole("status")).toHaveText("Saved as version 2.");
    await expectVersion(page, 2);
    const newest = newestTick(latestChanges(page));
    await newest.scrollIntoViewIfNeeded();
    await expect(newest.getByRole("insertion")).toHaveText("now Taos");
    expect(await fitsWidth()).toBe(true);
  });
});
