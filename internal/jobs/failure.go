package jobs

import (
	"context"
	"errors"
	"net"
	"net/textproto"

	"dealdesk/internal/notify"
)

// deliveryFailure is a delivery's error with the kind the delivery log
// keeps (notify.FailureCode). Its text, which may name a host or quote a
// receiver, goes to the server's log only.
type deliveryFailure struct {
	code string
	err  error
}

func (f *deliveryFailure) Error() string { return f.err.Error() }
func (f *deliveryFailure) Unwrap() error { return f.err }

// failed marks err as a failure of kind (with its number when n > 0).
func failed(kind string, n int, err error) error {
	return &deliveryFailure{code: notify.FailureCode(kind, n), err: err}
}

// smtpCode is an SMTP server's reply code in err, 0 when it has none.
func smtpCode(err error) int {
	if tp, ok := errors.AsType[*textproto.Error](err); ok {
		return tp.Code
	}
	return 0
}

// failureCode is what the delivery log records of err: the kind it was
// marked with, else a timeout, a connection that failed or an SMTP reply
// told apart by their types, else "other".
func failureCode(err error) string {
	if f, ok := errors.AsType[*deliveryFailure](err); ok {
		return f.code
	}
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) {
		return notify.FailTimeout
	}
	if code := smtpCode(err); code > 0 {
		return notify.FailureCode(notify.FailSMTPRefused, code)
	}
	if _, ok := errors.AsType[*net.OpError](err); ok {
		return notify.FailUnreachable
	}
	return notify.FailOther
}
