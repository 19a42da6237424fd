import { Overview } from "@/components/overview";

export const metadata = { title: "Overview" };

export default function DashboardPage() {
  return <Overview />;
}
