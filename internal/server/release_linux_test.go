package server

import (
	"os"
	"strconv"
	"strings"
	"testing"
)

// exeResidentKB sums the resident kB of the read-only mappings of this
// executable (/proc/self/smaps).
func exeResidentKB(t *testing.T) int {
	t.Helper()
	exe, err := os.Readlink("/proc/self/exe")
	if err != nil {
		t.Fatal(err)
	}
	smaps, err := os.ReadFile("/proc/self/smaps")
	if err != nil {
		t.Fatal(err)
	}
	total, ours := 0, false
	for line := range strings.Lines(string(smaps)) {
		f := strings.Fields(line)
		if len(f) >= 5 && strings.Contains(f[0], "-") && !strings.HasSuffix(f[0], ":") {
			ours = len(f) >= 6 && strings.Join(f[5:], " ") == exe && !strings.Contains(f[1], "w")
			continue
		}
		if ours && len(f) >= 2 && f[0] == "Rss:" {
			n, _ := strconv.Atoi(f[1])
			total += n
		}
	}
	return total
}

func TestReleaseExecutable(t *testing.T) {
	before := exeResidentKB(t)
	if before < 1024 {
		t.Skipf("only %d kB of the executable resident: nothing to measure", before)
	}
	releaseExecutable()
	after := exeResidentKB(t)
	t.Logf("read-only pages of the executable resident: %d kB before, %d kB after", before, after)
	if after > before/2 {
		t.Errorf("%d kB still resident after the release, of %d kB", after, before)
	}
	// The code still runs: its pages come back from the page cache.
	if got := strings.Repeat("ab", 3); got != "ababab" {
		t.Fatal(got)
	}
}
