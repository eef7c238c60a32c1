package jobs

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"dealdesk/internal/fault"
	"dealdesk/internal/i18n"
	"dealdesk/internal/orders"
)

// LangEnglish is the language a message is written in when its reader has
// none of their own. Policy webhooks go to a room, not a person, so they
// are always in it; an e-mail is in its reader's language, by the same
// catalog keys.
const LangEnglish = "en"

// message is one notice as it is told: the facts, the link, and the
// reader's language.
type message struct {
	Notice orders.Notice
	// Link is the order's (or the inbox's) address under CONSOLE_BASE_URL;
	// empty when the console has no public address.
	Link string
	// Lang is the reader's language; "" is English.
	Lang string
	// loc says every phrase of the message in Lang (newMessage builds it
	// once per message); nil is English.
	loc *i18n.Localizer
}

// webhookBody renders a message in the policy's format.
func webhookBody(f orders.WebhookFormat, m message) ([]byte, error) {
	n := m.Notice
	switch f {
	case orders.WebhookWeCom:
		// WeCom group robots: https://developer.work.weixin.qq.com/document/path/91770
		return json.Marshal(map[string]any{
			"msgtype":  "markdown",
			"markdown": map[string]string{"content": markdown(m)},
		})
	case orders.WebhookDingTalk:
		// DingTalk custom robots: https://open.dingtalk.com/document/robots/custom-robot-access
		return json.Marshal(map[string]any{
			"msgtype":  "markdown",
			"markdown": map[string]string{"title": title(m), "text": robotMarkdown(m)},
		})
	case orders.WebhookFeishu:
		// Feishu custom bots: https://open.feishu.cn/document/client-docs/bot-v3/add-custom-bot
		// (the signature's "timestamp" and "sign" are added by the worker).
		return json.Marshal(map[string]any{
			"msg_type": "text",
			"content":  map[string]string{"text": withLink(m)},
		})
	case orders.WebhookSlack:
		// Slack incoming webhooks take {"text": ...} with &, < and > escaped;
		// a link is <url|label>, so the URL itself is not escaped.
		text := slackEscape(summary(m))
		if m.Link != "" {
			text += " <" + m.Link + "|" + slackEscape(m.say(fault.M("notice.link", "link", "#"+strconv.FormatInt(n.OrderID, 10)))) + ">"
		}
		return json.Marshal(map[string]string{"text": text})
	case orders.WebhookGeneric, "":
		return json.Marshal(genericBody{
			Event: string(n.Event), Text: withLink(m), URL: m.Link,
			Order: genericOrder{ID: n.OrderID, Title: n.Title, Summary: n.Summary, Product: string(n.Product), Version: n.Version,
				ParamsSHA256: n.ParamsSHA256, Account: n.AccountName, Requester: n.RequesterName},
			Actor: n.ActorName, Comment: n.Comment, Approvals: n.Approvals, RequiredApprovers: n.Required,
			DealNames: n.DealNames, InstanceIDs: n.InstanceIDs, ErrorCode: n.ErrorCode, Explanation: n.Explanation, Proposal: n.Proposal,
		})
	}
	return nil, fmt.Errorf("jobs: unknown webhook format %q", f)
}

