package auth

import (
	"strings"
	"testing"
)

func TestHashRoundTrip(t *testing.T) {
	t.Parallel()
	const pw = "correct horse battery staple"
	h, err := HashPassword(pw, DefaultHashParams)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash %q is not a PHC argon2id string with OWASP's parameters", h)
	}
	if strings.Contains(h, pw) {
		t.Fatal("hash contains the password")
	}
	ok, rehash, err := VerifyPassword(pw, h, DefaultHashParams)
	if err != nil || !ok || rehash {
		t.Fatalf("right password: ok=%v rehash=%v err=%v", ok, rehash, err)
	}
	ok, _, err = VerifyPassword(pw+"!", h, DefaultHashParams)
	if err != nil || ok {
		t.Fatalf("wrong password: ok=%v err=%v", ok, err)
	}
	// A fresh salt every time: the same password never hashes the same.
	h2, _ := HashPassword(pw, DefaultHashParams)
	if h2 == h {
		t.Fatal("two hashes of one password are equal: salt not random")
	}
}

func TestWeakerHashNeedsRehash(t *testing.T) {
	t.Parallel()
	weak := HashParams{Memory: 4096, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}
	h, err := HashPassword("a password that is long enough", weak)
	if err != nil {
		t.Fatal(err)
	}
	ok, rehash, err := VerifyPassword("a password that is long enough", h, DefaultHashParams)
	if err != nil || !ok || !rehash {
		t.Fatalf("ok=%v rehash=%v err=%v; want a match that asks for a rehash", ok, rehash, err)
	}
}

func TestVerifyRefusesMalformedHashes(t *testing.T) {
	t.Parallel()
	for _, h := range []string{
		"",
		"plaintext",
		"$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA",
		"$argon2id$v=18$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA",
		"$argon2id$v=19$m=99999999,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA", // would allocate ~100 GB
		"$argon2id$v=19$m=19456,t=2,p=1$!!$aGFzaGhhc2hoYXNoaGFzaA",
	} {
		if ok, _, err := VerifyPassword("x", h, DefaultHashParams); err == nil || ok {
			t.Errorf("%q: ok=%v err=%v, want an error", h, ok, err)
		}
	}
}

func TestPasswordPolicy(t *testing.T) {
	t.Parallel()
	tests := []struct {
		pw, username string
		ok           bool
	}{
		{"short", "", false},
		{strings.Repeat("x", MinPasswordLen-1), "", false},
		{strings.Repeat("x", MinPasswordLen), "", true},
		{"密码密码密码密码密码密码密码密码", "", true}, // counted in characters, not bytes
		{strings.Repeat("x", MaxPasswordLen+1), "", false},
		{"averylongusername", "AVeryLongUsername", false},
	}
	for _, tt := range tests {
		if got := checkPasswordPolicy(tt.pw, tt.username).Key == ""; got != tt.ok {
			t.Errorf("policy(%q) ok=%v, want %v", tt.pw, got, tt.ok)
		}
	}
	if g := GeneratePassword(); checkPasswordPolicy(g, "").Key != "" {
		t.Errorf("generated password %d chars breaks the policy", len(g))
	}
}

func TestParseRoles(t *testing.T) {
	t.Parallel()
	got, err := ParseRoles(" Admin, approver,admin ")
	if err != nil || len(got) != 2 || got[0] != RoleApprover || got[1] != RoleAdmin {
		t.Fatalf("ParseRoles = %v, %v", got, err)
	}
	if _, err := ParseRoles("admin,root"); err == nil {
		t.Fatal("unknown role accepted")
	}
}

func TestAddrThrottleKey(t *testing.T) {
	t.Parallel()
	if a, b := addrThrottleKey("2001:db8::1"), addrThrottleKey("2001:db8::ffff:1"); a != b {
		t.Errorf("one IPv6 /64 gave two keys: %q %q", a, b)
	}
	if got := addrThrottleKey("::ffff:192.0.2.1"); got != "addr:192.0.2.1" {
		t.Errorf("mapped IPv4 key %q", got)
	}
}

// BenchmarkHashPassword measures one argon2id hash with the parameters in
// use: the cost of every sign-in and of every guess.
func BenchmarkHashPassword(b *testing.B) {
	for b.Loop() {
		if _, err := HashPassword("correct horse battery staple", DefaultHashParams); err != nil {
			b.Fatal(err)
		}
	}
}
