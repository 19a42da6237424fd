import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Native and driver packages stay in node_modules instead of being bundled.
  serverExternalPackages: ["better-sqlite3", "pg", "@prisma/adapter-better-sqlite3", "@prisma/adapter-pg", "bcryptjs"],
  poweredByHeader: false,
  typedRoutes: false,
};

export default nextConfig;
