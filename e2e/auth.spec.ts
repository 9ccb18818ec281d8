/**
 * Sign-in and roles: every page needs a session, every write needs the role, and
 * the server checks both (a hidden button is not a check: a replayed POST must fail).
 */
import type { Browser, BrowserContext, Page, Request } from "@playwright/test";
import {
  ADMIN,
  AUDITOR,
  CLIENT_ADDRESS_HEADER,
  contextAs,
  createFriend,
  EDITOR,
  editCard,
  expect,
  expectVersion,
  latestChanges,
  newestTick,
  reviewEdits,
  saveWithReason,
  SIGNED_OUT,
  signIn,
  signInAlert,
  submitSignIn,
  test,
  TIME_ZONE,
  unique,
} from "./support";

const WRONG = "That email and password do not match an account with access. Check both and try again.";

/** A fresh browser with nobody signed in. */
const signedOut = (browser: Browser, baseURL: string) => browser.newContext({ baseURL, timezoneId: TIME_ZONE, storageState: SIGNED_OUT });

/** An admin adds a person through People → Add a person; returns their staff record's path. */
async function addPerson(page: Page, person: { name: string; email: string; role: string; password: string }): Promise<string> {
  await page.goto("/t/staff");
  await page.getByRole("link", { name: "New person" }).click();
  await expect(page).toHaveURL(/\/people\/new$/);
  const main = page.getByRole("main");
  await main.getByRole("textbox", { name: "Name" }).fill(person.name);
  await main.getByRole("textbox", { name: "Email" }).fill(person.email);
  await main.getByRole("combobox", { name: "Role" }).selectOption(person.role);
  await main.getByLabel("First password").fill(person.password);
  await main.getByRole("textbox", { name: "Reason" }).fill(`Joins the e2e team (${person.role})`);
  await main.getByRole("button", { name: "Add person" }).click();
  await expect(page).toHaveURL(/\/t\/staff\/[^/]+$/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(person.name);
  return new URL(page.url()).pathname;
}

const newPerson = (role: string) => {
  const token = unique("p").split(" ")[1]!;
  return { name: `Pat ${token}`, email: `pat.${token}@e2e.example`, role, password: `pw-${token}-long-enough` };
};

test.describe("Signing in", () => {
  test.use({ storageState: SIGNED_OUT });

  test("a page asked for without a session goes to sign-in, and back there after signing in", async ({ page }) => {
    const response = await page.goto("/t/member?sort=name&dir=desc");
    await expect(page).toHaveURL(/\/sign-in\?next=%2Ft%2Fmember%3Fsort%3Dname%26dir%3Ddesc$/);
    expect(response?.status()).toBe(200);
    await submitSignIn(page, EDITOR.email, EDITOR.password);
    await expect(page).toHaveURL(/\/t\/member\?sort=name&dir=desc$/);
    await expect(page.getByTestId("signed-in-user")).toHaveText(EDITOR.name);
    await expect(page.getByRole("banner")).toContainText("Editor");
  });

  test("a wrong password and an unknown email get the same plain message, and no session", async ({ page }) => {
    await page.goto("/sign-in");
    await submitSignIn(page, EDITOR.email, "not-the-password");
    await expect(signInAlert(page)).toHaveText(WRONG);
    await expect(page.getByRole("textbox", { name: "Email" })).toHaveValue(EDITOR.email);
    await submitSignIn(page, "nobody@e2e.example", "whatever-it-is");
    await expect(signInAlert(page)).toHaveText(WRONG);
    await page.goto("/");
    await expect(page).toHaveURL(/\/sign-in$/);
  });

  test("twenty failed sign-ins from one client address, at twenty emails, lock that address; another address signs in", async ({
    browser,
    baseURL,
  }) => {
    // e2e/server.ts trusts this header as the proxy's, so a test can speak for two clients.
    const from = (address: string) =>
      browser.newContext({
        baseURL,
        timezoneId: TIME_ZONE,
        storageState: SIGNED_OUT,
        extraHTTPHeaders: { [CLIENT_ADDRESS_HEADER]: address },
      });
    const token = unique("spray").split(" ")[1]!;
    const sprayer = await from("198.51.100.23");
    const neighbour = await from("198.51.100.24");
    try {
      const page = await sprayer.newPage();
      await page.goto("/sign-in");
      for (let attempt = 1; attempt < 20; attempt += 1) {
        await submitSignIn(page, `victim${attempt}.${token}@e2e.example`, "guessed-password");
        await expect(signInAlert(page)).toHaveText(WRONG);
      }
      await submitSignIn(page, `victim20.${token}@e2e.example`, "guessed-password");
      await expect(signInAlert(page)).toHaveText(/^Too many failed sign-ins from your network address\. Try again in 1[45] minutes\.$/);
      // The address is locked for every email, even with the right password.
      await submitSignIn(page, EDITOR.email, EDITOR.password);
      await expect(signInAlert(page)).toHaveText(/^Too many failed sign-ins from your network address/);
      await signIn(await neighbour.newPage(), EDITOR);
    } finally {
      await sprayer.close();
      await neighbour.close();
    }
  });

  test("signing out ends the session: the old cookie no longer opens a page", async ({ page }) => {
    // Its own session (not the saved one the other specs share), so signing out harms nothing else.
    await signIn(page, AUDITOR);
    const cookies = await page.context().cookies();
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/sign-in$/);
    await page.goto("/");
    await expect(page).toHaveURL(/\/sign-in$/);
    // Putting the old session cookie back does not help: the session is gone on the server.
    await page.context().addCookies(cookies);
    await page.goto("/activity");
    await expect(page).toHaveURL(/\/sign-in\?next=%2Factivity$/);
  });
});

