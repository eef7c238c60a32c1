-- Reserved for branch `i18n`, which owns migration 025 this session. Branch
-- `rules` (migrations 026, 027) needs the numbers before it to exist, since
-- tern refuses a gap. This file does nothing: delete it when `i18n`'s own
-- 025 lands (a duplicate number is refused too).
SELECT 1;

---- create above / drop below ----

SELECT 1;
