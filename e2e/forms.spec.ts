import type { Page } from "@playwright/test";
import { ACTIVITY_LIMITS } from "@temporal-records/drizzle";
import { expectNoA11yViolations } from "./a11y";
import {
  ADMIN,
  contextAs,
  createFriend,
  currentValues,
  editCard,
  expect,
  expectVersion,
  reviewDialog,
  reviewEdits,
  saveWithReason,
  test,
  unique,
} from "./support";

let serial = 0;
/** A member number no other test has used (the column holds 12 characters). */
const memberNumber = () => `F${Date.now().toString(36).slice(-7)}${(serial += 1)}`.slice(0, 12);

/** Creates a member through the create form and waits on its record page (version 1). */
async function createMember(page: Page, values: { number?: string; plan?: string; premium?: string } = {}) {
  const number = values.number ?? memberNumber();
  await page.goto("/t/member/new");
  const main = page.getByRole("main");
  await main.getByRole("textbox", { name: "Member #", exact: true }).fill(number);
  await main.getByRole("textbox", { name: "Name", exact: true }).fill(unique("Form Tester"));
  await main.getByLabel("Date of birth").fill("1980-05-01");
  await main.getByRole("combobox", { name: "Plan" }).selectOption(values.plan ?? "platinum");
  await main.getByRole("spinbutton", { name: "Monthly premium" }).fill(values.premium ?? "725.29");
  await main.getByRole("textbox", { name: "Coverage" }).fill('{"dental": true, "vision": false, "deductible": 500}');
  await main.getByLabel("Renews on").fill("2026-01-01");
  await main.getByRole("textbox", { name: "Reason", exact: true }).fill("Enrolled by the forms spec");
  await main.getByRole("button", { name: "Create member" }).click();
  await expect(page).toHaveURL(/\/t\/member\/\d+$/);
  await expectVersion(page, 1);
  return { number, path: new URL(page.url()).pathname };
}

/**
 * The response's text up to the first `needle`, then the rest is dropped. Next 16.4 streams the page it renders after
 * a form's post without JavaScript but stalls after about 120 KiB (seen with curl too), so the test reads what it needs.
 */
async function readUntil(response: Response, needle: string): Promise<string> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text;
    text += decoder.decode(value, { stream: true });
    if (text.includes(needle)) {
      await reader.cancel();
      return text;
    }
  }
}

const premium = (page: Page) => editCard(page).getByRole("spinbutton", { name: "Monthly premium" });

test.describe("Edit form: rules and refusals on their fields", () => {
  test("a negative premium and one too large for the column are refused on the field, and nothing is saved", async ({ page }) => {
    await createMember(page);
    for (const value of ["-5", "99999999999"]) {
      await premium(page).fill(value);
      await editCard(page).getByRole("button", { name: "Review changes…" }).click();
      await saveWithReason(page, "Premium correction");
      await expect(reviewDialog(page)).toBeHidden();
      await expect(premium(page)).toHaveAttribute("aria-invalid", "true");
      await expect(premium(page)).toHaveAccessibleDescription("Enter a monthly premium from $0.00 to $100,000.00.");
      await expect(editCard(page).getByRole("alert").first()).toHaveText("Nothing was saved: fix the fields marked below.");
      await expect(page.getByText(/numeric field overflow/)).toHaveCount(0);
      await expectVersion(page, 1);
    }
    await expect(currentValues(page).getByTestId("value-premium")).toHaveText("$725.29");
    await expectNoA11yViolations(page, { label: "record page with a field error" });
  });

  test("a member number that is taken is refused on its field in plain words", async ({ page }) => {
    const taken = await createMember(page);
    await createMember(page);
    const field = editCard(page).getByRole("textbox", { name: "Member #", exact: true });
    await field.fill(taken.number);
    await editCard(page).getByRole("button", { name: "Review changes…" }).click();
    await saveWithReason(page, "Renumbered");
    await expect(field).toHaveAccessibleDescription("Another member already has this Member #: each member needs its own. Enter another.");
    await expect(page.getByText(/duplicate key|unique constraint|member_member_number_idx/)).toHaveCount(0);
    await expectVersion(page, 1);
  });
});

