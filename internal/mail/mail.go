// Package mail sends plain-text e-mail through a configured SMTP server
// (net/smtp): matching digests, reminders and password-reset links.
package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"mime"
	"net"
	"net/smtp"
	"strings"
	"time"
)

// SMTP sends through the server at Addr (host:port). With User set it
// authenticates with PLAIN, which net/smtp only allows over TLS (STARTTLS)
// or to localhost.
type SMTP struct {
	Addr, From     string
	User, Password string
	Now            func() time.Time
}

// Send sends one message to to. The subject is encoded for UTF-8; the
// body is sent as is (net/smtp escapes leading dots).
func (m SMTP) Send(ctx context.Context, to, subject, body string) error {
	if strings.ContainsAny(to+subject+m.From, "\r\n") {
		return errors.New("mail: line break in a header")
	}
	now := time.Now
	if m.Now != nil {
		now = m.Now
	}
	var auth smtp.Auth
	if m.User != "" {
		host, _, err := net.SplitHostPort(m.Addr)
		if err != nil {
			return fmt.Errorf("mail: smtp address: %w", err)
		}
		auth = smtp.PlainAuth("", m.User, m.Password, host)
	}
	msg := "From: " + m.From + "\r\nTo: " + to + "\r\nSubject: " + mime.QEncoding.Encode("utf-8", subject) +
		"\r\nDate: " + now().Format(time.RFC1123Z) + "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n" +
		"Content-Transfer-Encoding: 8bit\r\n\r\n" + strings.ReplaceAll(strings.ReplaceAll(body, "\r\n", "\n"), "\n", "\r\n")
	if err := m.send(ctx, auth, to, []byte(msg)); err != nil {
		return fmt.Errorf("mail: send to %s: %w", to, err)
	}
	return nil
}

// sendTimeout bounds one whole SMTP conversation: a stalled server must
// not hold the single mail worker for ever.
const sendTimeout = time.Minute

// send is smtp.SendMail with a context-aware dial and a deadline on the
// connection.
func (m SMTP) send(ctx context.Context, auth smtp.Auth, to string, msg []byte) error {
	ctx, cancel := context.WithTimeout(ctx, sendTimeout)
	defer cancel()
	conn, err := (&net.Dialer{}).DialContext(ctx, "tcp", m.Addr)
	if err != nil {
		return err
	}
	deadline, _ := ctx.Deadline()
	if err := conn.SetDeadline(deadline); err != nil {
		conn.Close()
		return err
	}
	host, _, _ := net.SplitHostPort(m.Addr)
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		conn.Close()
		return err
	}
	defer c.Close()
	if ok, _ := c.Extension("STARTTLS"); ok {
		if err := c.StartTLS(&tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}); err != nil {
			return err
		}
	}
	if auth != nil {
		if err := c.Auth(auth); err != nil {
			return err
		}
	}
	if err := c.Mail(m.From); err != nil {
		return err
	}
	if err := c.Rcpt(to); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(msg); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit()
}
