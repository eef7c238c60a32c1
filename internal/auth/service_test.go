package auth

import (
	"context"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"dealdesk/internal/db"
	"dealdesk/internal/db/dbtest"
	"dealdesk/internal/fault"
)

var testKey = []byte("0123456789abcdef0123456789abcdef")

func newTestService(t *testing.T, th ThrottleConfig) (*Service, *pgxpool.Pool) {
	t.Helper()
	pool := dbtest.New(t)
	s, err := NewService(pool, Config{SessionKey: testKey, IdleTimeout: 8 * time.Hour, MaxAge: 168 * time.Hour, Throttle: th})
	if err != nil {
		t.Fatal(err)
	}
	return s, pool
}

var cli = SystemActor("test")

func mustCreate(t *testing.T, s *Service, username string, roles ...Role) (User, string) {
	t.Helper()
	u, pw, err := s.CreateUser(context.Background(), cli, NewUser{Username: username, Roles: roles})
	if err != nil {
		t.Fatal(err)
	}
	return u, pw
}

func login(s *Service, username, password string) (User, IssuedSession, error) {
	return s.Login(context.Background(), LoginInput{Username: username, Password: password,
		Client: Client{RemoteAddr: "192.0.2.10", UserAgent: "test"}})
}

func actions(t *testing.T, pool *pgxpool.Pool, subject string) []string {
	t.Helper()
	evs, err := db.AuditEventsFor(context.Background(), pool, subject)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range evs {
		out = append(out, e.Action)
	}
	return out
}

func TestCreateUserAndLogin(t *testing.T) {
	t.Parallel()
	s, pool := newTestService(t, ThrottleConfig{})
	u, pw := mustCreate(t, s, "Alice", RoleApprover, RoleRequester)
	if pw == "" || u.DisplayName != "Alice" || !slices.Equal(u.Roles, []Role{RoleRequester, RoleApprover}) {
		t.Fatalf("created %+v with password %q", u, pw)
	}
	// The username is unique whatever its letter case.
	_, _, err := s.CreateUser(context.Background(), cli, NewUser{Username: "ALICE", Roles: []Role{RoleAuditor}})
	var fe fault.Fields
	if !errors.As(err, &fe) || fe["username"].Key == "" {
		t.Fatalf("duplicate username: err = %v", err)
	}
	got, issued, err := login(s, "alice", pw)
	if err != nil || got.ID != u.ID || len(issued.token) != tokenLen {
		t.Fatalf("login: %+v %v", got, err)
	}
	if want := []string{"user.created", "auth.login"}; !slices.Equal(actions(t, pool, userSubject(u.ID)), want) {
		t.Errorf("audit = %v, want %v", actions(t, pool, userSubject(u.ID)), want)
	}
}

func TestValidation(t *testing.T) {
	t.Parallel()
	s, _ := newTestService(t, ThrottleConfig{})
	tests := []struct {
		in    NewUser
		field string
	}{
		{NewUser{Username: "", Roles: []Role{RoleAdmin}}, "username"},
		{NewUser{Username: "bad name", Roles: []Role{RoleAdmin}}, "username"},
		{NewUser{Username: "bob"}, "roles"},
		{NewUser{Username: "bob", Roles: []Role{"root"}}, "roles"},
		{NewUser{Username: "bob", Roles: []Role{RoleAdmin}, Email: "not an email"}, "email"},
		{NewUser{Username: "bob", Roles: []Role{RoleAdmin}, Password: "short"}, "password"},
	}
	for _, tt := range tests {
		_, _, err := s.CreateUser(context.Background(), cli, tt.in)
		var fe fault.Fields
		if !errors.As(err, &fe) || fe[tt.field].Key == "" {
			t.Errorf("%+v: err = %v, want an error on %q", tt.in, err, tt.field)
		}
	}
}