test.describe("Review dialog", () => {
  test("shows values exactly as the record page does: labels, money, dates", async ({ page }) => {
    await createMember(page, { plan: "platinum", premium: "725.29" });
    const shown = async (prop: string) => (await currentValues(page).getByTestId(`value-${prop}`).innerText()).trim();
    const before = { plan: await shown("plan"), premium: await shown("premium"), renewsOn: await shown("renewsOn") };
    expect(before).toEqual({ plan: "Platinum", premium: "$725.29", renewsOn: "Jan 1, 2026" });

    await editCard(page).getByRole("combobox", { name: "Plan" }).selectOption("gold");
    await premium(page).fill("612.5");
    await editCard(page).getByLabel("Renews on").fill("2027-03-01");
    await editCard(page).getByRole("button", { name: "Review changes…" }).click();
    const dialog = reviewDialog(page);
    const row = (label: string) => dialog.getByRole("row", { name: new RegExp(`^${label}`) });
    await expect(row("Plan").getByRole("deletion")).toHaveText(`was ${before.plan}`);
    await expect(row("Plan").getByRole("insertion")).toHaveText("now Gold");
    await expect(row("Monthly premium").getByRole("deletion")).toHaveText(`was ${before.premium}`);
    await expect(row("Monthly premium").getByRole("insertion")).toHaveText("now $612.50");
    await expect(row("Renews on").getByRole("deletion")).toHaveText(`was ${before.renewsOn}`);
    await expect(row("Renews on").getByRole("insertion")).toHaveText("now Mar 1, 2027");
    await expectNoA11yViolations(page, { label: "review dialog" });

    await saveWithReason(page, "Moved to gold at renewal", 3);
    await expectVersion(page, 2);
    expect([await shown("plan"), await shown("premium"), await shown("renewsOn")]).toEqual(["Gold", "$612.50", "Mar 1, 2027"]);
  });

  test("the reason box holds exactly as many characters as the server accepts", async ({ page }) => {
    await createFriend(page);
    const dialog = await reviewEdits(page, { Location: "Tacoma" });
    const reason = dialog.getByLabel("Reason for this change");
    await expect(reason).toHaveAttribute("maxlength", String(ACTIVITY_LIMITS.reason));
    await reason.fill("x".repeat(ACTIVITY_LIMITS.reason + 500));
    await expect(reason).toHaveValue("x".repeat(ACTIVITY_LIMITS.reason));
    await dialog.getByRole("button", { name: "Keep editing" }).click();
    await page.getByRole("button", { name: "Retire…" }).click();
    await expect(page.getByRole("dialog").getByRole("textbox", { name: "Reason" })).toHaveAttribute(
      "maxlength",
      String(ACTIVITY_LIMITS.reason),
    );
  });
});

test.describe("Without JavaScript", () => {
  test("the edit form posts to its action (never a GET with the values in the URL), and that post saves with its reason", async ({
    page,
    browser,
    baseURL,
  }) => {
    const friend = await createFriend(page, { location: "Portland" });
    const context = await browser.newContext({ baseURL, javaScriptEnabled: false, storageState: await page.context().storageState() });
    try {
      const plain = await context.newPage();
      await plain.goto(friend.path);
      // The page streams its content behind loading.tsx, which only JavaScript reveals; the form is in the HTML all the same.
      const form = plain.locator('form:has([name="field.location"])');
      await expect(form).toHaveAttribute("method", "POST");
      await expect(form).toHaveAttribute("enctype", "multipart/form-data");
      await expect(form.locator('textarea[name="reason"]')).toHaveAttribute("maxlength", String(ACTIVITY_LIMITS.reason));
      // What a browser without JavaScript sends: every control of the form, as multipart, to the page's own URL.
      const controls: Record<string, string> = {};
      const hidden = form.locator('input[type="hidden"]');
      for (let i = 0; i < (await hidden.count()); i++) {
        const control = hidden.nth(i);
        controls[(await control.getAttribute("name"))!] = (await control.getAttribute("value")) ?? "";
      }
      expect(controls.vclock).toBe("1");
      expect(Object.keys(controls).some((name) => name.startsWith("$ACTION_"))).toBe(true);
      const body = new FormData();
      const sent = { ...controls, "field.name": friend.name, "field.location": "Spokane", reason: "Moved east (no JavaScript)" };
      for (const [name, value] of Object.entries(sent)) body.set(name, value);
      const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
      const response = await fetch(new URL(friend.path, baseURL), {
        method: "POST",
        headers: { cookie, origin: new URL(baseURL!).origin },
        body,
        signal: AbortSignal.timeout(30_000),
      });
      expect(response.status).toBe(200);
      expect(await readUntil(response, "Saved as version 2.")).toContain("Saved as version 2.");
    } finally {
      await context.close();
    }
    await page.reload();
    await expectVersion(page, 2);
    await expect(currentValues(page).getByTestId("value-location")).toHaveText("Spokane");
  });
});

test.describe("The last active admin (people pages)", () => {
  test("cannot demote or retire themselves: the form says why, and nothing is saved", async ({ browser, baseURL }) => {
    // The seed's admin is the only one: no spec adds another.
    const context = await contextAs(browser, baseURL!, ADMIN);
    try {
      const page = await context.newPage();
      await page.goto(`/t/staff?f.email=${encodeURIComponent(ADMIN.email)}`);
      await page.getByRole("table", { name: "People" }).getByRole("link", { name: ADMIN.name, exact: true }).click();
      await expect(page).toHaveURL(/\/t\/staff\/[^/?]+$/);
      const heading = (await page.getByRole("heading", { level: 1 }).textContent())!;
      const role = editCard(page).getByRole("combobox", { name: "Role" });
      await role.selectOption("editor");
      await editCard(page).getByRole("button", { name: "Review changes…" }).click();
      await saveWithReason(page, "Stepping down");
      const message = `Nothing was saved: ${ADMIN.name} is the only active admin, and someone must be able to manage people. Make another person an admin first.`;
      await expect(role).toHaveAccessibleDescription(message);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(heading);
      await expect(currentValues(page).getByTestId("value-role")).toHaveText("Admin");
      await expectNoA11yViolations(page, { label: "people page with the last-admin refusal" });

      await page.getByRole("button", { name: "Retire…" }).click();
      const dialog = page.getByRole("dialog");
      await dialog.getByRole("textbox", { name: "Reason" }).fill("Leaving");
      await dialog.getByRole("button", { name: "Retire", exact: true }).click();
      await expect(dialog.getByRole("alert")).toHaveText(message);
      await page.reload();
      await expect(page.getByRole("heading", { level: 1 })).not.toContainText("Retired");
    } finally {
      await context.close();
    }
  });
});
