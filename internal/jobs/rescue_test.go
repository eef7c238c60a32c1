package jobs

import (
	"testing"
	"time"

	"dealdesk/internal/db/dbtest"
	"dealdesk/internal/orders"
	"dealdesk/internal/sending"
)

// The shortest rescue delay the configuration accepts (the send timeout
// plus 15s) must be one River accepts too: it refused any delay under its
// default job timeout of a minute, so `console serve` did not start.
func TestNewAcceptsTheShortestRescueDelayTheConfigAllows(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	sender := sending.New(pool, orders.NewService(pool), simKeys{}, nil, sending.Config{}, nil)
	for _, send := range []time.Duration{time.Second, 3 * time.Second, 30 * time.Second} {
		if _, err := New(pool, Config{Sender: sender, SendTimeout: send, RescueAfter: send + 15*time.Second}); err != nil {
			t.Errorf("send timeout %s, rescue after %s: %v", send, send+15*time.Second, err)
		}
	}
}
