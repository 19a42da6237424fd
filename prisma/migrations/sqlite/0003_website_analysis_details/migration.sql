-- AlterTable
ALTER TABLE "WebsiteAnalysis" ADD COLUMN "details" JSONB;
ALTER TABLE "WebsiteAnalysis" ADD COLUMN "finalUrl" TEXT;
ALTER TABLE "WebsiteAnalysis" ADD COLUMN "seoScore" INTEGER;
ALTER TABLE "WebsiteAnalysis" ADD COLUMN "ttfbMs" INTEGER;

