//go:build !linux

package server

// releaseExecutable is a Linux measure (release_linux.go).
func releaseExecutable() {}
