package templates

import "testing"

func TestWaitingCountShowsItsCap(t *testing.T) {
	for n, want := range map[int]string{0: "0", 7: "7", 99: "99", 100: "99+", 5000: "99+"} {
		if got := waitingCount(n); got != want {
			t.Errorf("waitingCount(%d) = %q, want %q", n, got, want)
		}
	}
}
