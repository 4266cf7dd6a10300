// Package loadtest is `maillage load`: it starts this binary as an instance
// on loopback, with TLS, next to an in-process remote server whose actor
// follows the instance and is followed by it, and measures what a small
// instance spends its life on: start time, idle and working memory,
// discovery and actor documents under concurrent load, signed inbox
// Creates stored per second and their CPU cost, and idle memory again once
// the store holds many received objects.
//
// Everything runs on 127.0.0.0/8 with IP-literal certificates, so it needs
// no network and no other tool. Linux only: memory and CPU are read from
// /proc.
package loadtest
