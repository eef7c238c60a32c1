-- Reserved for branch `spend`, which owns migration 021 this session. Branch
-- `rules` (migrations 026, 027) needs the numbers before it to exist, since
-- tern refuses a gap. This file does nothing: delete it when `spend`'s own
-- 021 lands (a duplicate number is refused too).
SELECT 1;

---- create above / drop below ----

SELECT 1;
