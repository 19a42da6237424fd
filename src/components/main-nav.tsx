"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { Fragment, Suspense, useEffect, useRef, useState } from "react";
import { signOutAction } from "@/app/actions/auth";
import type { Theme } from "@/lib/theme";
import { AlertBell } from "./alert-bell";
import { SavedViewsMenu, SavedViewsSection, viewPageAt } from "./saved-views-nav";
import { ThemeToggle } from "./ui/theme-toggle";

export interface NavItem {
  href: string;
  label: string;
}

/** The overview is current only on itself; every other item also on the pages below it (a task under Jobs). */
function isCurrent(pathname: string, href: string) {
  return href === "/dashboard" ? pathname === href : pathname === href || pathname.startsWith(`${href}/`);
}

/**
 * The header: the brand, the pages (the current one marked), and an account menu with the theme and
 * sign-out. One line on a desktop; on a phone the pages fold into a Menu button.
 */
export function MainNav({
  items,
  email,
  role,
  theme,
}: {
  items: NavItem[];
  email: string;
  role: string;
  theme: Theme;
}) {
  const pathname = usePathname();
  const [menuOpen, setMenuOpen] = useState(false);
  const [accountOpen, setAccountOpen] = useState(false);
  const account = useRef<HTMLDivElement>(null);
  const menuButton = useRef<HTMLButtonElement>(null);

  // The account menu closes on Escape (the focus back on its button) and on a click elsewhere.
  useEffect(() => {
    if (!accountOpen) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== "Escape") return;
      setAccountOpen(false);
      account.current?.querySelector("button")?.focus();
    };
    const onClick = (event: MouseEvent) =>
      account.current && !account.current.contains(event.target as Node) && setAccountOpen(false);
    document.addEventListener("keydown", onKey);
    document.addEventListener("click", onClick);
    return () => {
      document.removeEventListener("keydown", onKey);
      document.removeEventListener("click", onClick);
    };
  }, [accountOpen]);

  // The phone menu closes on Escape wherever the focus is (its button, a link in it), the focus back on its button.
  useEffect(() => {
    if (!menuOpen) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== "Escape") return;
      setMenuOpen(false);
      menuButton.current?.focus();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [menuOpen]);

  /** In the bar, Logs and Jobs are followed by a menu of their saved views; the phone menu lists them below. */
  const links = (className: string, { bar = false } = {}) =>
    items.map((item) => {
      const current = isCurrent(pathname, item.href);
      const viewPage = bar ? viewPageAt(item.href) : null;
      return (
        <Fragment key={item.href}>
          <Link
            href={item.href}
            aria-current={current ? "page" : undefined}
            onClick={() => setMenuOpen(false)}
            className={`${className} ${current ? "bg-indigo-50 font-medium text-indigo-800" : "text-slate-600 hover:bg-slate-100 hover:text-slate-900"}`}
          >
            {item.label}
          </Link>
          {viewPage ? (
            <Suspense fallback={null}>
              <SavedViewsMenu page={viewPage} />
            </Suspense>
          ) : null}
        </Fragment>
      );
    });
  const viewPages = items.map((item) => viewPageAt(item.href)).filter((page) => page !== null);

  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-7xl items-center gap-3 px-4 py-2.5 sm:px-6">
        <Link href="/dashboard" className="mr-2 flex shrink-0 items-center gap-2 font-semibold text-indigo-700">
          {/* eslint-disable-next-line @next/next/no-img-element -- a 24 px static SVG needs no image pipeline */}
          <img src="/icon.svg" alt="" width={24} height={24} />
          <span className="hidden sm:inline">Scheduler Dashboard</span>
          <span className="sm:hidden">Scheduler</span>
        </Link>
        <nav aria-label="Main" className="hidden min-w-0 flex-1 items-center gap-0.5 xl:flex">
          {links("whitespace-nowrap rounded-md px-2 py-1.5 text-sm", { bar: true })}
        </nav>
        <div className="ml-auto flex min-w-0 items-center gap-2">
          <AlertBell />
          <div ref={account} className="relative min-w-0">
            <button
              type="button"
              aria-expanded={accountOpen}
              aria-haspopup="true"
              onClick={() => setAccountOpen((open) => !open)}
              className="flex w-full max-w-72 min-w-0 items-center xl:max-w-56 gap-1.5 rounded-md border border-slate-300 px-2.5 py-1.5 text-sm hover:bg-slate-50"
              data-testid="account-menu"
            >
              <span className="truncate" data-testid="signed-in-user">
                {email}
              </span>
              {role !== "USER" ? (
                <span className="hidden rounded bg-slate-100 px-1.5 py-0.5 text-xs font-medium sm:inline">{role}</span>
              ) : null}
              <span aria-hidden="true">▾</span>
            </button>
            {accountOpen ? (
              <div className="absolute right-0 z-30 mt-1 w-60 space-y-3 rounded-md border border-slate-200 bg-white p-3 shadow-lg">
                <p className="break-all text-sm text-slate-600">
                  Signed in as <span className="font-medium text-slate-900">{email}</span>
                  {role !== "USER" ? (
                    <span className="ml-1 rounded bg-slate-100 px-1.5 py-0.5 text-xs font-medium">{role}</span>
                  ) : null}
                  {role === "VIEWER" ? (
                    <span className="block text-xs">Read-only: you can look, not change.</span>
                  ) : null}
                </p>
                <ThemeToggle initial={theme} />
                <form action={signOutAction}>
                  <button
                    type="submit"
                    className="w-full rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-50"
                  >
                    Sign out
                  </button>
                </form>
              </div>
            ) : null}
          </div>
          <button
            ref={menuButton}
            type="button"
            aria-expanded={menuOpen}
            aria-controls="mobile-nav"
            onClick={() => setMenuOpen((open) => !open)}
            className="shrink-0 rounded-md border border-slate-300 px-2.5 py-1.5 text-sm hover:bg-slate-50 xl:hidden"
          >
            Menu
          </button>
        </div>
      </div>
      {menuOpen ? (
        <nav
          id="mobile-nav"
          aria-label="Main"
          className="mx-auto grid max-w-7xl gap-0.5 border-t border-slate-200 px-4 py-2 sm:grid-cols-3 sm:px-6 xl:hidden"
        >
          {links("rounded-md px-2 py-2 text-sm")}
          <Suspense fallback={null}>
            <SavedViewsSection pages={viewPages} onNavigate={() => setMenuOpen(false)} />
          </Suspense>
        </nav>
      ) : null}
    </header>
  );
}
