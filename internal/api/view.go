package api

import (
	"encoding/json"
	"time"

	"dealdesk/internal/db"
	"dealdesk/internal/orders"
)

// Order is an order as the API shows it. Params are the exact canonical
// bytes approvers approve by ParamsSHA256 and the sender sends.
type Order struct {
	ID              int64           `json:"id"`
	Product         string          `json:"product"`
	AccountID       int64           `json:"account_id"`
	Region          string          `json:"region"`
	Title           string          `json:"title"`
	Justification   string          `json:"justification"`
	Params          json.RawMessage `json:"params"`
	ParamsSHA256    string          `json:"params_sha256"`
	Version         int             `json:"version"`
	Status          string          `json:"status"`
	RequesterID     int64           `json:"requester_id"`
	ClientToken     string          `json:"client_token,omitempty"`
	ClonedFromID    int64           `json:"cloned_from_id,omitempty"`
	RenewalOfID     int64           `json:"renewal_of_id,omitempty"`
	CreatedAt       time.Time       `json:"created_at"`
	UpdatedAt       time.Time       `json:"updated_at"`
	StatusChangedAt time.Time       `json:"status_changed_at"`
	Outcome         *Outcome        `json:"outcome"`
}

// Outcome is what the last send came to; null before the first.
type Outcome struct {
	Attempts       int             `json:"attempts"`
	Outcome        string          `json:"outcome"`
	SentAt         *time.Time      `json:"sent_at"`
	FinishedAt     *time.Time      `json:"finished_at"`
	RequestID      string          `json:"request_id"`
	ErrorCode      string          `json:"error_code"`
	ErrorMessage   string          `json:"error_message"`
	DealNames      []string        `json:"deal_names"`
	BigDealID      string          `json:"big_deal_id"`
	BillingOrderID string          `json:"billing_order_id"`
	InstanceIDs    []string        `json:"instance_ids"`
	SettlementNote string          `json:"settlement_note"`
	Response       json.RawMessage `json:"response"`
}

func orderView(o orders.Order) Order {
	v := Order{
		ID: o.ID, Product: string(o.Product), AccountID: o.AccountID, Region: o.Region, Title: o.Title,
		Justification: o.Justification, Params: json.RawMessage(o.Params), ParamsSHA256: o.ParamsSHA256,
		Version: o.Version, Status: string(o.Status), RequesterID: o.RequesterID, ClientToken: o.ClientToken,
		ClonedFromID: o.ClonedFromID, RenewalOfID: o.RenewalOfID,
		CreatedAt: o.CreatedAt.UTC(), UpdatedAt: o.UpdatedAt.UTC(), StatusChangedAt: o.StatusChangedAt.UTC(),
	}
	if s := o.Sent; s.SendAttempts > 0 || s.Outcome != "" {
		v.Outcome = &Outcome{
			Attempts: s.SendAttempts, Outcome: s.Outcome, SentAt: s.SentAt, FinishedAt: s.FinishedAt,
			RequestID: s.RequestID, ErrorCode: s.ErrorCode, ErrorMessage: s.ErrorMessage,
			DealNames: nonNil(s.DealNames), BigDealID: s.BigDealID, BillingOrderID: s.BillingOrderID,
			InstanceIDs: nonNil(s.InstanceIDs), SettlementNote: s.SettlementNote, Response: rawOrNull(s.Response),
		}
	}
	return v
}

// Attempt is one call made for an order, with the exact bytes.
type Attempt struct {
	Attempt      int        `json:"attempt"`
	Outcome      string     `json:"outcome"`
	ParamsSHA256 string     `json:"params_sha256"`
	SentSHA256   string     `json:"sent_sha256"`
	RequestID    string     `json:"request_id"`
	ErrorCode    string     `json:"error_code"`
	ErrorMessage string     `json:"error_message"`
	HTTPStatus   int        `json:"http_status"`
	Sent         string     `json:"sent"`
	Received     string     `json:"received"`
	CallingAt    *time.Time `json:"calling_at"`
	StartedAt    time.Time  `json:"started_at"`
	FinishedAt   *time.Time `json:"finished_at"`
}

func attemptView(a db.SendAttempt) Attempt {
	return Attempt{
		Attempt: a.Attempt, Outcome: a.Outcome, ParamsSHA256: a.ParamsSHA256, SentSHA256: a.SentSHA256,
		RequestID: a.RequestID, ErrorCode: a.ErrorCode, ErrorMessage: a.ErrorMessage, HTTPStatus: a.HTTPStatus,
		Sent: string(a.Sent), Received: string(a.Received), CallingAt: a.CallingAt, StartedAt: a.StartedAt.UTC(),
		FinishedAt: a.FinishedAt,
	}
}

// OrderSummary is an order as the history lists it.
type OrderSummary struct {
	ID                int64     `json:"id"`
	Product           string    `json:"product"`
	Status            string    `json:"status"`
	Title             string    `json:"title"`
	AccountID         int64     `json:"account_id"`
	Account           string    `json:"account"`
	RequesterID       int64     `json:"requester_id"`
	RequesterUsername string    `json:"requester_username"`
	Version           int       `json:"version"`
	CreatedAt         time.Time `json:"created_at"`
	UpdatedAt         time.Time `json:"updated_at"`
}

// AuditEntry is one entry of the audit log.
type AuditEntry struct {
	ChainSeq      int64           `json:"chain_seq"`
	ID            int64           `json:"id"`
	OccurredAt    time.Time       `json:"occurred_at"`
	Actor         string          `json:"actor"`
	ActorUsername string          `json:"actor_username"`
	Action        string          `json:"action"`
	Subject       string          `json:"subject"`
	RemoteAddr    string          `json:"remote_addr"`
	RequestID     string          `json:"request_id"`
	Details       json.RawMessage `json:"details"`
	PrevHash      string          `json:"prev_hash"`
	Hash          string          `json:"hash"`
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func rawOrNull(b []byte) json.RawMessage {
	if len(b) == 0 || !json.Valid(b) {
		return json.RawMessage("null")
	}
	return json.RawMessage(b)
}
