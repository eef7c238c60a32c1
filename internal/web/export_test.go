package web

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"dealdesk/internal/auth"
	"dealdesk/internal/db"
	"dealdesk/internal/history"
	"dealdesk/internal/orders"
)

// readCSVExport parses an export as a spreadsheet would: a UTF-8 BOM, then
// plain CSV with no comment lines.
func readCSVExport(t *testing.T, body string) [][]string {
	t.Helper()
	rest, ok := strings.CutPrefix(body, "\ufeff")
	if !ok {
		t.Fatalf("the CSV does not start with a UTF-8 BOM: %q", body[:min(len(body), 20)])
	}
	if strings.HasPrefix(rest, "#") || strings.Contains(rest, "\n#") {
		t.Fatalf("the CSV holds a comment line")
	}
	rows, err := csv.NewReader(strings.NewReader(rest)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestOrdersExportRoundTrips(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	ctx := context.Background()
	_, alice := env.loggedIn("alice", auth.RoleRequester)
	carol, _ := env.loggedIn("carol", auth.RoleAuditor)
	first := env.pendingOrder(alice)
	// More than one export page (1000 rows), with awkward titles.
	if _, err := env.pool.Exec(ctx, `
		INSERT INTO orders (product, account_id, region, title, justification, params, params_sha256, requester_id)
		SELECT product, account_id, region,
			CASE WHEN g = 1 THEN '=HYPERLINK("http://evil.example","x")' ELSE 'Copy ' || g || ', "quoted"' || E'\nsecond line' END, justification, params, params_sha256, requester_id
		FROM orders, generate_series(1, 2100) g WHERE id = $1`, first.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := env.pool.Exec(ctx, `UPDATE orders SET request_id = 'req-1', deal_names = '{d1,d2}', instance_ids = '{i-1}',
		big_deal_id = 'big-1', billing_order_id = 'o-1' WHERE id = $1`, first.ID); err != nil {
		t.Fatal(err)
	}
	// Its bill, found and 10% over the estimate: billed_fen and the flag.
	if _, err := env.pool.Exec(ctx, `INSERT INTO order_bills (order_id, status, billed_fen, estimate_fen, differs, tolerance_percent)
		VALUES ($1, 'found', 2189, 1990, true, 1)`, first.ID); err != nil {
		t.Fatal(err)
	}
	// The expected rows, straight from the table, newest first.
	var want []history.OrderRecord
	rows, err := env.pool.Query(ctx, `SELECT o.id, o.created_at, o.updated_at, o.status, o.product, o.account_id, a.name, o.requester_id,
		u.username, o.title, o.version, o.outcome, o.request_id, o.deal_names, o.big_deal_id, o.billing_order_id, o.instance_ids,
		e.estimate_fen, COALESCE(e.price_list_version, 0), o.region, o.params, b.billed_fen, COALESCE(b.differs, false)
		FROM orders o JOIN users u ON u.id = o.requester_id JOIN tencentcloud_accounts a ON a.id = o.account_id
		LEFT JOIN order_estimates e ON e.order_id = o.id LEFT JOIN order_bills b ON b.order_id = o.id ORDER BY o.id DESC`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var r history.OrderRecord
		var region string
		var params []byte
		if err := rows.Scan(&r.ID, &r.CreatedAt, &r.UpdatedAt, &r.Status, &r.Product, &r.AccountID, &r.Account, &r.RequesterID,
			&r.RequesterUsername, &r.Title, &r.Version, &r.Outcome, &r.RequestID, &r.DealNames, &r.BigDealID, &r.BillingOrderID, &r.InstanceIDs,
			&r.EstimateFen, &r.PriceListVersion, &region, &params, &r.BilledFen, &r.BillDiffers); err != nil {
			t.Fatal(err)
		}
		// The summary column: what the order buys, in the pages' words.
		if r.Summary = orders.SummaryText(r.Product, region, params); !strings.Contains(r.Summary, "CloudBase") {
			t.Fatalf("order %d's summary %q does not name what it buys", r.ID, r.Summary)
		}
		r.CreatedAt, r.UpdatedAt = r.CreatedAt.UTC(), r.UpdatedAt.UTC()
		want = append(want, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}

	resp, body := carol.get("/orders/export.csv?requester=&product=tcb")
	if ct := resp.Header.Get("Content-Type"); resp.StatusCode != http.StatusOK || !strings.HasPrefix(ct, "text/csv") {
		t.Fatalf("csv export: %d %s", resp.StatusCode, ct)
	}
	// The filters the CSV has no room for are in its file name.
	if cd := resp.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, `attachment; filename="dealdesk-orders-`) ||
		!strings.Contains(cd, "-product_tcb") || !strings.HasSuffix(cd, `.csv"`) {
		t.Errorf("Content-Disposition %q", cd)
	}
	got := readCSVExport(t, body)
	if !reflect.DeepEqual(got[0], history.OrderColumns) {
		t.Fatalf("columns %v", got[0])
	}
	if len(got)-1 != len(want) {
		t.Fatalf("csv: %d rows, want %d", len(got)-1, len(want))
	}
	for i, w := range want {
		if !reflect.DeepEqual(got[i+1], csvOf(w)) {
			t.Fatalf("csv row %d:\n got %q\nwant %q", i, got[i+1], csvOf(w))
		}
	}

	// A title typed as a formula reaches the spreadsheet as text.
	formulas := 0
	for _, row := range got[1:] {
		if row[9] == `'=HYPERLINK("http://evil.example","x")` {
			formulas++
		}
		for i, v := range row {
			if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
				t.Fatalf("cell %s of order %s is a formula: %q", history.OrderColumns[i], row[0], v)
			}
		}
	}
	if formulas != 1 {
		t.Errorf("%d neutralised formula titles, want 1", formulas)
	}

	// A Chinese reader's export: the same columns under the same names, the
	// summary column in Chinese, everything else the same bytes.
	if resp, _ := carol.post("/language", url.Values{"language": {"zh-CN"}, "next": {"/"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("switching to Chinese: %d", resp.StatusCode)
	}
	_, zhBody := carol.get("/orders/export.csv?requester=&product=tcb")
	zh := readCSVExport(t, zhBody)
	if !reflect.DeepEqual(zh[0], history.OrderColumns) || len(zh) != len(got) {
		t.Fatalf("Chinese export: columns %v, %d rows, want %d", zh[0], len(zh), len(got))
	}
	sum := slices.Index(history.OrderColumns, "summary")
	for i := 1; i < len(zh); i++ {
		if zh[i][sum] == got[i][sum] || !strings.Contains(zh[i][sum], "云开发") {
			t.Errorf("Chinese summary of row %d: %q (English %q)", i, zh[i][sum], got[i][sum])
		}
		zh[i][sum] = got[i][sum]
		if !reflect.DeepEqual(zh[i], got[i]) {
			t.Errorf("row %d differs beyond its summary:\n%q\n%q", i, zh[i], got[i])
		}
	}
	if resp, _ := carol.post("/language", url.Values{"language": {"en"}, "next": {"/"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("switching back to English: %d", resp.StatusCode)
	}

	resp, body = carol.get("/orders/export.jsonl?requester=")
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/jsonl") {
		t.Fatalf("jsonl export: %s", ct)
	}
	sc := bufio.NewScanner(strings.NewReader(body))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	sc.Scan()
	var meta history.Meta
	if err := json.Unmarshal(sc.Bytes(), &meta); err != nil || meta.Export != "orders" || meta.ExportedAt.IsZero() {
		t.Fatalf("jsonl header %s: %v", sc.Text(), err)
	}
	var i int
	for sc.Scan() {
		var r history.OrderRecord
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		if i >= len(want) || !reflect.DeepEqual(r, want[i]) {
			t.Fatalf("jsonl row %d:\n got %+v\nwant %+v", i, r, want[min(i, len(want)-1)])
		}
		i++
	}
	if i != len(want) {
		t.Fatalf("jsonl: %d rows, want %d", i, len(want))
	}

	// Filters apply; a bad one is refused before the download starts.
	_, body = carol.get("/orders/export.csv?q=req-1")
	if rows := readCSVExport(t, body); len(rows) != 2 || rows[1][0] != itoa(first.ID) {
		t.Errorf("filtered export: %q", rows)
	}
	if resp, _ := carol.get("/orders/export.csv?from=soon"); resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("bad filter: %d", resp.StatusCode)
	}
	if resp, _ := carol.get("/orders/export.jsonl?approver=ghost"); resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("unknown approver: %d", resp.StatusCode)
	}
}

// csvOf is the CSV row of r: each cell as the export neutralises it.
func csvOf(r history.OrderRecord) []string {
	ts := func(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000Z07:00") }
	fen, version := "", ""
	if r.EstimateFen != nil {
		fen = itoa(*r.EstimateFen)
	}
	if r.PriceListVersion != 0 {
		version = itoa(r.PriceListVersion)
	}
	billed := ""
	if r.BilledFen != nil {
		billed = itoa(*r.BilledFen)
	}
	row := []string{itoa(r.ID), ts(r.CreatedAt), ts(r.UpdatedAt), r.Status, r.Product, itoa(r.AccountID), r.Account,
		itoa(r.RequesterID), r.RequesterUsername, r.Title, fmt.Sprint(r.Version), r.Outcome, r.RequestID,
		strings.Join(r.DealNames, " "), r.BigDealID, r.BillingOrderID, strings.Join(r.InstanceIDs, " "), fen, version, r.Summary, billed, fmt.Sprint(r.BillDiffers)}
	for i, v := range row {
		row[i] = history.Cell(v)
	}
	return row
}

func TestAuditExportRoundTrips(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	ctx := context.Background()
	admin, _ := env.loggedIn("root", auth.RoleAdmin)
	for i := range 1500 {
		if _, err := db.AppendAudit(ctx, env.pool, db.AuditEvent{Actor: "system", Action: "test.export",
			Subject: fmt.Sprintf("thing:%d", i), Details: map[string]any{"i": i, "note": "a,\"b\"\nc"}}); err != nil {
			t.Fatal(err)
		}
	}
	type entry struct {
		seq             int64
		action, details string
		hash            string
	}
	var want []entry
	rows, err := env.pool.Query(ctx, `SELECT chain_seq, action, details::text, hash FROM audit_events WHERE action = 'test.export' ORDER BY chain_seq DESC`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var e entry
		if err := rows.Scan(&e.seq, &e.action, &e.details, &e.hash); err != nil {
			t.Fatal(err)
		}
		want = append(want, e)
	}
	resp, body := admin.get("/audit/export.csv?action=test.")
	if cd := resp.Header.Get("Content-Disposition"); !strings.Contains(cd, "dealdesk-audit-") || !strings.Contains(cd, "-action_test.") {
		t.Errorf("Content-Disposition %q", cd)
	}
	got := readCSVExport(t, body)
	if !reflect.DeepEqual(got[0], history.AuditColumns) {
		t.Fatalf("header %q", got[0])
	}
	if len(got)-1 != len(want) {
		t.Fatalf("%d rows, want %d", len(got)-1, len(want))
	}
	for i, w := range want {
		r := got[i+1]
		if r[0] != itoa(w.seq) || r[5] != w.action || r[9] != w.details || r[11] != w.hash {
			t.Fatalf("row %d: %q, want %+v", i, r, w)
		}
	}
	_, body = admin.get("/audit/export.jsonl?action=test.")
	lines := strings.Split(strings.TrimSuffix(body, "\n"), "\n")
	if len(lines)-1 != len(want) {
		t.Fatalf("jsonl: %d lines, want %d", len(lines)-1, len(want))
	}
	for i, w := range want {
		var r history.AuditRecord
		if err := json.Unmarshal([]byte(lines[i+1]), &r); err != nil {
			t.Fatal(err)
		}
		var gotD, wantD any
		_ = json.Unmarshal(r.Details, &gotD)
		_ = json.Unmarshal([]byte(w.details), &wantD)
		if r.ChainSeq != w.seq || r.Hash != w.hash || !reflect.DeepEqual(gotD, wantD) {
			t.Fatalf("jsonl row %d: %+v, want %+v", i, r, w)
		}
	}
}
