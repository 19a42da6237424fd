import { StatusPage } from "@/components/status-page";

export const metadata = { title: "Not found" };

export default function NotFound() {
  return (
    <StatusPage code={404} title="There is nothing here">
      The address may be mistyped, or what it pointed to was removed.
    </StatusPage>
  );
}
