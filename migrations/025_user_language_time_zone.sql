-- Issue 15: each person's language and time zone. NULL is "not chosen":
-- the language then follows the browser's Accept-Language and the zone
-- CONSOLE_DEFAULT_TIMEZONE, so a setting changes only when its owner
-- changes it. Stored times stay UTC; the zone only says how to show them.
ALTER TABLE users
  ADD COLUMN language text CHECK (language IN ('en', 'zh-CN')),
  ADD COLUMN time_zone text CHECK (time_zone <> '' AND length(time_zone) <= 64);

---- create above / drop below ----

ALTER TABLE users DROP COLUMN language, DROP COLUMN time_zone;
