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
// counts. Writable mappings (data, bss) are never touched.
func releaseExecutable() {
	exe, err := os.Readlink("/proc/self/exe")
	if err != nil {
		return
	}
	maps, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		return
	}
	for line := range strings.Lines(string(maps)) {
		// address perms offset dev inode path
		f := strings.Fields(line)
		if len(f) < 6 || strings.Join(f[5:], " ") != exe || !strings.HasPrefix(f[1], "r") || strings.Contains(f[1], "w") {
			continue
		}
		lo, hi, _ := strings.Cut(f[0], "-")
		start, err1 := strconv.ParseUint(lo, 16, 64)
		end, err2 := strconv.ParseUint(hi, 16, 64)
		if err1 != nil || err2 != nil || end <= start {
			continue
		}
		_, _, _ = syscall.Syscall(syscall.SYS_MADVISE, uintptr(start), uintptr(end-start), syscall.MADV_DONTNEED)
	}
}
