/**
 * Signs each demo person in once, through the sign-in page, and saves their browser
 * state (the session cookie and the reported time zone) for the specs to start from.
 */
import { ADMIN, AUDITOR, EDITOR, expect, signIn, test, TIME_ZONE } from "./support";

for (const who of [EDITOR, AUDITOR, ADMIN]) {
  test(`${who.name} signs in as ${who.role}`, async ({ page }) => {
    await signIn(page, who);
    // The browser reports its time zone once (a cookie, then a refresh): wait for it so the saved state has it.
    await expect(page.getByRole("banner")).toContainText(`Times shown in ${TIME_ZONE}`);
    await page.context().storageState({ path: who.state });
  });
}
