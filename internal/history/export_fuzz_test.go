package history

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"time"
)

// FuzzExportCSV: whatever the records and filters hold, the CSV export
// never panics, starts with a BOM, and read back with a plain CSV reader
// gives the header and then each record with exactly as many fields as
// there are columns and the same values, none of them a formula.
func FuzzExportCSV(f *testing.F) {
	f.Add("dealdesk", "alice", "WAF, premium\n\"quoted\"", "deal-1 deal-2", `{"a":1}`, "status", "approved")
	f.Add("#not a comment", "\r\n", "", "", ``, "q", "line\nbreak")
	f.Add("=1+1", "+cmd", "-2", "@SUM(A1)", `{}`, "", "")
	f.Add("\tx", "\ry", "=HYPERLINK(\"http://x\")", "", `{}`, "", "")
	f.Add("a\rb", "\"", ",", "\n#x", `"`, "", "")
	f.Add("Ünïcödé", "名字", "\x00\x7f", "\u2028", "{}", "from\n#evil", "v")
	f.Fuzz(func(t *testing.T, account, user, title, ids, details, filterKey, filterValue string) {
		for _, export := range []struct {
			columns []string
			rec     interface{ csv() []string }
		}{
			{OrderColumns, orderRecord(account, user, title, ids)},
			{AuditColumns, auditRecord(user, title, details)},
		} {
			var out bytes.Buffer
			writeExport(t, &out, CSV, Meta{Export: "orders", ExportedAt: time.Unix(0, 0), Filters: map[string]string{filterKey: filterValue}}, export.columns, export.rec)
			if !bytes.HasPrefix(out.Bytes(), []byte(bom)) {
				t.Fatalf("the export does not start with a BOM:\n%q", out.String())
			}
			r := csv.NewReader(bytes.NewReader(out.Bytes()[len(bom):]))
			r.FieldsPerRecord = len(export.columns)
			rows, err := r.ReadAll()
			if err != nil {
				t.Fatalf("the export does not read back: %v\n%s", err, out.String())
			}
			if len(rows) != 2 {
				t.Fatalf("read back %d rows, want the header and one record:\n%s", len(rows), out.String())
			}
			want := export.rec.csv()
			for i, v := range rows[1] {
				// A CSV reader turns \r\n inside a quoted field into \n.
				if w := strings.ReplaceAll(want[i], "\r\n", "\n"); v != w {
					t.Fatalf("column %s reads back %q, want %q", export.columns[i], v, w)
				}
				if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
					t.Fatalf("column %s reads back as a formula: %q", export.columns[i], v)
				}
			}
		}
	})
}

// FuzzExportJSONL: the JSONL export never panics, and every line it writes
// is one valid JSON value; a record whose details are not JSON is refused
// with an error, not written half.
func FuzzExportJSONL(f *testing.F) {
	f.Add("dealdesk", "alice", "WAF\npremium", "deal-1 deal-2", `{"a":1}`, "status", "approved")
	f.Add("\u2028", "\x00", "\xff\xfe", "", `not json`, "k\n", "\u2029")
	f.Fuzz(func(t *testing.T, account, user, title, ids, details, filterKey, filterValue string) {
		var out bytes.Buffer
		meta := Meta{Export: "audit", ExportedAt: time.Unix(0, 0), Filters: map[string]string{filterKey: filterValue}}
		ew, err := newWriter(&out, JSONL, meta, AuditColumns)
		if err != nil {
			t.Fatal(err)
		}
		if err := ew.write(orderRecord(account, user, title, ids)); err != nil {
			t.Fatalf("an order record does not encode: %v", err)
		}
		werr := ew.write(auditRecord(user, title, details))
		if werr != nil && json.Valid([]byte(details)) {
			t.Fatalf("an audit record with JSON details does not encode: %v", werr)
		}
		if err := ew.flush(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(&out)
		sc.Buffer(nil, 1<<20)
		lines := 0
		for sc.Scan() {
			lines++
			if !json.Valid(sc.Bytes()) {
				t.Fatalf("line %d is not JSON: %q", lines, sc.Bytes())
			}
		}
		if want := 3; werr != nil && lines != want-1 || werr == nil && lines != want {
			t.Fatalf("%d lines (record error %v)", lines, werr)
		}
	})
}

func TestCellNeutralisesFormulas(t *testing.T) {
	for in, want := range map[string]string{
		"=1+1": "'=1+1", "+1": "'+1", "-1": "'-1", "@A1": "'@A1", "\tx": "'\tx", "\rx": "'\rx",
		"": "", "plain": "plain", "12": "12", "{\"a\":1}": "{\"a\":1}", "a=b": "a=b", "名字": "名字",
	} {
		if got := Cell(in); got != want {
			t.Errorf("Cell(%q) = %q, want %q", in, got, want)
		}
	}
}

func orderRecord(account, user, title, ids string) OrderRecord {
	return OrderRecord{ID: 1, CreatedAt: time.Unix(1, 0), UpdatedAt: time.Unix(2, 0), Status: "approved", Product: "waf",
		AccountID: 2, Account: account, RequesterID: 3, RequesterUsername: user, Title: title, Version: 1,
		Outcome: "succeeded", RequestID: ids, DealNames: strings.Fields(ids), BigDealID: ids,
		BillingOrderID: title, InstanceIDs: []string{ids, account}}
}

func auditRecord(user, subject, details string) AuditRecord {
	return AuditRecord{ChainSeq: 1, ID: 1, OccurredAt: time.Unix(3, 0), Actor: "user:1", ActorName: user,
		Action: "order.send", Subject: subject, RemoteAddr: "127.0.0.1", RequestID: "r", Details: json.RawMessage(details),
		PrevHash: "00", Hash: "11"}
}

func writeExport(t *testing.T, w io.Writer, f Format, meta Meta, columns []string, rec interface{ csv() []string }) {
	t.Helper()
	ew, err := newWriter(w, f, meta, columns)
	if err != nil {
		t.Fatal(err)
	}
	if err := ew.write(rec); err != nil {
		t.Fatal(err)
	}
	if err := ew.flush(); err != nil {
		t.Fatal(err)
	}
}