// genericBody is Dealdesk's own JSON, for receivers that want fields.
type genericBody struct {
	Event string `json:"event"`
	Text  string `json:"text"`
	// URL is the order's page; absent without CONSOLE_BASE_URL.
	URL               string       `json:"url,omitempty"`
	Order             genericOrder `json:"order"`
	Actor             string       `json:"actor"`
	Comment           string       `json:"comment,omitempty"`
	Approvals         int          `json:"approvals"`
	RequiredApprovers int          `json:"required_approvers"`
	// What a send bought, and why it failed or is unknown.
	DealNames   []string `json:"deal_names,omitempty"`
	InstanceIDs []string `json:"instance_ids,omitempty"`
	ErrorCode   string   `json:"error_code,omitempty"`
	Explanation string   `json:"explanation,omitempty"`
	Proposal    string   `json:"proposal,omitempty"`
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

// newMessage is a notice told to a reader of lang ("" is English), with
// the one localizer every phrase of it is said with.
func newMessage(n orders.Notice, link, lang string) message {
	m := message{Notice: n, Link: link, Lang: lang}
	if tag, ok := i18n.ParseLang(lang); ok && lang != LangEnglish {
		m.loc = i18n.New(tag, time.UTC)
	}
	return m
}

// say renders a catalog message in the message's language: English when
// it has no localizer (a policy's webhook) or the key is in no catalog
// the process registered (a test without the console's start-up), where
// the English is still right.
func (m message) say(msg fault.Msg) string {
	if m.loc == nil || !m.loc.Has(msg.Key) {
		return msg.String()
	}
	return m.loc.Keyed(msg.Key, msg.Args)
}

// summary is the notice in one sentence, without its link.
func summary(m message) string {
	n := m.Notice
	order := m.say(fault.M("notice.order", "id", strconv.FormatInt(n.OrderID, 10), "title", n.Title,
		"product", n.Product.Label(), "account", n.AccountName, "version", strconv.Itoa(n.Version)))
	if n.Summary != "" {
		// What it buys, in the buyer's words, before who asked and who decided.
		order = m.say(fault.M("notice.order_summary", "id", strconv.FormatInt(n.OrderID, 10), "title", n.Title,
			"summary", n.Summary, "account", n.AccountName, "version", strconv.Itoa(n.Version)))
	}
	args := []string{"order", order, "requester", n.RequesterName, "actor", n.ActorName, "comment", n.Comment,
		"approvals", strconv.Itoa(n.Approvals), "required", strconv.Itoa(n.Required), "event", string(n.Event),
		"bought", bought(m), "explanation", explanation(m), "expires", n.Expires,
		"instances", strings.Join(n.InstanceIDs, ", ")}
	switch n.Event {
	case orders.NoticeNeedsApproval:
		return m.say(fault.M("notice.needs_approval", args...))
	case orders.NoticeApproved:
		return m.say(fault.M("notice.approved", args...))
	case orders.NoticeRejected:
		return m.say(fault.M("notice.rejected", args...))
	case orders.NoticeSucceeded:
		return m.say(fault.M("notice.succeeded", args...))
	case orders.NoticeFailed:
		return m.say(fault.M("notice.failed", args...))
	case orders.NoticeUnknown:
		return m.say(fault.M("notice.unknown", args...))
	case orders.NoticeAwaitingPayment:
		return m.say(fault.M("notice.awaiting_payment", args...))
	case orders.NoticeRenewalDue:
		return m.say(fault.M("notice.renewal_due", args...))
	case orders.NoticeApprovalExpiring:
		return m.say(fault.M("notice.approval_expiring", args...))
	case orders.NoticeApprovalExpired:
		return m.say(fault.M("notice.approval_expired", args...))
	case orders.NoticeDeliveryShortOfFunds:
		return m.say(fault.M("notice.delivery_short_of_funds", append(args,
			"balance", m.Notice.Balance, "estimate", m.Notice.Needed, "committed", m.Notice.Committed)...))
	case orders.NoticeProposal:
		if n.Proposal == "bought" {
			return m.say(fault.M("notice.proposal.bought", args...))
		}
		return m.say(fault.M("notice.proposal.not_bought", args...))
	}
	return m.say(fault.M("notice.other", args...))
}

// bought names the deals and instances a send bought (or ordered).
func bought(m message) string {
	var s string
	if len(m.Notice.DealNames) > 0 {
		s += m.say(fault.M("notice.bought.deals", "list", strings.Join(m.Notice.DealNames, ", ")))
	}
	if len(m.Notice.InstanceIDs) > 0 {
		s += m.say(fault.M("notice.bought.instances", "list", strings.Join(m.Notice.InstanceIDs, ", ")))
	}
	return s
}

// explanation is the catalog's explanation of a failure, with its code.
func explanation(m message) string {
	if m.Notice.ErrorCode == "" {
		return m.Notice.Explanation
	}
	return m.say(fault.M("notice.explanation.code", "explanation", m.Notice.Explanation, "code", m.Notice.ErrorCode))
}

// withLink is the summary and, when there is one, the link on its own line.
func withLink(m message) string {
	s := summary(m)
	if m.Link != "" {
		s += "\n" + m.say(fault.M("notice.link", "link", m.Link))
	}
	return s
}

// markdown is the summary for WeCom, with the event highlighted and the
// link as a markdown link.
func markdown(m message) string {
	n := m.Notice
	color := map[orders.NoticeEvent]string{
		orders.NoticeNeedsApproval: "warning", orders.NoticeApproved: "info", orders.NoticeRejected: "comment",
		orders.NoticeSucceeded: "info", orders.NoticeFailed: "warning", orders.NoticeUnknown: "warning",
		orders.NoticeAwaitingPayment: "warning", orders.NoticeProposal: "warning",
		orders.NoticeApprovalExpiring: "warning", orders.NoticeApprovalExpired: "warning",
		orders.NoticeDeliveryShortOfFunds: "warning",
	}[n.Event]
	label := strings.ReplaceAll(string(n.Event), "_", " ")
	s := fmt.Sprintf("**Dealdesk** <font color=\"%s\">%s</font>\n> %s", color, label, summary(m))
	if m.Link != "" {
		s += "\n[" + m.say(fault.M("notice.link", "link", "#"+strconv.FormatInt(n.OrderID, 10))) + "](" + m.Link + ")"
	}
	return s
}

// title is the notice's event in a few words, for robots and e-mail
// subjects that want one.
func title(m message) string {
	return m.say(fault.M("notice.title", "id", strconv.FormatInt(m.Notice.OrderID, 10),
		"event", m.say(fault.M("notify.event."+string(m.Notice.Event)))))
}

// robotMarkdown is the summary as DingTalk's markdown: a heading, the
// summary and the link.
func robotMarkdown(m message) string {
	s := "#### " + title(m) + "\n\n" + summary(m)
	if m.Link != "" {
		s += "\n\n[" + m.say(fault.M("notice.link", "link", "#"+strconv.FormatInt(m.Notice.OrderID, 10))) + "](" + m.Link + ")"
	}
	return s
}

func slackEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}