// TestSessionTableHoldsNoToken: the database keeps only sha256(token), so a
// copy of the table cannot be replayed as cookies.
func TestSessionTableHoldsNoToken(t *testing.T) {
	t.Parallel()
	s, pool := newTestService(t, ThrottleConfig{})
	_, pw := mustCreate(t, s, "carol", RoleRequester)
	_, issued, err := login(s, "carol", pw)
	if err != nil {
		t.Fatal(err)
	}
	var dump string
	if err := pool.QueryRow(context.Background(), "SELECT string_agg(s::text || encode(s.id, 'hex') || encode(s.id, 'base64'), '|') FROM sessions s").Scan(&dump); err != nil {
		t.Fatal(err)
	}
	for _, form := range []string{
		hex.EncodeToString(issued.token), base64.StdEncoding.EncodeToString(issued.token),
		base64.RawURLEncoding.EncodeToString(issued.token), base64.RawStdEncoding.EncodeToString(issued.token),
	} {
		if strings.Contains(strings.ToLower(dump), strings.ToLower(form)) {
			t.Fatalf("the sessions table holds the raw token (%s)", form)
		}
	}
	if !strings.Contains(dump, hex.EncodeToString(hashToken(issued.token))) {
		t.Fatal("the sessions table does not hold the token's hash")
	}
}

