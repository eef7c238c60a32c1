package jobs

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"net/url"
	"time"

	"dealdesk/internal/notify"
)

// mailTimeout bounds one SMTP conversation; River retries after it.
const mailTimeout = 30 * time.Second

// MailConfig is the SMTP server notices are mailed through
// (CONSOLE_SMTP_URL, CONSOLE_SMTP_FROM). A nil URL mails nothing.
type MailConfig struct {
	// URL is smtp://[user:password@]host[:port] (STARTTLS whenever the
	// server offers it; port 587 by default) or smtps://… (TLS from the
	// first byte; port 465 by default).
	URL *url.URL
	// From is the sender's address.
	From string
	// TLS, when set, replaces the default TLS settings (tests trust their
	// own server's certificate with it).
	TLS *tls.Config
}

func (c MailConfig) enabled() bool { return c.URL != nil }

// sendMail mails one plain-text message. net/smtp does the protocol;
// what is ours is the deadline, TLS and the headers.
func sendMail(ctx context.Context, c MailConfig, to, subject, body string) error {
	if _, err := mail.ParseAddress(to); err != nil {
		return failed(notify.FailBadAddress, 0, errors.New("jobs: the person's e-mail address does not parse"))
	}
	host := c.URL.Hostname()
	port := c.URL.Port()
	if port == "" {
		port = "587"
		if c.URL.Scheme == "smtps" {
			port = "465"
		}
	}
	tlsConfig := &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}
	if c.TLS != nil {
		tlsConfig = c.TLS.Clone()
	}
	ctx, cancel := context.WithTimeout(ctx, mailTimeout)
	defer cancel()
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", net.JoinHostPort(host, port))
	if err != nil {
		return fmt.Errorf("jobs: SMTP %s: %w", host, err)
	}
	defer func() { _ = conn.Close() }()
	if deadline, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(deadline)
	}
	if c.URL.Scheme == "smtps" {
		conn = tls.Client(conn, tlsConfig)
	}
	client, err := smtp.NewClient(conn, host)
	if err != nil {
		return fmt.Errorf("jobs: SMTP %s: %w", host, err)
	}
	defer func() { _ = client.Close() }()
	if c.URL.Scheme == "smtp" {
		if ok, _ := client.Extension("STARTTLS"); ok {
			if err := client.StartTLS(tlsConfig); err != nil {
				return failed(notify.FailSMTPTLS, 0, fmt.Errorf("jobs: SMTP %s STARTTLS: %w", host, err))
			}
		}
	}
	if user := c.URL.User; user != nil {
		pass, _ := user.Password()
		// PlainAuth refuses to send the password unencrypted except to
		// localhost.
		if err := client.Auth(smtp.PlainAuth("", user.Username(), pass, host)); err != nil {
			return failed(notify.FailSMTPSignIn, smtpCode(err), fmt.Errorf("jobs: SMTP %s refused the sign-in: %w", host, err))
		}
	}
	if err := client.Mail(c.From); err != nil {
		return fmt.Errorf("jobs: SMTP %s MAIL FROM: %w", host, err)
	}
	if err := client.Rcpt(to); err != nil {
		return fmt.Errorf("jobs: SMTP %s refused the recipient: %w", host, err)
	}
	w, err := client.Data()
	if err != nil {
		return fmt.Errorf("jobs: SMTP %s DATA: %w", host, err)
	}
	if _, err := w.Write(mailMessage(c.From, to, subject, body)); err != nil {
		return fmt.Errorf("jobs: SMTP %s: %w", host, err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("jobs: SMTP %s did not take the message: %w", host, err)
	}
	return client.Quit()
}

// mailMessage is the message's bytes: headers (the subject encoded for any
// script) and the body as quoted-printable UTF-8.
func mailMessage(from, to, subject, body string) []byte {
	var b bytes.Buffer
	id := make([]byte, 12)
	_, _ = rand.Read(id)
	fmt.Fprintf(&b, "From: %s\r\nTo: %s\r\nSubject: %s\r\nDate: %s\r\nMessage-ID: <%s@dealdesk>\r\n",
		from, to, mime.QEncoding.Encode("utf-8", subject), time.Now().UTC().Format(time.RFC1123Z), hex.EncodeToString(id))
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n")
	qp := quotedprintable.NewWriter(&b)
	_, _ = qp.Write([]byte(body + "\n"))
	_ = qp.Close()
	return b.Bytes()
}
