import { expect, type Page } from "@playwright/test";

export async function signIn(page: Page, email = "demo@example.com", password = "demo-password") {
  await page.goto("/signin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
}
