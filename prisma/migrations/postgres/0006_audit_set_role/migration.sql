-- AlterEnum
ALTER TYPE "AuditAction" ADD VALUE 'SET_ROLE';

