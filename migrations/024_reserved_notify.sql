-- Reserved for branch `notify`, which owns migration 024 this session. Branch
-- `rules` (migrations 026, 027) needs the numbers before it to exist, since
-- tern refuses a gap. This file does nothing: delete it when `notify`'s own
-- 024 lands (a duplicate number is refused too).
SELECT 1;

---- create above / drop below ----

SELECT 1;
