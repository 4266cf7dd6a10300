// Package delivery sends queued activities to remote inboxes. The queue is
// persisted in the store by the same transaction that caused the activity,
// so a crash loses nothing: after a restart every queued delivery is tried
// again (at least once). A bounded pool of workers POSTs each delivery,
// signed afresh on every attempt (the Date header must be recent), with a
// per-host concurrency cap, exponential backoff with jitter on transient
// failures, and giving up after the configured age (about two days).
package delivery
