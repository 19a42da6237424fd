import { expect, type Page } from "@playwright/test";

export const ROLES = {
  admin: { email: "admin@example.com", password: "admin-password" },
  user: { email: "demo@example.com", password: "demo-password" },
  viewer: { email: "viewer@example.com", password: "viewer-password" },
} as const;

/** Signs in through the form; lands on `landing` (the overview unless a page was asked for). */
export async function signIn(
  page: Page,
  email: string = ROLES.user.email,
  password: string = ROLES.user.password,
  landing: RegExp = /\/dashboard$/,
) {
  if (!page.url().includes("/signin")) await page.goto("/signin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(landing);
}

/** Signs out through the account menu in the header. */
export async function signOut(page: Page) {
  await page.getByTestId("account-menu").click();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin/);
}

/** Creates a fresh account through the sign-up form and lands on its overview. */
export async function signUp(
  page: Page,
  email = `new-${Date.now()}-${Math.random().toString(36).slice(2, 6)}@example.com`,
  password = "e2e-password-123",
) {
  await page.goto("/signup");
  await page.getByLabel("Name").fill("New User");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  return { email, password };
}
