package cli

import (
	"context"
	"fmt"
	"os"
	"time"

	"codeberg.org/maillage/maillage/internal/loadtest"
)

// runLoad is `maillage load`: this binary, run as an instance on loopback,
// measured under load (internal/loadtest).
func runLoad(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "load")
	o := loadtest.Options{}
	fs.StringVar(&o.InstanceIP, "ip", "127.0.0.95", "loopback address of the instance")
	fs.StringVar(&o.RemoteIP, "remote-ip", "127.0.0.96", "loopback address of the remote server")
	fs.DurationVar(&o.Idle, "idle", 15*time.Second, "how long the instance idles before its memory is read")
	fs.IntVar(&o.Mixed, "mixed", 2000, "requests of the mixed burst")
	fs.DurationVar(&o.Duration, "duration", 5*time.Second, "length of each throughput measurement")
	fs.IntVar(&o.Creates, "creates", 2000, "signed Creates per inbox measurement")
	fs.IntVar(&o.Received, "received", 20000, "objects the store holds for the last measurement")
	fs.StringVar(&o.Keep, "keep", "", "keep the instance's data in this directory (default: a temporary one)")
	fs.StringVar(&o.Binary, "bin", "", "measure another maillage binary (an older build, say) instead of this one")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if o.Binary == "" {
		bin, err := os.Executable()
		if err != nil {
			return fmt.Errorf("load: %w", err)
		}
		o.Binary = bin
	}
	return loadtest.Run(ctx, o, e.stdout)
}
