import Link from "next/link";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/auth/auth-card";
import { AuthForm } from "@/components/auth/auth-form";
import { auth } from "@/server/auth";

export const metadata = { title: "Sign up" };

export default async function SignUpPage() {
  if ((await auth())?.user) redirect("/dashboard");
  return (
    <AuthCard title="Create your account">
      <AuthForm mode="signUp" />
      <p className="mt-6 text-sm text-slate-600">
        Already have an account?{" "}
        <Link href="/signin" className="font-medium text-indigo-600 hover:underline">
          Sign in
        </Link>
      </p>
    </AuthCard>
  );
}
