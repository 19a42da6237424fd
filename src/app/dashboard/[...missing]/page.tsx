import { notFound } from "next/navigation";

/** Any address under /dashboard that names no page: the dashboard's own 404, inside its header. */
export default function MissingDashboardPage() {
  notFound();
}
