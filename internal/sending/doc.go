// Package sending sends approved orders to Tencent Cloud exactly once and
// records what came of it.
//
// One send, as Sender.Send carries it out:
//
//  1. In a transaction holding the order's row: check that the order is
//     approved and that its parameters hash to the hash that was approved,
//     move it to sending and open a send attempt. Commit: from here on the
//     order says "a call may be in flight".
//  2. Open the account's credentials, wait for the shared rate limit, call,
//     with a deadline.
//  3. In a second transaction, record the outcome and the bytes sent and
//     received, and move the order on: succeeded; failed (the service
//     refused: nothing bought); back to approved (throttled or never sent:
//     safe to try again, and the job is retried); or unknown (it may have
//     bought). Every move writes its audit event in the same transaction.
//
// A job that finds its order already sending met a crash in step 2. For WAF
// and TCB it must not call again, since a second call could buy a second
// time: it marks the order unknown for a person to settle. CreateInstance
// and RenewInstance carry their ClientToken (the registry's UsesClientToken),
// which makes a resend safe, so they are resent.
package sending
