package jobs

import (
	"strconv"
	"strings"

	"dealdesk/internal/orders"
)

// Links makes the addresses messages point at, under the console's public
// address (CONSOLE_BASE_URL). With no base, every link is empty and
// messages carry none: a relative path means nothing in a chat room.
type Links struct {
	base string
}

// NewLinks takes the public address as configured (checked by config to be
// an http or https URL); a trailing slash is dropped.
func NewLinks(base string) Links { return Links{base: strings.TrimRight(base, "/")} }

// Order is the order's page.
func (l Links) Order(id int64) string { return l.at("/orders/" + strconv.FormatInt(id, 10)) }

// Inbox is the approvals inbox.
func (l Links) Inbox() string { return l.at("/approvals") }

// For is where a notice sends its reader: approvers to the order as they
// judge it, everyone else to the order's page.
func (l Links) For(n orders.Notice) string {
	if n.Event == orders.NoticeNeedsApproval {
		return l.at("/orders/" + strconv.FormatInt(n.OrderID, 10) + "/approval")
	}
	return l.Order(n.OrderID)
}

func (l Links) at(path string) string {
	if l.base == "" {
		return ""
	}
	return l.base + path
}
