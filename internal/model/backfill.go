package model

// Backfill is the progress of reading what a followed actor already holds
// (issue #11): for an instance actor, the organisations it hosts and each
// one's outbox; for an organisation, its outbox. It is stored after every
// page applied, so that a restart resumes at the page it was reading.
type Backfill struct {
	Actor string `json:"actor"` // the followed actor
	// Orgs are the organisations left to read (an instance actor's
	// collection, read first); OrgsDone marks that collection as read.
	Orgs     []string `json:"orgs,omitempty"`
	OrgsDone bool     `json:"orgs_done,omitempty"`
	// Current is the actor whose outbox is being read, Page the next page
	// (or collection) to fetch: of the organisations collection while
	// OrgsDone is false, else of Current's outbox. Empty: start Current.
	Current string `json:"current,omitempty"`
	Page    string `json:"page,omitempty"`
	// Counters bound the work: pages and items of Current's outbox, and
	// pages and bytes of the whole backfill.
	OutboxPages int   `json:"outbox_pages,omitempty"`
	OutboxItems int   `json:"outbox_items,omitempty"`
	Pages       int   `json:"pages,omitempty"`
	Bytes       int64 `json:"bytes,omitempty"`
	Errors      int   `json:"errors,omitempty"`
}
