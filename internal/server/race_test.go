//go:build race

package server_test

// raceEnabled is true under the race detector, which slows the
// 30-instance relay simulation several times: it then runs 10.
const raceEnabled = true
