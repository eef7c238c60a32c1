package db

// The audit log's vocabulary: every action an AuditEvent may name, in one
// place, so a reader (or the auditor's filter) finds them all and a typo is
// a compile error. The values are stored; never change one that has shipped.
const (
	// Orders: composing, approval, sending and settling.
	ActionOrderAnswerAfterSettlement = "order.answer_after_settlement"
	ActionOrderAnswerReplayed        = "order.answer_replayed"
	ActionOrderAwaitingPayment       = "order.awaiting_payment"
	ActionOrderApprovalGiven         = "order.approval_given"
	ActionOrderApproved              = "order.approved"
	// ActionOrderApprovalExpired: an approved order was not sent within its
	// rule's validity and returned for approval (migration 028).
	ActionOrderApprovalExpired = "order.approval_expired"
	// ActionOrderApprovalExpiring: the requester and approvers were told
	// that an approved order's approval expires soon.
	ActionOrderApprovalExpiring = "order.approval_expiring"
	// Delivery on a date (migration 028): set or cleared, and a scheduled
	// send taken back before it started.
	ActionOrderDeliverySet       = "order.delivery_set"
	ActionOrderDeliveryCleared   = "order.delivery_cleared"
	ActionOrderDeliveryCancelled = "order.delivery_cancelled"
	// ActionOrderDeliveryShortOfFunds: at its delivery time the balance
	// was short of the order's estimate plus what is approved and waiting;
	// nothing was sent and the order stays approved.
	ActionOrderDeliveryShortOfFunds = "order.delivery_short_of_funds"
	ActionOrderBillLookedUp         = "order.bill_looked_up"
	ActionOrderCancelled            = "order.cancelled"
	ActionOrderCloned               = "order.cloned"
	ActionOrderCreated              = "order.created"
	ActionOrderDeleted              = "order.deleted"
	ActionOrderEdited               = "order.edited"
	ActionOrderFailed               = "order.failed"
	ActionOrderOutcomeUnknown       = "order.outcome_unknown"
	ActionOrderPaymentAbandoned     = "order.payment_abandoned"
	ActionOrderPaymentConfirmed     = "order.payment_confirmed"
	ActionOrderRejected             = "order.rejected"
	ActionOrderRenewalDrafted       = "order.renewal_drafted"
	// ActionOrderRenewalDue: the console drafted a renewal itself, its
	// account's lead time before the instance's expiry having begun.
	ActionOrderRenewalDue = "order.renewal_due"
	// ActionInstanceExpiryRecorded: a succeeded purchase or renewal set
	// when an instance expires (migration 024).
	ActionInstanceExpiryRecorded           = "instance.expiry_recorded"
	ActionOrderResendAnswerAfterSettlement = "order.resend_answer_after_settlement"
	ActionOrderResendInconclusive          = "order.resend_inconclusive"
	ActionOrderResendingWithClientToken    = "order.resending_with_client_token"
	ActionOrderSendDeferred                = "order.send_deferred"
	ActionOrderSendFailed                  = "order.send_failed"
	ActionOrderSendInterrupted             = "order.send_interrupted"
	ActionOrderSendRequested               = "order.send_requested"
	ActionOrderSendResumed                 = "order.send_resumed"
	ActionOrderSending                     = "order.sending"
	ActionOrderSettledByLateAnswer         = "order.settled_by_late_answer"
	ActionOrderSettledAwaitingPayment      = "order.settled_awaiting_payment"
	ActionOrderSettledByResend             = "order.settled_by_resend"
	ActionOrderSettledFailed               = "order.settled_failed"
	ActionOrderSettledSucceeded            = "order.settled_succeeded"
	ActionOrderSubmitted                   = "order.submitted"
	ActionOrderSucceeded                   = "order.succeeded"
	ActionOrderWithdrawn                   = "order.withdrawn"

	// Staff accounts.
	ActionUserCreated              = "user.created"
	ActionUserDisabled             = "user.disabled"
	ActionUserEnabled              = "user.enabled"
	ActionUserPasswordChangeFailed = "user.password_change_failed"
	ActionUserPasswordChanged      = "user.password_changed"
	ActionUserPasswordReset        = "user.password_reset"
	ActionUserPasswordSet          = "user.password_set"
	ActionUserUpdated              = "user.updated"
	ActionUserPreferencesChanged   = "user.preferences_changed"

	// Sessions.
	ActionSessionEnded    = "session.ended"
	ActionSessionEndedAll = "session.ended_all"

	// Signing in and out.
	ActionLogin          = "auth.login"
	ActionLoginFailed    = "auth.login_failed"
	ActionLoginThrottled = "auth.login_throttled"
	ActionLogout         = "auth.logout"

	// Tencent Cloud accounts.
	ActionAccountCreated      = "tencentcloud_account.created"
	ActionAccountDisabled     = "tencentcloud_account.disabled"
	ActionAccountEnabled      = "tencentcloud_account.enabled"
	ActionAccountKeysReplaced = "tencentcloud_account.keys_replaced"
	ActionAccountResealed     = "tencentcloud_account.resealed"
	// ActionAccountRenewalLeadDaysSet: an admin changed how many days
	// before expiry the account's renewals are drafted (issue 18).
	ActionAccountRenewalLeadDaysSet = "tencentcloud_account.renewal_lead_days_set"

	// Approval policies.
	ActionPolicyCreated = "approval_policy.created"
	ActionPolicyDeleted = "approval_policy.deleted"
	ActionPolicyUpdated = "approval_policy.updated"

	// Approval rules of a policy (issue 17).
	ActionRuleCreated = "approval_rule.created"
	ActionRuleUpdated = "approval_rule.updated"
	ActionRuleDeleted = "approval_rule.deleted"
	ActionRuleMoved   = "approval_rule.moved"

	// Approver groups and their members (issue 17).
	ActionGroupCreated       = "approver_group.created"
	ActionGroupUpdated       = "approver_group.updated"
	ActionGroupDeleted       = "approver_group.deleted"
	ActionGroupMemberAdded   = "approver_group.member_added"
	ActionGroupMemberRemoved = "approver_group.member_removed"

	// Checks of the audit chain.
	ActionAuditVerificationFailed    = "audit.verification_failed"
	ActionAuditVerificationFinished  = "audit.verification_finished"
	ActionAuditVerificationRequested = "audit.verification_requested"
	ActionAuditVerificationStarted   = "audit.verification_started"

	// API tokens.
	ActionAPITokenCreated = "api_token.created"
	ActionAPITokenRevoked = "api_token.revoked"
)

