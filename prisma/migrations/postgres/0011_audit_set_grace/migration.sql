-- AlterEnum
ALTER TYPE "AuditAction" ADD VALUE 'SET_GRACE';