test.describe("Auditor", () => {
  test.use({ storageState: AUDITOR.state });

  test("reads records and history but sees no way to change them", async ({ page }) => {
    await page.goto("/t/friend/2");
    await expect(page.getByTestId("signed-in-user")).toHaveText(AUDITOR.name);
    await expect(page.getByRole("region", { name: "Current values" })).toBeVisible();
    await expect(latestChanges(page)).toBeVisible();
    await expect(editCard(page)).toHaveCount(0);
    await expect(page.getByRole("button", { name: /Retire|Restore/ })).toHaveCount(0);
    await expect(page.getByRole("main")).toContainText(
      "You can read this record; changing it needs the Editor role. You are signed in as Auditor.",
    );
    await page.goto("/t/friend");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Friends");
    await expect(page.getByRole("link", { name: "New friend" })).toHaveCount(0);
  });

  test("a create page asked for directly answers 403 with a page that says why", async ({ page }) => {
    const response = await page.goto("/t/friend/new");
    expect(response?.status()).toBe(403);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Your role cannot do this");
    await expect(page.getByRole("main")).toContainText(`You are signed in as ${AUDITOR.name}, with the Auditor role.`);
    const people = await page.goto("/people/new");
    expect(people?.status()).toBe(403);
  });
});

test.describe("Roles are checked on the server", () => {
  /** Captures the edit form's server-action POST without letting it reach the server. */
  async function captureSave(page: Page, path: string): Promise<Request> {
    let captured: Request | undefined;
    await page.route(
      (url) => url.pathname === path,
      async (route) => {
        if (route.request().method() === "POST" && route.request().headers()["next-action"]) {
          captured = route.request();
          await route.abort();
        } else await route.continue();
      },
    );
    await reviewEdits(page, { Location: "Forged City" });
    await saveWithReason(page, "Replayed by the e2e suite");
    await expect.poll(() => captured !== undefined).toBe(true);
    await page.unroute((url) => url.pathname === path);
    return captured!;
  }

  /** Sends the captured action again from another browser (its own cookies), as a script would. */
  async function replay(context: BrowserContext, request: Request, path: string, extra: Record<string, string> = {}) {
    const headers = request.headers();
    return context.request.post(path, {
      headers: {
        "next-action": headers["next-action"]!,
        "next-router-state-tree": headers["next-router-state-tree"] ?? "",
        "content-type": headers["content-type"]!,
        accept: "text/x-component",
        ...extra,
      },
      data: request.postDataBuffer()!,
      maxRedirects: 0,
    });
  }

  test("an editor's save, replayed by an auditor or with no session, writes nothing; replayed by the editor it saves", async ({
    page,
    browser,
    baseURL,
  }) => {
    const friend = await createFriend(page, { location: "Reno" });
    const save = await captureSave(page, friend.path);

    const auditor = await contextAs(browser, baseURL!, AUDITOR);
    const nobody = await signedOut(browser, baseURL!);
    try {
      const refused = await replay(auditor, save, friend.path);
      expect(refused.status()).toBe(200);
      expect(await refused.text()).toContain("Forbidden (403): this needs the Editor role or higher, and you are signed in as Auditor.");

      const anonymous = await replay(nobody, save, friend.path);
      expect(anonymous.status()).toBe(303);
      expect(anonymous.headers()["location"]).toMatch(/\/sign-in\?next=/);
    } finally {
      await auditor.close();
      await nobody.close();
    }
    await page.reload();
    await expectVersion(page, 1);
    await expect(page.getByTestId("value-location")).toHaveText("Reno");

    // The same bytes from the editor's own browser do save: the refusals above were the role and the session.
    const accepted = await replay(page.context(), save, friend.path);
    expect(accepted.status()).toBe(200);
    await page.reload();
    await expectVersion(page, 2);
    await expect(page.getByTestId("value-location")).toHaveText("Forged City");
    await expect(newestTick(latestChanges(page))).toContainText(EDITOR.name);
  });
  test("a save POSTed from another origin is refused even with a forged X-Forwarded-Host to match; from this origin it saves", async ({
    page,
    baseURL,
  }) => {
    const friend = await createFriend(page, { location: "Reno" });
    const save = await captureSave(page, friend.path);
    const forged = await replay(page.context(), save, friend.path, { origin: "http://evil.example", "x-forwarded-host": "evil.example" });
    expect(forged.status()).toBe(500);
    expect(await forged.text()).not.toContain("Forged City");
    const crossOrigin = await replay(page.context(), save, friend.path, { origin: "http://evil.example" });
    expect(crossOrigin.status()).toBe(500);
    await page.reload();
    await expectVersion(page, 1);
    await expect(page.getByTestId("value-location")).toHaveText("Reno");

    // The same bytes with this app's own Origin do save: the refusals above were the origin.
    const sameOrigin = await replay(page.context(), save, friend.path, { origin: new URL(baseURL!).origin });
    expect(sameOrigin.status()).toBe(200);
    await page.reload();
    await expectVersion(page, 2);
    await expect(page.getByTestId("value-location")).toHaveText("Forged City");
  });
});

