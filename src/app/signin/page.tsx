import { localPath } from "@/lib/local-path";
import Link from "next/link";
import { redirect } from "next/navigation";
import { oauthSignInAction } from "@/app/actions/auth";
import { AuthCard } from "@/components/auth/auth-card";
import { AuthForm } from "@/components/auth/auth-form";
import { auth, enabledOAuthProviders } from "@/server/auth";

export const metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  const { callbackUrl } = await searchParams;
  const target = localPath(callbackUrl);
  if ((await auth())?.user) redirect(target);
  const providers = enabledOAuthProviders();
  return (
    <AuthCard title="Sign in">
      <AuthForm mode="signIn" callbackUrl={target} />
      {providers.length ? (
        <div className="mt-6 space-y-2 border-t border-slate-200 pt-6">
          {providers.map((p) => (
            <form key={p.id} action={oauthSignInAction}>
              <input type="hidden" name="provider" value={p.id} />
              <input type="hidden" name="callbackUrl" value={target} />
              <button
                type="submit"
                className="w-full rounded-md border border-slate-300 px-4 py-2 text-sm hover:bg-slate-50"
              >
                Continue with {p.name}
              </button>
            </form>
          ))}
        </div>
      ) : null}
      <p className="mt-6 text-sm text-slate-600">
        No account yet?{" "}
        <Link href="/signup" className="font-medium text-indigo-600 hover:underline">
          Sign up
        </Link>
      </p>
    </AuthCard>
  );
}
