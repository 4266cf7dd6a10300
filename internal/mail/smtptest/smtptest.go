// Package smtptest is an in-process SMTP server for tests: it speaks just
// enough SMTP (greeting, EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT)
// for net/smtp and keeps every message it receives.
package smtptest

import (
	"bufio"
	"net"
	"strings"
	"sync"
	"time"
)

// Message is one received e-mail.
type Message struct {
	From string
	To   []string
	Data string // headers and body, CRLF line ends, dot-stuffing undone
}

// Server receives mail on a listener until Close.
type Server struct {
	ln net.Listener
	wg sync.WaitGroup

	// mu guards msgs.
	mu   sync.Mutex
	msgs []Message
}

// Start serves on ln (say net.Listen("tcp", "127.0.0.160:0")).
func Start(ln net.Listener) *Server {
	s := &Server{ln: ln}
	s.wg.Add(1)
	go s.accept()
	return s
}

// Addr is the host:port to give net/smtp.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Close stops accepting and waits for the sessions to end.
func (s *Server) Close() {
	s.ln.Close()
	s.wg.Wait()
}

// Messages returns what was received so far.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.msgs...)
}

func (s *Server) accept() {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.wg.Add(1)
		go func() { defer s.wg.Done(); s.session(c) }()
	}
}

func (s *Server) session(c net.Conn) {
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(30 * time.Second))
	r, w := bufio.NewReader(c), bufio.NewWriter(c)
	reply := func(line string) bool {
		_, err := w.WriteString(line + "\r\n")
		return err == nil && w.Flush() == nil
	}
	if !reply("220 smtptest ready") {
		return
	}
	var m Message
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		line = strings.TrimRight(line, "\r\n")
		verb := strings.ToUpper(strings.SplitN(line, " ", 2)[0])
		switch verb {
		case "EHLO":
			reply("250-smtptest\r\n250 8BITMIME")
		case "HELO", "NOOP":
			reply("250 ok")
		case "RSET":
			m = Message{}
			reply("250 ok")
		case "MAIL":
			m = Message{From: addrOf(line)}
			reply("250 ok")
		case "RCPT":
			m.To = append(m.To, addrOf(line))
			reply("250 ok")
		case "DATA":
			reply("354 end with .")
			var b strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" || l == ".\n" {
					break
				}
				b.WriteString(strings.TrimPrefix(l, "."))
			}
			m.Data = b.String()
			s.mu.Lock()
			s.msgs = append(s.msgs, m)
			s.mu.Unlock()
			reply("250 queued")
		case "QUIT":
			reply("221 bye")
			return
		default:
			reply("502 not implemented")
		}
	}
}

// addrOf is the address between < and > in "MAIL FROM:<a@b>".
func addrOf(line string) string {
	i, j := strings.IndexByte(line, '<'), strings.LastIndexByte(line, '>')
	if i < 0 || j < i {
		return ""
	}
	return line[i+1 : j]
}