test.describe("Where sign-in sends you", () => {
  /** Targets that browsers read as another host: sign-in must never follow them. */
  const ELSEWHERE = ["/%5Cevil.example/", "/%09/evil.example/", "//evil.example/", "/%2F%2Fevil.example/", "/.//evil.example/"];

  for (const next of ELSEWHERE) {
    test(`a signed-in person opening /sign-in?next=${next} stays in the app`, async ({ page, baseURL }) => {
      await page.goto(`/sign-in?next=${next}`);
      expect(new URL(page.url()).origin).toBe(new URL(baseURL!).origin);
      await expect(page).toHaveURL(/\/$/);
      await expect(page.getByTestId("signed-in-user")).toHaveText(EDITOR.name);
    });
  }

  test("signing in with a next that points elsewhere lands on the overview, in the app", async ({ browser, baseURL }) => {
    const context = await signedOut(browser, baseURL!);
    try {
      const page = await context.newPage();
      for (const next of ["/%5Cevil.example/", "/%09/evil.example/"]) {
        await page.goto(`/sign-in?next=${next}`);
        await submitSignIn(page, AUDITOR.email, AUDITOR.password);
        await expect(page.getByTestId("signed-in-user")).toHaveText(AUDITOR.name);
        expect(new URL(page.url()).origin).toBe(new URL(baseURL!).origin);
        await expect(page).toHaveURL(/\/$/);
        await context.clearCookies();
      }
    } finally {
      await context.close();
    }
  });
});

