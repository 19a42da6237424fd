import { SavedViews } from "@/components/saved-views";

export const metadata = { title: "Saved views" };

export default function SavedViewsPage() {
  return <SavedViews />;
}
