package jobs

import (
	"encoding/json"
	"fmt"
	"strings"

	"dealdesk/internal/orders"
)

// webhookBody renders a notice in the policy's format.
func webhookBody(f orders.WebhookFormat, n orders.Notice) ([]byte, error) {
	switch f {
	case orders.WebhookWeCom:
		// WeCom group robots: https://developer.work.weixin.qq.com/document/path/91770
		return json.Marshal(map[string]any{
			"msgtype":  "markdown",
			"markdown": map[string]string{"content": markdown(n)},
		})
	case orders.WebhookSlack:
		// Slack incoming webhooks take {"text": ...} with &, < and > escaped.
		return json.Marshal(map[string]string{"text": slackEscape(summary(n))})
	case orders.WebhookGeneric, "":
		return json.Marshal(genericBody{
			Event: string(n.Event), Text: summary(n),
			Order: genericOrder{ID: n.OrderID, Title: n.Title, Summary: n.Summary, Product: string(n.Product), Version: n.Version,
				ParamsSHA256: n.ParamsSHA256, Account: n.AccountName, Requester: n.RequesterName},
			Actor: n.ActorName, Comment: n.Comment, Approvals: n.Approvals, RequiredApprovers: n.Required,
		})
	}
	return nil, fmt.Errorf("jobs: unknown webhook format %q", f)
}

// genericBody is Dealdesk's own JSON, for receivers that want fields.
type genericBody struct {
	Event             string       `json:"event"`
	Text              string       `json:"text"`
	Order             genericOrder `json:"order"`
	Actor             string       `json:"actor"`
	Comment           string       `json:"comment,omitempty"`
	Approvals         int          `json:"approvals"`
	RequiredApprovers int          `json:"required_approvers"`
}

type genericOrder struct {
	ID           int64  `json:"id"`
	Title        string `json:"title"`
	Summary      string `json:"summary"`
	Product      string `json:"product"`
	Version      int    `json:"version"`
	ParamsSHA256 string `json:"params_sha256"`
	Account      string `json:"account"`
	Requester    string `json:"requester"`
}

// summary is the notice in one sentence.
func summary(n orders.Notice) string {
	what := fmt.Sprintf("Order #%d “%s” (%s, account %s, version %d)", n.OrderID, n.Title, n.Product.Label(), n.AccountName, n.Version)
	if n.Summary != "" {
		// What it buys, in the buyer's words, before who asked and who decided.
		what = fmt.Sprintf("Order #%d “%s” — %s (account %s, version %d)", n.OrderID, n.Title, n.Summary, n.AccountName, n.Version)
	}
	switch n.Event {
	case orders.NoticeNeedsApproval:
		return fmt.Sprintf("%s from %s needs approval: %d of %d approvals so far.", what, n.RequesterName, n.Approvals, n.Required)
	case orders.NoticeApproved:
		return fmt.Sprintf("%s from %s was approved by %s (%d of %d).", what, n.RequesterName, n.ActorName, n.Approvals, n.Required)
	case orders.NoticeRejected:
		return fmt.Sprintf("%s from %s was rejected by %s: %s", what, n.RequesterName, n.ActorName, n.Comment)
	}
	return what + ": " + string(n.Event)
}

// markdown is the summary for WeCom, with the event highlighted.
func markdown(n orders.Notice) string {
	color := map[orders.NoticeEvent]string{
		orders.NoticeNeedsApproval: "warning", orders.NoticeApproved: "info", orders.NoticeRejected: "comment",
	}[n.Event]
	label := strings.ReplaceAll(string(n.Event), "_", " ")
	return fmt.Sprintf("**Dealdesk** <font color=\"%s\">%s</font>\n> %s", color, label, summary(n))
}

func slackEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}
