package server

import (
	"runtime/debug"
	"sync"
	"time"
)

// releaseDelay leaves the first requests of a start (health checks, the
// first page) to run before the release.
const releaseDelay = time.Second

var releaseOnce sync.Once

// releaseStartMemory gives back, once per process, what only starting
// needed: the heap garbage of opening the store, loading the directory and
// parsing texts (FreeOSMemory instead of waiting for the scavenger), and
// the pages of the executable that package initialisation and start read
// (releaseExecutable). A fresh instance measured idle with `maillage load`
// held about 11 MB of its executable resident this way, more than its heap.
func releaseStartMemory() {
	releaseOnce.Do(func() {
		time.AfterFunc(releaseDelay, func() {
			debug.FreeOSMemory()
			releaseExecutable()
		})
	})
}
