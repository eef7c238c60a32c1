-- PLACEHOLDER, NOT A REAL MIGRATION. Do not ship this file.
--
-- Migration 010 belongs to the chaos branch, which is being written at the
-- same time as 011_duplicate_guard.sql on the dup branch. tern refuses a gap
-- in the numbering ("Missing migration 10"), so this no-op stands in for 010
-- while dup is tested on its own. When dup is merged after chaos, delete this
-- file and keep chaos's 010 (two 010 files make tern refuse to start with
-- "Duplicate migration 10", so the mistake cannot pass unnoticed). Never
-- deploy dup without chaos's 010: a database that ran this no-op as 010 would
-- skip the real one.
SELECT 1;

---- create above / drop below ----

SELECT 1;
