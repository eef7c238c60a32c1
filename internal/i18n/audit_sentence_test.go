package i18n_test

import (
	"testing"
	"time"

	"dealdesk/internal/db"
	"dealdesk/internal/history"
	"dealdesk/internal/i18n"
)

// The audit log's sentences read in the reader's language: the same entry
// is English for one reader and Chinese for another, subject, version and
// the quoted comment included.
func TestAuditSentenceInEachLanguage(t *testing.T) {
	register(t)
	e := history.AuditEntry{AuditEvent: db.AuditEvent{Actor: "8", Action: db.ActionOrderRejected, Subject: "order:5"},
		ActorUsername: "bob", ActorName: "Bob", DetailsText: `{"version": 2, "comment": "太贵"}`}
	sys := history.AuditEntry{AuditEvent: db.AuditEvent{Actor: "system", Action: db.ActionOrderSucceeded, Subject: "order:9"},
		DetailsText: `{"version": 1}`}
	for _, tc := range []struct {
		lang     *i18n.Localizer
		rejected string
		bought   string
	}{
		{i18n.New(i18n.English, time.UTC), "Bob (bob) rejected order #5 version 2: “太贵”", "Order #9 version 1: bought"},
		{i18n.New(i18n.Chinese, time.UTC), "Bob（bob） 拒绝了订单 #5（第 2 版）：“太贵”", "订单 #9（第 1 版）：已购买"},
	} {
		if got := history.Sentence(e, tc.lang.TArgs); got != tc.rejected {
			t.Errorf("%s: %q, want %q", tc.lang.Lang(), got, tc.rejected)
		}
		if got := history.Sentence(sys, tc.lang.TArgs); got != tc.bought {
			t.Errorf("%s: %q, want %q", tc.lang.Lang(), got, tc.bought)
		}
	}
}
