package loadtest_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/cli"
	"codeberg.org/maillage/maillage/internal/loadtest"
)

// childEnv makes this test binary act as the maillage binary, so that Run
// can start it as the instance without building anything.
const childEnv = "MAILLAGE_LOADTEST_AS_MAILLAGE"

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) != "" {
		if err := cli.Run(context.Background(), os.Args[1:], os.Stdout, os.Stderr); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestRun runs the whole measurement with small numbers and checks that
// every figure was measured and every signed Create stored.
func TestRun(t *testing.T) {
	if _, err := os.Stat("/proc/self/status"); err != nil {
		t.Skip("needs Linux /proc")
	}
	t.Setenv(childEnv, "1")
	var out bytes.Buffer
	err := loadtest.Run(context.Background(), loadtest.Options{Binary: os.Args[0], InstanceIP: "127.0.0.97", RemoteIP: "127.0.0.98",
		Idle: 100 * time.Millisecond, Mixed: 60, Duration: 200 * time.Millisecond, Creates: 40, Received: 120}, &out)
	t.Log("\n" + out.String())
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`time to first response, new store +\d+\.\d+ ms`,
		`idle RSS after 100ms, new store +\d+\.\d MB`,
		`RSS after 60 mixed requests \(4 concurrent, 0 failed\) +\d+\.\d MB`,
		`WebFinger, 4 concurrent +\d+ req/s, p50 [\d.]+ ms, p99 [\d.]+ ms \(0 failed\)`,
		`signed actor GET, 4 concurrent +\d+ req/s, p50 [\d.]+ ms, p99 [\d.]+ ms \(0 failed\)`,
		`signed inbox Creates stored, 4 concurrent +\d+/s \(40 of 40 stored`,
		`signed inbox Creates stored, 16 concurrent +\d+/s \(40 of 40 stored`,
		`CPU per 1,000 activities \(16 concurrent\) +[\d.]+ s`,
		// 10 of the 60 mixed requests are Creates: 90 stored before the fill.
		`time to first response, 120 received objects +\d+\.\d+ ms`,
		`idle RSS after 100ms, 120 received objects +\d+\.\d MB`,
	} {
		if !regexp.MustCompile(want).MatchString(out.String()) {
			t.Errorf("report has no line matching %q", want)
		}
	}
	if strings.Contains(out.String(), " 0.0 MB") {
		t.Error("a memory figure is zero")
	}
}