test.describe("People (admin)", () => {
  test.use({ storageState: ADMIN.state });

  test("an admin adds a person, changes their role with a reason (history keeps it), and retiring them locks them out", async ({
    page,
    browser,
    baseURL,
  }) => {
    const person = newPerson("editor");
    const path = await addPerson(page, person);
    await expect(page.getByTestId("value-role")).toHaveText(/Editor/);
    await expect(newestTick(latestChanges(page))).toContainText(ADMIN.name);
    await expect(newestTick(latestChanges(page))).toContainText("Joins the e2e team (editor)");

    const theirs = await signedOut(browser, baseURL!);
    try {
      const them = await theirs.newPage();
      await signIn(them, person);
      await expect(them.getByRole("banner")).toContainText("Editor");

      await editCard(page).getByRole("combobox", { name: "Role" }).selectOption("auditor");
      await editCard(page).getByRole("button", { name: "Review changes…" }).click();
      await saveWithReason(page, "Moved to the audit team");
      await expectVersion(page, 2);
      const tick = newestTick(latestChanges(page));
      await expect(tick).toContainText("Moved to the audit team");
      await expect(tick.getByRole("deletion")).toHaveText(/was Editor/);
      await expect(tick.getByRole("insertion")).toHaveText(/now Auditor/);

      // The new role holds from their next request: no sign-out needed.
      await them.goto("/t/friend/new");
      await expect(them.getByRole("heading", { level: 1 })).toHaveText("Your role cannot do this");
      await them.goto("/");
      await expect(them.getByRole("banner")).toContainText("Auditor");

      await page.getByRole("button", { name: "Retire…" }).click();
      const dialog = page.getByRole("dialog");
      await dialog.getByRole("textbox").fill("Left the company");
      await dialog.getByRole("button", { name: "Retire", exact: true }).click();
      await expect(page.getByRole("heading", { level: 1 })).toContainText("Retired");

      // Their open session stops working, and they cannot sign in again.
      await them.goto("/activity");
      await expect(them).toHaveURL(/\/sign-in\?next=%2Factivity$/);
      await submitSignIn(them, person.email, person.password);
      await expect(signInAlert(them)).toHaveText(WRONG);
    } finally {
      await theirs.close();
    }
    expect(path).toMatch(/^\/t\/staff\//);
  });

  test("five wrong passwords lock the email for 15 minutes, even against the right password", async ({ page, browser, baseURL }) => {
    const person = newPerson("auditor");
    await addPerson(page, person);
    const context = await signedOut(browser, baseURL!);
    try {
      const them = await context.newPage();
      await them.goto("/sign-in");
      for (let attempt = 1; attempt <= 4; attempt += 1) {
        await submitSignIn(them, person.email, `wrong-${attempt}`);
        await expect(signInAlert(them)).toHaveText(WRONG);
      }
      await submitSignIn(them, person.email, "wrong-5");
      await expect(signInAlert(them)).toHaveText(/^Too many failed sign-ins for this email\. Try again in 1[45] minutes\.$/);
      await submitSignIn(them, person.email, person.password);
      await expect(signInAlert(them)).toHaveText(/^Too many failed sign-ins/);
      await them.goto("/");
      await expect(them).toHaveURL(/\/sign-in$/);
    } finally {
      await context.close();
    }
  });

  test("an editor cannot open People → Add a person (403), and sees no New person link", async ({ browser, baseURL }) => {
    const context = await contextAs(browser, baseURL!, EDITOR);
    try {
      const editor = await context.newPage();
      await editor.goto("/t/staff");
      await expect(editor.getByRole("heading", { level: 1 })).toHaveText("People");
      await expect(editor.getByRole("link", { name: "New person" })).toHaveCount(0);
      const response = await editor.goto("/people/new");
      expect(response?.status()).toBe(403);
    } finally {
      await context.close();
    }
  });
});

test.describe("Security headers", () => {
  test("pages carry a nonce-based CSP (a fresh nonce each time), no framing, a strict referrer policy, and break no script", async ({
    page,
  }) => {
    const violations: string[] = [];
    page.on("console", (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
    });
    const first = await page.goto("/t/friend/2");
    const headers = first!.headers();
    const policy = headers["content-security-policy"]!;
    expect(policy).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{20,}' 'strict-dynamic'/);
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain("object-src 'none'");
    expect(policy).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["x-frame-options"]).toBe("DENY");
    const second = await page.goto("/t/friend/2");
    expect(second!.headers()["content-security-policy"]).not.toBe(policy);

    // The page still works under the policy: the client code runs (the review dialog opens) and nothing was refused.
    await reviewEdits(page, { Location: "Anywhere" });
    await page.keyboard.press("Escape");
    await page.goto("/");
    await expect(
      page
        .getByRole("region", { name: /^Changes per/ })
        .locator("svg.recharts-surface")
        .first(),
    ).toBeVisible();
    expect(violations).toEqual([]);
  });

  test("the session cookie is HttpOnly and SameSite", async ({ page }) => {
    await page.goto("/");
    const session = (await page.context().cookies()).find((cookie) => cookie.name.endsWith("better-auth.session_token"));
    expect(session).toMatchObject({ httpOnly: true, sameSite: "Lax" });
  });
});