// Prices and estimates (issue 16).
const (
	ActionPriceListChanged     = "price_list.changed"
	ActionOrderEstimateChanged = "order.estimate_changed"
)

// Budgets, cost centres and the billed amount (issue 16).
const (
	ActionCostCentreCreated  = "cost_centre.created"
	ActionCostCentreRetired  = "cost_centre.retired"
	ActionCostCentreRestored = "cost_centre.restored"
	ActionBudgetCreated      = "budget.created"
	ActionBudgetUpdated      = "budget.updated"
	ActionBudgetDeleted      = "budget.deleted"
	ActionOrderCostCentreSet = "order.cost_centre_set"
	ActionOrderBilled        = "order.billed"
	ActionOrderBillDifferent = "order.bill_differs"
)

// Notifications (issue 18): a webhook's signing secret, a person's
// preferences, an admin's resend of a delivery.
const (
	ActionWebhookSecretSet     = "webhook_secret.set"
	ActionWebhookSecretRemoved = "webhook_secret.removed"
	// ActionWebhookSecretResealed: `console accounts reseal` sealed a
	// policy's webhook secret again under the current master key.
	ActionWebhookSecretResealed    = "webhook_secret.resealed"
	ActionNotificationPrefsUpdated = "notification_preferences.updated"
	ActionDeliveryResent           = "delivery.resent"
)
