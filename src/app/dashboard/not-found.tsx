import { StatusPage } from "@/components/status-page";

export default function DashboardNotFound() {
  return (
    <StatusPage code={404} title="There is nothing here" inDashboard>
      The address may be mistyped, what it pointed to was removed, or it belongs to another account.
    </StatusPage>
  );
}
