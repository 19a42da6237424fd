import { notFound } from "next/navigation";
import { Intervention } from "@/components/intervention";
import { features } from "@/server/config/env";

export const metadata = { title: "Intervention" };

export default function InterventionPage() {
  if (!features().tasks) notFound();
  return <Intervention />;
}
