import { ApiTokens } from "@/components/api-tokens";

export const metadata = { title: "API tokens" };

export default function ApiTokensPage() {
  return <ApiTokens />;
}
