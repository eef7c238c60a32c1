package orders

import (
	"testing"
)

func TestCanonical(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{`{"b":1,"a":2}`, `{"a":2,"b":1}`},
		{"{\n  \"Goods\": [ {\"GoodsNum\": 1, \"GoodsCategoryId\": 102375} ]\n}", `{"Goods":[{"GoodsCategoryId":102375,"GoodsNum":1}]}`},
		// Large and fractional numbers stay as written (no float rounding).
		{`{"n":12345678901234567890,"f":1.10}`, `{"f":1.10,"n":12345678901234567890}`},
		// A JSON string holding JSON (CreateInstance's Parameter) is untouched.
		{`{"Parameter":"{\"pid\":1005305,\"timeUnit\":\"m\"}"}`, `{"Parameter":"{\"pid\":1005305,\"timeUnit\":\"m\"}"}`},
		// <, > and & escaped as the SDK escapes them on the wire; other
		// unicode kept.
		{`{"Alias":"a<b>&c","Name":"未命名"}`, `{"Alias":"a\u003cb\u003e\u0026c","Name":"未命名"}`},
		{"{\"L\":\"a\u2028b\"}", `{"L":"a\u2028b"}`},
	}
	for _, tt := range tests {
		got, err := Canonical([]byte(tt.in))
		if err != nil {
			t.Errorf("%s: %v", tt.in, err)
			continue
		}
		if string(got) != tt.want {
			t.Errorf("Canonical(%s) = %s, want %s", tt.in, got, tt.want)
		}
		again, _ := Canonical(got)
		if string(again) != string(got) {
			t.Errorf("not idempotent: %s → %s", got, again)
		}
	}
}

func TestCanonicalRefuses(t *testing.T) {
	t.Parallel()
	for _, in := range []string{``, `[]`, `"x"`, `{"a":1} {"b":2}`, `{"a":}`, `null`} {
		if _, err := Canonical([]byte(in)); err == nil {
			t.Errorf("Canonical(%q) accepted", in)
		}
	}
}

func TestHashChangesWithAnyByte(t *testing.T) {
	t.Parallel()
	a, _ := Canonical([]byte(`{"Goods":[{"GoodsNum":1}]}`))
	b, _ := Canonical([]byte(`{"Goods":[{"GoodsNum":2}]}`))
	c, _ := Canonical([]byte(`{ "Goods" : [ { "GoodsNum" : 1 } ] }`))
	if Hash(a) == Hash(b) {
		t.Error("different parameters, same hash")
	}
	if Hash(a) != Hash(c) {
		t.Error("same parameters written differently, different hash")
	}
	if len(Hash(a)) != 64 {
		t.Errorf("hash %q is not hex sha256", Hash(a))
	}
}
