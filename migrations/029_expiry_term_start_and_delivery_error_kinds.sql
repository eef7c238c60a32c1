-- Issue 18, remaining parts 1 and 5.

-- Part 1: when the term of the order that last moved an instance's expiry
-- began (the purchase's success, or the expiry a renewal carried on from),
-- so that a bill naming another term than the order's moves the expiry to
-- start + the bill's term. NULL for rows recorded before this column: their
-- expiry is left as it is.
ALTER TABLE instance_expiries ADD COLUMN term_start timestamptz;

-- Part 5: the delivery log keeps a failure's kind (and its HTTP or SMTP
-- status), never an error's text, which could carry a webhook URL with its
-- key or an SMTP server's words. Errors written before are replaced by the
-- kind "other"; their text is in the server's logs.
UPDATE deliveries SET last_error = 'other'
WHERE last_error <> '' AND last_error !~ '^[a-z_]{1,40}(:[0-9]{1,6})?$';
ALTER TABLE deliveries ADD CONSTRAINT deliveries_last_error_kind_check
    CHECK (last_error ~ '^([a-z_]{1,40}(:[0-9]{1,6})?)?$');

---- create above / drop below ----

ALTER TABLE deliveries DROP CONSTRAINT deliveries_last_error_kind_check;
ALTER TABLE instance_expiries DROP COLUMN term_start;
