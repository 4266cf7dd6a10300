// Package service holds maillage's use cases: publishing projects and calls,
// following and being followed, and what an incoming activity may change.
// It validates and authorises, then writes in one store transaction the
// change, the activities it causes and their deliveries, and only then wakes
// the delivery workers. It never touches the network or HTTP: rendering
// activities to JSON and resolving remote actors are behind the small
// interfaces declared in deps.go, implemented by package federation.
package service
