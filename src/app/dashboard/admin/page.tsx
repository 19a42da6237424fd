import { notFound } from "next/navigation";
import { Admin } from "@/components/admin";
import { auth } from "@/server/auth";
import { getDb } from "@/server/db";
import { findSessionUser } from "@/server/services/users";

export const metadata = { title: "Administration" };

export default async function AdminPage() {
  const session = await auth();
  const user = session?.user?.id ? await findSessionUser(getDb(), session.user.id) : null;
  if (user?.role !== "ADMIN") notFound(); // not even its existence for others
  return <Admin />;
}
