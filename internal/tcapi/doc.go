// Package tcapi is Dealdesk's Tencent Cloud API 3.0 layer: typed requests and
// responses for the three purchase actions (WAF GenerateDealsAndPayNew,
// Billing CreateInstance, TCB CreateBillDeal) and the two billing reads that
// support them (DescribeDealsByCond, DescribeAccountBalance), the rules each
// request must meet, the error catalog, the rate limiter, and a Client that
// signs and sends calls through the official SDK's common package.
//
// # Sending
//
//	c, err := tcapi.NewClient(tcapi.ClientConfig{Endpoint: cfg.TencentCloudEndpoint})
//	res, err := c.Send(ctx, creds, req)
//	switch res.Outcome { ... }
//
// Send validates the request first and sends nothing if a rule fails. What
// it sends is the request's JSON encoding: parameters the caller left nil are
// not sent, so the service applies its documented defaults and Dealdesk
// never invents a value nobody approved. Result.Sent keeps the body exactly
// as it went on the wire.
//
// # Outcomes
//
// Money moves on these calls, so every call ends in one of six outcomes, each
// drawn by what can be known about the service's side:
//
//   - Succeeded: the service answered success. For WAF that means Status 1:
//     the official example shows Status 0 next to a success message, so a
//     bare answer is not enough.
//   - Rejected: the service answered an error. It decided, and nothing was
//     bought. The error code and its catalog explanation say why.
//   - Throttled: the service answered RequestLimitExceeded. Nothing was done;
//     the same call may go again later.
//   - NotSent: no connection was ever opened (DNS failure, connection
//     refused, TLS failure), or the call stopped before the network: invalid
//     request, context ended while waiting for the rate limiter. Nothing can
//     have reached the service, so the call may go again.
//   - Unknown: a connection was opened and then no readable answer came back:
//     timeout, connection reset or dropped after the request was written, an
//     answer that is not HTTP 200 (the service answers everything with 200,
//     so a 5xx or a redirect came from something in between), an answer that
//     cannot be parsed or lacks the RequestId every genuine answer carries.
//     The request may have arrived and may have bought. The line is drawn at
//     "connection opened", not "request fully written", because that is the
//     last point at which it is certain nothing left.
//     InternalError is also Unknown although it is an answered error: a
//     purchase backend that failed inside may have created or paid the order
//     first. Unknown calls are settled, never blindly resent: CreateInstance
//     and RenewInstance by resending with their stored ClientToken (the
//     service then returns the first order instead of buying again); WAF and
//     TCB by a person, since they have no idempotency token (the
//     reconciliation job's DescribeDealsByCond lookups propose what to record).
//   - NeedsReview: the service answered without an error, but the answer does
//     not prove success: WAF Status 0 with deal names (deals exist and may be
//     unpaid), a WAF answer without Status, a CreateInstance answer without
//     an OrderId, a RenewInstance answer without an OrderIdList. A person looks; it is not a silent failure.
//
// Outcome.SafeToResend is true only for Throttled and NotSent.
//
// # What the client never does
//
// It never retries: the SDK's network and rate-limit retries are off (they
// sleep without honouring the context, and a network retry could buy twice),
// redirects are not followed (a 307 would re-send the body), and every resend
// is the caller's decision, made from the outcome. It never generates a
// ClientToken at send time (see NewClientToken). It never turns on the SDK's
// debug output, which prints the Authorization and X-TC-Token headers. It
// never shares its HTTP transport.
//
// # Rate limits
//
// Each action allows 20 calls per second per account. The Client waits on a
// Limiter before every call, keyed by SecretId, service and action, so the
// service never has to throttle; LocalLimiter does this within one process,
// and the Limiter interface lets a multi-replica deployment coordinate.
//
// The sandbox in tcsim answers these actions the way the service does and
// applies the same validation code (ParseRequest), so a rule lives in one
// place.
package tcapi
