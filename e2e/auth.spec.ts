import { expect, test } from "./fixtures";
import { signIn, signOut, signUp } from "./helpers";

const password = "e2e-password-123";

test("an unauthenticated visitor is sent to sign-in", async ({ page }) => {
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fdashboard|\/signin\?callbackUrl=\/dashboard/);
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
});

test("signing in returns to the very page that was asked for, filters included", async ({ page }) => {
  await page.goto("/dashboard/jobs?status=PAUSED");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fdashboard%2Fjobs%3Fstatus%3DPAUSED/);
  await signIn(page, undefined, undefined, /\/dashboard\/jobs\?status=PAUSED$/);
  await expect(page.getByRole("combobox", { name: "Status", exact: true })).toHaveValue("PAUSED");
  await expect(page.getByTestId("job-row")).toHaveCount(1); // the demo user's paused Wix token check
});

test("sign up, sign out, and sign in again", async ({ page }) => {
  const email = `e2e-${Date.now()}@example.com`;

  await page.goto("/signup");
  await page.getByLabel("Name").fill("E2E User");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();

  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByTestId("signed-in-user")).toHaveText(email);
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  await expect(page.getByTestId("stat-tasks")).toHaveText("0"); // a new user owns no tasks yet

  await signOut(page);
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/signin/);

  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByTestId("signed-in-user")).toHaveText(email);
});

test("a wrong password and bad sign-up input get form messages", async ({ page }) => {
  await page.goto("/signin");
  await page.getByLabel("Email").fill("demo@example.com");
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.locator("form").getByRole("alert")).toHaveText("Wrong email or password");
  await expect(page).toHaveURL(/\/signin/);

  await page.goto("/signup");
  await page.getByLabel("Name").fill("Someone");
  await page.getByLabel("Email").fill("not-an-email");
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("Enter a valid email address")).toBeVisible();
  await expect(page.getByText("Password must be at least 8 characters")).toBeVisible();

  await page.getByLabel("Email").fill("demo@example.com");
  await page.getByLabel("Password").fill("long-enough-password");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("An account with this email already exists")).toBeVisible();
});

test("repeated wrong passwords lock the account for a while, even against the right password", async ({ page }) => {
  const email = `locked-${Date.now()}@example.com`;
  await page.goto("/signup");
  await page.getByLabel("Name").fill("Locked Out");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("right-password-123");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await signOut(page);

  const attempt = async (password: string) => {
    await page.goto("/signin");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
  };
  for (let i = 0; i < 5; i++) {
    await attempt("wrong-password");
    await expect(page.locator("form").getByRole("alert")).toHaveText("Wrong email or password");
  }
  await attempt("right-password-123");
  await expect(page.locator("form").getByRole("alert")).toHaveText(/Too many failed sign-ins/);
  await expect(page).toHaveURL(/\/signin/);
});

test("a sign-in link cannot send a person to another site, however the path is written", async ({ page }) => {
  for (const trick of ["/\\evil.example/x", "/\t/evil.example/x", "//evil.example/x", "https://evil.example/"]) {
    await page.goto(`/signin?callbackUrl=${encodeURIComponent(trick)}`);
    await expect(page.locator('input[name="callbackUrl"]').first()).toHaveValue("/dashboard");
  }
  await signIn(page); // from the last of them: lands on the overview, on this site
});

test("too many changes in a minute is a 429 that says how long to wait, not an error of the server", async ({
  page,
}) => {
  await signUp(page); // a fresh account: its own budget of changes
  await page.goto("/dashboard/jobs"); // the pages' bundle reads the limits first, as in real use
  const statuses: number[] = [];
  let last: { error: { json: { message: string; data: { code: string; httpStatus: number } } } } | null = null;
  for (let i = 0; i < 121; i++) {
    const response = await page.request.post("/api/trpc/platform.reconcile", {
      headers: { "content-type": "application/json" },
      data: { json: null },
    });
    statuses.push(response.status());
    if (response.status() !== 200) last = await response.json();
  }
  expect(statuses.slice(0, 120).every((s) => s === 200)).toBe(true);
  expect(statuses[120]).toBe(429);
  expect(last?.error.json.data.code).toBe("TOO_MANY_REQUESTS");
  expect(last?.error.json.message).toMatch(/^Too many changes in a short time: try again in \d+ s$/);
  // Reads have their own budget: the page still loads.
  await page.reload();
  await expect(page.getByRole("heading", { name: "Jobs" })).toBeVisible();
});
