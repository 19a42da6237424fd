import { forbidden } from "next/navigation";
import { Admin } from "@/components/admin";
import { auth } from "@/server/auth";
import { getDb } from "@/server/db";
import { findSessionUser } from "@/server/services/users";

export const metadata = { title: "Administration" };

export default async function AdminPage() {
  const session = await auth();
  const user = session?.user?.id ? await findSessionUser(getDb(), session.user.id) : null;
  // Signed-in but not an admin: our "not allowed" page (403). Signed out, the layout sends to sign-in.
  if (user && user.role !== "ADMIN") forbidden();
  return <Admin />;
}
