// Package service holds maillage's use cases: publishing projects and calls,
// following and being followed, and what an incoming activity may change.
// Each use case that acts for someone takes the acting Principal
// (principal.go) and authorises it itself, so no caller can skip the check;
// the Receive* methods check what an incoming activity's actor may touch.
// It validates and authorises, then writes in one store transaction the
// change, the activities it causes, their deliveries and the notifications
// of the accounts a call matches, and only then wakes the delivery workers
// and tells the OnCommit observers (the directory). It never touches the
// network or HTTP: rendering activities to JSON and resolving remote actors
// are behind the small interfaces declared in deps.go, implemented by
// package federation. Everything it needs is given to New, which refuses
// missing dependencies; nothing is set afterwards.
package service
