import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import GitHub from "next-auth/providers/github";
import Google from "next-auth/providers/google";
import type { Provider } from "next-auth/providers";
import { signInInput } from "@/lib/validation/auth";
import { env } from "@/server/config/env";
import { logger } from "./logger";
import { getDb } from "./db";
import { clientAddress } from "./http/client-address";
import { LoginLockedError, loginGuard, signInWithPassword } from "./services/login-guard";
import { upsertOAuthUser } from "./services/users";

/** A sign-in refused because the account is locked after repeated failures (the form says so). */
export class AccountLocked extends CredentialsSignin {
  code = "locked";
}

/** A sign-in refused because the address it comes from failed too often, across accounts. */
export class AddressLocked extends CredentialsSignin {
  code = "locked-address";
}

declare module "next-auth" {
  interface Session {
    user: { id: string; email?: string | null; name?: string | null; image?: string | null };
  }
}

function providers(): Provider[] {
  const e = env();
  const list: Provider[] = [
    Credentials({
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      authorize: async (raw, request) => {
        const parsed = signInInput.safeParse(raw);
        if (!parsed.success) return null;
        try {
          const user = await signInWithPassword(getDb(), loginGuard(), {
            ...parsed.data,
            client: clientAddress(request?.headers, e.TRUST_PROXY),
          });
          return user ? { id: user.id, email: user.email, name: user.name } : null;
        } catch (error) {
          if (error instanceof LoginLockedError)
            throw error.by === "client" ? new AddressLocked() : new AccountLocked();
          throw error;
        }
      },
    }),
  ];
  // Optional providers, switched on only when configured.
  if (e.AUTH_GITHUB_ID && e.AUTH_GITHUB_SECRET)
    list.push(GitHub({ clientId: e.AUTH_GITHUB_ID, clientSecret: e.AUTH_GITHUB_SECRET }));
  if (e.AUTH_GOOGLE_ID && e.AUTH_GOOGLE_SECRET)
    list.push(Google({ clientId: e.AUTH_GOOGLE_ID, clientSecret: e.AUTH_GOOGLE_SECRET }));
  return list;
}

export function enabledOAuthProviders(): { id: string; name: string }[] {
  const e = env();
  return [
    ...(e.AUTH_GITHUB_ID ? [{ id: "github", name: "GitHub" }] : []),
    ...(e.AUTH_GOOGLE_ID ? [{ id: "google", name: "Google" }] : []),
  ];
}

const config = (): NextAuthConfig => ({
  secret: env().AUTH_SECRET,
  trustHost: true,
  // Credentials sign-in requires JWT sessions; the API re-reads the user (and role) per request.
  session: { strategy: "jwt", maxAge: 7 * 24 * 60 * 60 },
  pages: { signIn: "/signin" },
  logger: {
    // A wrong password is an ordinary event, not a server error with a stack trace.
    error(error) {
      // `type` survives minification; the class name does not.
      const type = (error as { type?: string }).type ?? error.name;
      if (type === "CredentialsSignin") return;
      logger.error({ type, err: error.message }, "auth error");
    },
    warn(code) {
      logger.warn({ code }, "auth warning");
    },
  },
  providers: providers(),
  callbacks: {
    async jwt({ token, user, account, profile }) {
      if (account && account.provider !== "credentials") {
        const email = profile?.email ?? user?.email;
        if (!email) throw new Error("The provider did not return an email address");
        const linked = await upsertOAuthUser(
          getDb(),
          { email, name: user?.name, image: user?.image },
          { provider: account.provider, providerAccountId: account.providerAccountId, type: account.type },
        );
        token.sub = linked.id;
      } else if (user?.id) {
        token.sub = user.id;
      }
      return token;
    },
    session({ session, token }) {
      if (token.sub) session.user.id = token.sub;
      return session;
    },
  },
});

export const { handlers, auth, signIn, signOut } = NextAuth(config);
