package model

// Backfill is the progress of reading what a followed actor already holds
// (issue #11): for an instance actor, the organisations it hosts and each
// one's outbox; for an organisation, its outbox. It is stored after every
// page applied, so that a restart resumes at the page it was reading.
type Backfill struct {
	Actor string `json:"actor"` // the followed actor
	// Relay, when set, makes this a read-only reading of a maillage
	// server discovered through that relay (its URL), which nothing here
	// follows (service/discover.go): what it reads counts towards the
	// relay's total, and it ends when the relay is left or its discovery
	// switched off.
	Relay string `json:"relay,omitempty"`
	// The organisations of an instance actor's collection, read first,
	// are stored apart, once each, in the order found (store.Tx.
	// BackfillOrg): OrgsFound counts them, NextOrg is the cursor of the
	// next one to read, and OrgsDone marks the collection as read. So
	// saving the progress after a page writes a few counters, not the
	// list of up to 1,000 IRIs.
	OrgsFound int  `json:"orgs_found,omitempty"`
	NextOrg   int  `json:"next_org,omitempty"`
	OrgsDone  bool `json:"orgs_done,omitempty"`
	// Found are the organisations a step found, which saving the
	// progress appends to the stored list (skipping those already there)
	// and counts in OrgsFound; never stored with the progress itself.
	Found []string `json:"-"`
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
	// Runs counts the runs the backfill took: each runs for a time
	// budget at most, then pauses until the next retry.
	Runs int `json:"runs,omitempty"`
}
