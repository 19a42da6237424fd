-- AlterTable
ALTER TABLE "WebsiteAnalysis" ADD COLUMN     "details" JSONB,
ADD COLUMN     "finalUrl" TEXT,
ADD COLUMN     "seoScore" INTEGER,
ADD COLUMN     "ttfbMs" INTEGER;

