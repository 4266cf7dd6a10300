package server

import (
	"os"
	"strconv"
	"strings"
	"syscall"
)

// releaseExecutable drops this process's mappings of the read-only pages
// of its executable (code, read-only data, the function tables): they are
// clean copies of the file, so madvise(MADV_DONTNEED) only unmaps them
// (madvise(2)), and a page a request needs again is mapped back from the
// page cache. Start touches code that idle never runs again (package
// initialisation, migrations, template parsing), and each touch maps the
// 64 KiB around it (the kernel's fault-around), which resident memory
// counts. Writable mappings (data, bss) are left alone, and so is a
// read-only one holding pages of its own (Anonymous in smaps: relocations
// a dynamic loader wrote before making it read-only), which DONTNEED
// would lose.
func releaseExecutable() {
	exe, err := os.Readlink("/proc/self/exe")
	if err != nil {
		return
	}
	smaps, err := os.ReadFile("/proc/self/smaps")
	if err != nil {
		return
	}
	var start, end uint64
	ours := false
	for line := range strings.Lines(string(smaps)) {
		f := strings.Fields(line)
		switch {
		case len(f) >= 5 && strings.Contains(f[0], "-") && !strings.HasSuffix(f[0], ":"):
			// A mapping: address perms offset dev inode [path].
			lo, hi, _ := strings.Cut(f[0], "-")
			var err1, err2 error
			start, err1 = strconv.ParseUint(lo, 16, 64)
			end, err2 = strconv.ParseUint(hi, 16, 64)
			ours = err1 == nil && err2 == nil && end > start && len(f) >= 6 &&
				strings.Join(f[5:], " ") == exe && strings.HasPrefix(f[1], "r") && !strings.Contains(f[1], "w")
		case ours && len(f) >= 2 && f[0] == "Anonymous:":
			// The last field of a mapping that matters here.
			if f[1] == "0" {
				_, _, _ = syscall.Syscall(syscall.SYS_MADVISE, uintptr(start), uintptr(end-start), syscall.MADV_DONTNEED)
			}
			ours = false
		}
	}
}
