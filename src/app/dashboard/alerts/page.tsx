import { Alerts } from "@/components/alerts";

export const metadata = { title: "Alerts" };

export default function AlertsPage() {
  return <Alerts />;
}
