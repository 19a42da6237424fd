// The colour scheme a person picked; "system" follows prefers-color-scheme.
export const THEMES = ["system", "light", "dark"] as const;
export type Theme = (typeof THEMES)[number];
export const THEME_COOKIE = "theme";

export function parseTheme(value: string | undefined): Theme {
  return THEMES.find((theme) => theme === value) ?? "system";
}

/** The class the <html> element carries; none lets the system decide. */
export function themeClass(theme: Theme): string | undefined {
  return theme === "system" ? undefined : theme;
}
