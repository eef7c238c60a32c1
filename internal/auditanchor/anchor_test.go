package auditanchor_test

import (
	"bytes"
	"crypto/ed25519"
	"strconv"
	"strings"
	"testing"
	"time"

	"dealdesk/internal/auditanchor"
)

func TestAnchorsSignParseAndVerify(t *testing.T) {
	t.Parallel()
	seed := bytes.Repeat([]byte{7}, ed25519.SeedSize)
	s, err := auditanchor.NewSigner(seed)
	if err != nil {
		t.Fatal(err)
	}
	a := s.Sign(42, strings.Repeat("ab", 32), time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC))
	logLine := `{"time":"x","level":"INFO","msg":"audit anchor","anchor":` + strconv.Quote(a.Line()) + `}`
	in := "noise\n" + a.Line() + "\n" + logLine + "\n"
	got, err := auditanchor.Parse(strings.NewReader(in))
	if err != nil || len(got) != 2 || got[0].Line != 2 || got[1].Line != 3 {
		t.Fatalf("parse: %+v, %v", got, err)
	}
	for _, g := range got {
		if err := auditanchor.Verify(s.Public(), g.Anchor); err != nil {
			t.Fatalf("line %d: %v", g.Line, err)
		}
	}
	forged := got[0].Anchor
	forged.ChainSeq = 41
	if err := auditanchor.Verify(s.Public(), forged); err == nil {
		t.Fatal("an altered anchor verified")
	}
	other, _ := auditanchor.NewSigner(bytes.Repeat([]byte{8}, ed25519.SeedSize))
	if err := auditanchor.Verify(other.Public(), got[0].Anchor); err == nil {
		t.Fatal("an anchor verified with another key")
	}
	if _, err := auditanchor.Parse(strings.NewReader(`{"type":"` + auditanchor.Type + `","chain_seq":"x"}`)); err == nil {
		t.Fatal("a mangled anchor line was skipped silently")
	}
	if _, err := auditanchor.NewSigner([]byte("short")); err == nil {
		t.Fatal("a short seed was taken")
	}
}
