package model

import "time"

// Peer is another server this instance knows (issue #11, the network
// page): through a follow either way, what it received, or a source such
// as a relay; with what its NodeInfo said when last read.
type Peer struct {
	Host   string   `json:"host"`   // host[:port], canonical (uris.HostOf): the key
	Origin string   `json:"origin"` // scheme://host[:port]
	Via    []string `json:"via,omitempty"`
	// From NodeInfo: the software, and for a maillage instance its
	// description and counts (metadata.maillage).
	Software      string   `json:"software,omitempty"`
	Version       string   `json:"version,omitempty"`
	Maillage      bool     `json:"maillage,omitempty"`
	Name          string   `json:"name,omitempty"`
	Summary       string   `json:"summary,omitempty"`
	Region        string   `json:"region,omitempty"`
	Country       string   `json:"country,omitempty"`
	Languages     []string `json:"languages,omitempty"`
	Orgs          int      `json:"orgs,omitempty"`
	Projects      int      `json:"projects,omitempty"`
	OpenCalls     int      `json:"open_calls,omitempty"`
	InstanceActor string   `json:"instance_actor,omitempty"` // FEP-2677 link, on Origin
	// Checked is the last attempt to read its NodeInfo, Read the last
	// success; Problem says why the last attempt failed ("" if it did not).
	Checked time.Time `json:"checked,omitzero"`
	Read    time.Time `json:"read,omitzero"`
	Problem string    `json:"problem,omitempty"`
	// Discovered is when this maillage server, which nothing here
	// follows, was last read once (service/discover.go).
	Discovered time.Time `json:"discovered,omitzero"`
}

// Ways a peer is known (Peer.Via).
const (
	PeerFollowing = "following" // a local actor follows one of its actors
	PeerFollower  = "follower"  // one of its actors follows a local actor
	PeerReceived  = "received"  // the store holds content of one of its actors
	PeerRelay     = "relay"     // a relay (issue #11 item 2)
)
