package auth

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gorilla/sessions"
)

// issueCookie returns the cookie Store.Issue writes for a session.
func issueCookie(t *testing.T, st *Store, is IssuedSession, u User) *http.Cookie {
	t.Helper()
	rec := httptest.NewRecorder()
	if _, err := st.Issue(rec, httptest.NewRequest("POST", "/login", nil), is, u); err != nil {
		t.Fatal(err)
	}
	for _, c := range rec.Result().Cookies() {
		if c.Name == SessionCookie {
			if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.MaxAge <= 0 {
				t.Fatalf("cookie attributes: %+v", c)
			}
			return c
		}
	}
	t.Fatal("Issue wrote no session cookie")
	return nil
}

// loadSession loads the session a request with the cookie would get.
func loadSession(t *testing.T, st *Store, c *http.Cookie) *sessions.Session {
	t.Helper()
	r := httptest.NewRequest("GET", "/", nil)
	r.AddCookie(c)
	sess, err := st.Get(r, SessionCookie)
	if err != nil {
		t.Fatal(err)
	}
	return sess
}

func saveSession(t *testing.T, st *Store, sess *sessions.Session) {
	t.Helper()
	if err := st.Save(httptest.NewRequest("GET", "/", nil), httptest.NewRecorder(), sess); err != nil {
		t.Fatal(err)
	}
}