func TestThrottleRevealsNothingAboutUsernames(t *testing.T) {
	t.Parallel()
	s, pool := newTestService(t, ThrottleConfig{PerUsername: 3, PerAddress: 100})
	_, pw := mustCreate(t, s, "dave", RoleRequester)
	// An existing and a non-existing username fail alike, attempt by attempt.
	for i := range 5 {
		_, _, errKnown := login(s, "dave", "wrong password number one")
		_, _, errUnknown := login(s, "nobody-here", "wrong password number one")
		if !errors.Is(errKnown, ErrLoginFailed) || !errors.Is(errUnknown, ErrLoginFailed) || errKnown.Error() != errUnknown.Error() {
			t.Fatalf("attempt %d: known %v, unknown %v", i, errKnown, errUnknown)
		}
	}
	// Locked: even the right password is refused, with the same error.
	if _, _, err := login(s, "dave", pw); !errors.Is(err, ErrLoginFailed) {
		t.Fatalf("right password while throttled: %v", err)
	}
	// Another username from the same address is not affected.
	_, pw2 := mustCreate(t, s, "erin", RoleRequester)
	if _, _, err := login(s, "erin", pw2); err != nil {
		t.Fatalf("another user: %v", err)
	}
	// When the window has passed, the right password works again.
	if _, err := pool.Exec(context.Background(), "UPDATE login_throttle SET window_start = now() - interval '1 hour'"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := login(s, "DAVE", pw); err != nil {
		t.Fatalf("after the window: %v", err)
	}
	// Each lock was recorded once (one per username), not once per
	// refused attempt: four attempts were refused.
	if n := strings.Count(strings.Join(actions(t, pool, "login"), ","), "auth.login_throttled"); n != 2 {
		t.Errorf("throttle events = %d, want 2", n)
	}
}

func TestThrottlePerAddress(t *testing.T) {
	t.Parallel()
	s, _ := newTestService(t, ThrottleConfig{PerUsername: 100, PerAddress: 3})
	_, pw := mustCreate(t, s, "frank", RoleRequester)
	for _, name := range []string{"a1", "a2", "a3"} {
		if _, _, err := login(s, name, "whatever whatever"); !errors.Is(err, ErrLoginFailed) {
			t.Fatal(err)
		}
	}
	if _, _, err := login(s, "frank", pw); !errors.Is(err, ErrLoginFailed) {
		t.Fatalf("fourth attempt from one address: %v, want refused", err)
	}
	other := LoginInput{Username: "frank", Password: pw, Client: Client{RemoteAddr: "198.51.100.7"}}
	if _, _, err := s.Login(context.Background(), other); err != nil {
		t.Fatalf("another address: %v", err)
	}
}

func TestStoreLifecycle(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, pool := newTestService(t, ThrottleConfig{})
	u, pw := mustCreate(t, s, "grace", RoleAuditor)
	st := s.Store(nil)

	_, issued, err := login(s, "grace", pw)
	if err != nil {
		t.Fatal(err)
	}
	cookie := issueCookie(t, st, issued, u)
	sess := loadSession(t, st, cookie)
	got, ok := SessionUser(sess)
	if sess.IsNew || !ok || got.ID != u.ID {
		t.Fatalf("loaded session: new=%v user=%+v", sess.IsNew, got)
	}
	// Values survive a save (flash messages).
	sess.AddFlash("ok|saved")
	saveSession(t, st, sess)
	if f := loadSession(t, st, cookie).Flashes(); len(f) != 1 || f[0] != "ok|saved" {
		t.Fatalf("flashes = %v", f)
	}
	// A forged cookie and a cookie under another key load nothing.
	forged := *cookie
	forged.Value = cookie.Value[:len(cookie.Value)-4] + "AAAA"
	if !loadSession(t, st, &forged).IsNew {
		t.Fatal("forged cookie accepted")
	}
	// Idle timeout and absolute timeout both end it.
	if _, err := pool.Exec(ctx, "UPDATE sessions SET last_seen_at = now() - interval '9 hours'"); err != nil {
		t.Fatal(err)
	}
	if !loadSession(t, st, cookie).IsNew {
		t.Fatal("idle session still accepted")
	}
	if _, err := pool.Exec(ctx, "UPDATE sessions SET last_seen_at = now(), expires_at = now() - interval '1 second'"); err != nil {
		t.Fatal(err)
	}
	if !loadSession(t, st, cookie).IsNew {
		t.Fatal("expired session still accepted")
	}
}

func TestPasswordChangesEndSessions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, pool := newTestService(t, ThrottleConfig{})
	u, pw := mustCreate(t, s, "heidi", RoleRequester)
	st := s.Store(nil)
	_, a, _ := login(s, "heidi", pw)
	_, b, _ := login(s, "heidi", pw)
	ca, cb := issueCookie(t, st, a, u), issueCookie(t, st, b, u)

	// Changing one's own password ends every session and starts a new one.
	newPW := "a brand new password for heidi"
	fresh, err := s.ChangeOwnPassword(ctx, Actor{UserID: u.ID}, PasswordChange{Current: pw, New: newPW, Confirm: newPW, Session: a.ID})
	if err != nil {
		t.Fatal(err)
	}
	if !loadSession(t, st, ca).IsNew || !loadSession(t, st, cb).IsNew {
		t.Fatal("a session from before the password change still works")
	}
	cf := issueCookie(t, st, fresh, u)
	if loadSession(t, st, cf).IsNew {
		t.Fatal("the new session does not work")
	}
	// A wrong current password changes nothing.
	_, err = s.ChangeOwnPassword(ctx, Actor{UserID: u.ID}, PasswordChange{Current: "not it at all!!", New: newPW + "2", Confirm: newPW + "2", Session: fresh.ID})
	var fe fault.Fields
	if !errors.As(err, &fe) || fe["current"].Key == "" {
		t.Fatalf("wrong current password: %v", err)
	}
	// A session that has ended cannot change the password (and so cannot
	// buy itself a new session).
	_, err = s.ChangeOwnPassword(ctx, Actor{UserID: u.ID}, PasswordChange{Current: newPW, New: newPW + "3", Confirm: newPW + "3", Session: b.ID})
	if !errors.Is(err, ErrSessionEnded) {
		t.Fatalf("ended session changing the password: %v", err)
	}
	// An admin's reset ends sessions too.
	if _, err := s.ResetPassword(ctx, cli, u.ID); err != nil {
		t.Fatal(err)
	}
	if !loadSession(t, st, cf).IsNew {
		t.Fatal("a session survived a password reset")
	}
	want := []string{"user.created", "auth.login", "auth.login", "user.password_changed", "user.password_change_failed", "user.password_reset"}
	if got := actions(t, pool, userSubject(u.ID)); !slices.Equal(got, want) {
		t.Errorf("audit = %v, want %v", got, want)
	}
}

