package loadtest

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// instance is a `maillage serve` child process.
type instance struct {
	cmd    *exec.Cmd
	base   string
	token  string
	stderr *tailBuffer
	exited chan error
}

// startInstance runs bin serve with args and waits for the first 200 of
// /healthz; it returns the time from exec to that answer.
func startInstance(ctx context.Context, bin string, args []string, base string, client *http.Client) (*instance, time.Duration, error) {
	cmd := exec.Command(bin, append([]string{"serve"}, args...)...)
	cmd.Env = append(os.Environ(), "MAILLAGE_LOG_JSON=false")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, 0, err
	}
	in := &instance{cmd: cmd, base: base, stderr: &tailBuffer{max: 8 << 10}, exited: make(chan error, 1)}
	cmd.Stderr = in.stderr
	tokens := make(chan string, 1)
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, 0, fmt.Errorf("start %s: %w", bin, err)
	}
	go func() {
		// The first run prints the admin API token once: "export MAILLAGE_TOKEN=…".
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if t, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "export MAILLAGE_TOKEN="); ok {
				tokens <- t
			}
		}
		_, _ = io.Copy(io.Discard, stdout)
	}()
	go func() { in.exited <- cmd.Wait() }()
	for {
		if err := ctx.Err(); err != nil {
			in.stop()
			return nil, 0, err
		}
		select {
		case err := <-in.exited:
			return nil, 0, fmt.Errorf("instance exited: %v\n%s", err, in.stderr)
		case t := <-tokens:
			in.token = t
		default:
		}
		if resp, err := client.Get(base + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				elapsed := time.Since(start)
				if in.token == "" {
					select { // printed before the listener opens, on a first run
					case in.token = <-tokens:
					case <-time.After(100 * time.Millisecond):
					}
				}
				return in, elapsed, nil
			}
		}
		if time.Since(start) > time.Minute {
			in.stop()
			return nil, 0, errors.New("no 200 from /healthz after a minute")
		}
		time.Sleep(time.Millisecond)
	}
}

// stop ends the instance with SIGTERM, as systemd does, and waits.
func (in *instance) stop() {
	_ = in.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-in.exited:
	case <-time.After(30 * time.Second):
		_ = in.cmd.Process.Kill()
		<-in.exited
	}
}

// rss is the instance's resident memory in bytes (VmRSS).
func (in *instance) rss() (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", in.cmd.Process.Pid))
	if err != nil {
		return 0, err
	}
	for l := range strings.SplitSeq(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10, err
		}
	}
	return 0, errors.New("no VmRSS in /proc status")
}

// cpu is the instance's user plus system CPU time so far.
func (in *instance) cpu() (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", in.cmd.Process.Pid))
	if err != nil {
		return 0, err
	}
	// Fields after the command name, which is in parentheses and may hold spaces.
	s := string(b)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(fields) < 13 {
		return 0, errors.New("short /proc stat")
	}
	utime, err1 := strconv.ParseInt(fields[11], 10, 64)
	stime, err2 := strconv.ParseInt(fields[12], 10, 64)
	if err := errors.Join(err1, err2); err != nil {
		return 0, err
	}
	const ticks = 100 // USER_HZ, 100 on every Linux architecture Go supports
	return time.Duration(utime+stime) * time.Second / ticks, nil
}

// tailBuffer keeps the last max bytes written to it (the child's log).
type tailBuffer struct {
	mu  sync.Mutex
	max int
	b   []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, p...)
	if len(t.b) > t.max {
		t.b = t.b[len(t.b)-t.max:]
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.b)
}
