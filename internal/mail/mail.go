// Package mail sends plain-text e-mail through a configured SMTP server
// (net/smtp): the matching digests of issue #5.
package mail

import (
	"context"
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
	if err := smtp.SendMail(m.Addr, auth, m.From, []string{to}, []byte(msg)); err != nil {
		return fmt.Errorf("mail: send to %s: %w", to, err)
	}
	return nil
}