func TestDisableEndsSessionsAndRefusesLogin(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := newTestService(t, ThrottleConfig{})
	u, pw := mustCreate(t, s, "ivan", RoleApprover)
	st := s.Store(nil)
	_, is, _ := login(s, "ivan", pw)
	c := issueCookie(t, st, is, u)
	if _, err := s.SetDisabled(ctx, cli, u.ID, true); err != nil {
		t.Fatal(err)
	}
	if !loadSession(t, st, c).IsNew {
		t.Fatal("a disabled user's session still works")
	}
	if _, _, err := login(s, "ivan", pw); !errors.Is(err, ErrLoginFailed) {
		t.Fatalf("disabled user signed in: %v", err)
	}
	if _, err := s.SetDisabled(ctx, cli, u.ID, false); err != nil {
		t.Fatal(err)
	}
	if _, _, err := login(s, "ivan", pw); err != nil {
		t.Fatalf("re-enabled user: %v", err)
	}
}

func TestLastAdminIsKept(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := newTestService(t, ThrottleConfig{})
	a, _ := mustCreate(t, s, "root1", RoleAdmin)
	if _, err := s.SetDisabled(ctx, cli, a.ID, true); fault.KindOf(err) != fault.Conflict {
		t.Fatalf("disabling the last admin: %v", err)
	}
	_, err := s.UpdateProfile(ctx, cli, a.ID, Profile{Roles: []Role{RoleRequester}})
	var fe fault.Fields
	if !errors.As(err, &fe) || fe["roles"].Key == "" {
		t.Fatalf("demoting the last admin: %v", err)
	}
	if _, err := s.SetDisabled(ctx, Actor{UserID: a.ID}, a.ID, true); fault.KindOf(err) != fault.Conflict {
		t.Fatalf("disabling oneself: %v", err)
	}
	b, _ := mustCreate(t, s, "root2", RoleAdmin)
	if _, err := s.UpdateProfile(ctx, Actor{UserID: b.ID}, a.ID, Profile{DisplayName: "Former admin", Roles: []Role{RoleRequester}}); err != nil {
		t.Fatalf("demoting one of two admins: %v", err)
	}
}

func TestEnsureFirstAdmin(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := newTestService(t, ThrottleConfig{})
	u, pw, created, err := s.EnsureFirstAdmin(ctx, cli)
	if err != nil || !created || pw == "" || !u.Has(RoleAdmin) {
		t.Fatalf("first call: %+v %v %v", u, created, err)
	}
	if _, _, err := login(s, "admin", pw); err != nil {
		t.Fatalf("first admin cannot sign in: %v", err)
	}
	if _, pw2, created, err := s.EnsureFirstAdmin(ctx, cli); err != nil || created || pw2 != "" {
		t.Fatalf("second call created=%v err=%v", created, err)
	}
}

func TestAdminEndsSessions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, pool := newTestService(t, ThrottleConfig{})
	u, pw := mustCreate(t, s, "judy", RoleRequester)
	st := s.Store(nil)
	_, a, _ := login(s, "judy", pw)
	_, b, _ := login(s, "judy", pw)
	list, err := s.Sessions(ctx, u.ID)
	if err != nil || len(list) != 2 {
		t.Fatalf("sessions = %v, %v", list, err)
	}
	if err := s.EndSession(ctx, cli, u.ID, a.Ref()); err != nil {
		t.Fatal(err)
	}
	if !loadSession(t, st, issueCookie(t, st, a, u)).IsNew || loadSession(t, st, issueCookie(t, st, b, u)).IsNew {
		t.Fatal("ending one session ended the wrong one")
	}
	if err := s.EndSession(ctx, cli, u.ID, a.Ref()); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("ending it twice: %v", err)
	}
	if n, err := s.EndAllSessions(ctx, cli, u.ID); err != nil || n != 1 {
		t.Fatalf("end all: %d %v", n, err)
	}
	if got := actions(t, pool, userSubject(u.ID)); !slices.Contains(got, "session.ended") || !slices.Contains(got, "session.ended_all") {
		t.Errorf("audit = %v", got)
	}
}
