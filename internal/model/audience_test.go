package model

import "testing"

func TestVisibleTo(t *testing.T) {
	const alice, bob = "https://l.example/members/alice", "https://l.example/members/bob"
	anonymous := Viewer{}
	follower := Viewer{Actor: alice, FollowsAuthor: true}
	stranger := Viewer{Actor: bob}
	tests := []struct {
		name                            string
		o                               Object
		public, anon, follower, strange bool
	}{
		{"local", Object{Local: true}, true, true, true, true},
		{"public", Object{Audience: AudiencePublic}, true, true, true, true},
		{"unlisted", Object{Audience: AudienceUnlisted}, false, false, true, false},
		{"followers", Object{Audience: AudienceFollowers}, false, false, true, false},
		{"direct to alice", Object{Audience: AudienceDirect, Addressed: []string{alice}}, false, false, true, false},
		{"direct to the org only", Object{Audience: AudienceDirect, Addressed: []string{"https://l.example/orgs/coop"}}, false, false, false, false},
		{"remote, stored before audiences", Object{}, false, false, true, false},
		{"unknown audience", Object{Audience: "friends"}, false, false, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.o.IsPublic(); got != tt.public {
				t.Errorf("IsPublic = %v, want %v", got, tt.public)
			}
			for _, c := range []struct {
				who  string
				v    Viewer
				want bool
			}{{"anonymous", anonymous, tt.anon}, {"follower", follower, tt.follower}, {"stranger", stranger, tt.strange}} {
				if got := tt.o.VisibleTo(c.v); got != c.want {
					t.Errorf("VisibleTo(%s) = %v, want %v", c.who, got, c.want)
				}
			}
		})
	}
}
