import { StatusPage } from "@/components/status-page";

export const metadata = { title: "Not allowed" };

export default function Forbidden() {
  return (
    <StatusPage code={403} title="This page is not for your account">
      It is for administrators. If you need it, ask one of them to change your role.
    </StatusPage>
  );
}
