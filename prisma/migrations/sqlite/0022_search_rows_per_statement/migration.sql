-- Issue 19: on PostgreSQL the search rows of runs are written once per statement instead of once per row.
-- SQLite has no statement-level triggers; its FTS5 triggers stay as they are.
SELECT 1;
