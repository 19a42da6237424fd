import { StatusPage } from "@/components/status-page";

export default function DashboardForbidden() {
  return (
    <StatusPage code={403} title="This page is not for your account" inDashboard>
      It is for administrators. If you need it, ask one of them to change your role.
    </StatusPage>
  );
}
