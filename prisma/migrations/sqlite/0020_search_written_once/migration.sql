-- Issue 19: on PostgreSQL, a run's search row is written once (when it finishes) and a job's search text
-- moves to a table of its own, because every write to a pg_trgm GIN index is costly. SQLite's FTS5 table
-- and Task."searchText" serve search as they are: nothing changes here.
SELECT 1;
