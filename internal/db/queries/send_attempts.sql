-- name: LockOrder :one
-- Reads an order and holds its row until the transaction ends, so nothing
-- else moves it between the sender's check and its update.
SELECT * FROM orders WHERE id = @id FOR UPDATE;

-- name: BeginSendAttempt :one
WITH bumped AS (
    UPDATE orders SET send_attempts = orders.send_attempts + 1, sent_at = coalesce(orders.sent_at, now()), updated_at = now()
    WHERE orders.id = @order_id
    RETURNING orders.id AS order_id, orders.send_attempts AS attempt, orders.params_sha256 AS params_sha256
)
INSERT INTO send_attempts (order_id, attempt, params_sha256, replica)
SELECT bumped.order_id, bumped.attempt, bumped.params_sha256, @replica FROM bumped
RETURNING send_attempts.id, send_attempts.attempt;

-- name: FinishSendAttempt :exec
UPDATE send_attempts
SET finished_at = now(), outcome = @outcome, request_id = @request_id, error_code = @error_code,
    error_message = @error_message, http_status = @http_status, sent = @sent, received = @received,
    sent_sha256 = @sent_sha256
WHERE id = @id;

-- name: RecordOrderOutcome :exec
UPDATE orders
SET outcome = @outcome, request_id = @request_id, error_code = @error_code, error_message = @error_message,
    response = @response, deal_names = @deal_names, big_deal_id = @big_deal_id,
    instance_ids = @instance_ids, billing_order_id = @billing_order_id,
    finished_at = CASE WHEN @final::boolean THEN now() ELSE finished_at END, updated_at = now()
WHERE id = @id;

-- name: ListSendAttempts :many
SELECT * FROM send_attempts WHERE order_id = @order_id ORDER BY attempt;

-- name: SetSettlementNote :exec
UPDATE orders SET settlement_note = @note, updated_at = now() WHERE id = @id;

-- name: InterruptOpenSendAttempts :execrows
-- Closes the order's attempts a console left open when it stopped before
-- recording them (it died mid-call, or a shutdown cut a resend short), once
-- they are older than older_than_seconds. The clock is the statement's, not
-- the transaction's: a caller that waited for the order's row lock must also
-- close the attempt the lock's holder opened meanwhile, so 0 closes every
-- open attempt. An attempt that never reached the call is closed as
-- not_called: nothing of it left the console.
UPDATE send_attempts
SET finished_at = now(),
    outcome = CASE WHEN calling_at IS NULL THEN 'not_called' ELSE 'interrupted' END,
    error_message = CASE WHEN calling_at IS NULL
        THEN 'The console stopped before this call was made; nothing was sent.'
        ELSE 'The console stopped while this call was in flight; its answer, if any, was never recorded.' END
WHERE order_id = @order_id AND finished_at IS NULL
  AND started_at <= clock_timestamp() - make_interval(secs => @older_than_seconds::float8);

-- name: MarkAttemptCalling :execrows
-- Records, just before the request is written, that the call may now reach
-- Tencent Cloud, and the SecretId that signs it. Committed on its own: a
-- crash after it leaves evidence that the call may have left.
UPDATE send_attempts SET calling_at = now(), secret_id = @secret_id
WHERE id = @id AND finished_at IS NULL AND calling_at IS NULL;

-- name: OrderMayHaveBeenSent :one
-- Whether any attempt of the order reached the call without an answer that
-- proves nothing was bought.
SELECT EXISTS (
    SELECT 1 FROM send_attempts
    WHERE order_id = @order_id AND calling_at IS NOT NULL
      AND outcome NOT IN ('rejected', 'throttled', 'not_sent', 'not_called')
)::boolean AS may_have_been_sent;

-- name: FirstCallSecretID :one
-- The SecretId that signed the order's first call that may have reached
-- Tencent Cloud ('' when none was recorded).
SELECT coalesce((
    SELECT secret_id FROM send_attempts
    WHERE order_id = @order_id AND calling_at IS NOT NULL
      AND outcome NOT IN ('rejected', 'throttled', 'not_sent', 'not_called')
    ORDER BY attempt LIMIT 1), '')::text AS secret_id;
