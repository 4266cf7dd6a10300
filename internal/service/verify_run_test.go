package service

import (
	"context"
	"testing"
	"testing/synctest"
	"time"
)

// Requests to one host are spaced; another host does not wait.
func TestHostGateSpacing(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		g := &hostGate{spacing: 10 * time.Second, next: map[string]time.Time{}}
		ctx := context.Background()
		start := time.Now()
		for i := range 3 {
			if err := g.wait(ctx, "site.example"); err != nil {
				t.Fatal(err)
			}
			if got, want := time.Since(start), time.Duration(i)*10*time.Second; got != want {
				t.Errorf("request %d to one host after %v, want %v", i, got, want)
			}
		}
		before := time.Now()
		if err := g.wait(ctx, "other.example"); err != nil || time.Since(before) != 0 {
			t.Errorf("another host waited %v (%v)", time.Since(before), err)
		}
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if err := g.wait(cctx, "site.example"); err == nil {
			t.Error("a cancelled wait returned nil")
		}
	})
}
