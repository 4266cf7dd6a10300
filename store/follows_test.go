package store

import (
	"errors"
	"slices"
	"testing"

	"codeberg.org/maillage/maillage/internal/model"
)

func TestFollowers(t *testing.T) {
	s := openTestStore(t)
	const bob, carol = "https://b.example/u/bob", "https://c.example/u/carol"
	mustUpdate(t, s, func(tx *Tx) error {
		fs := []struct {
			local string
			f     model.Follower
		}{
			{"acme", model.Follower{Actor: carol, Inbox: carol + "/inbox", FollowID: carol + "/f/1", Pending: true}},
			{"acme", model.Follower{Actor: bob, Inbox: bob + "/inbox", SharedInbox: "https://b.example/inbox", FollowID: bob + "/f/1", Since: t0}},
			{"acme2", model.Follower{Actor: bob, Inbox: bob + "/inbox", FollowID: bob + "/f/2"}},
		}
		for _, x := range fs {
			if err := tx.PutFollower(x.local, x.f); err != nil {
				return err
			}
		}
		return nil
	})
	mustView(t, s, func(tx *Tx) error {
		fs, err := tx.Followers("acme")
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, f := range fs {
			got = append(got, f.Actor)
		}
		if want := []string{bob, carol}; !slices.Equal(got, want) {
			t.Errorf("Followers(acme) = %q, want %q (pending included, acme2's excluded)", got, want)
		}
		if !fs[1].Pending {
			t.Errorf("carol's follow Pending = false, want true")
		}
		f, err := tx.Follower("acme", bob)
		if err != nil {
			t.Fatalf("Follower: %v", err)
		}
		if f.FollowID != bob+"/f/1" || f.SharedInbox != "https://b.example/inbox" || !f.Since.Equal(t0) {
			t.Errorf("Follower(acme, bob) = %+v", f)
		}
		if _, err := tx.Follower("acme", "https://z.example/u/z"); !errors.Is(err, ErrNotFound) {
			t.Errorf("Follower(unknown): err = %v, want ErrNotFound", err)
		}
		return nil
	})
	mustUpdate(t, s, func(tx *Tx) error {
		if err := tx.DeleteFollower("acme", bob); err != nil {
			return err
		}
		return tx.DeleteFollower("acme", "https://z.example/u/z") // absent: not an error
	})
	mustView(t, s, func(tx *Tx) error {
		if _, err := tx.Follower("acme", bob); !errors.Is(err, ErrNotFound) {
			t.Errorf("Follower after delete: err = %v, want ErrNotFound", err)
		}
		if _, err := tx.Follower("acme2", bob); err != nil {
			t.Errorf("Follower(acme2, bob): %v, want kept", err)
		}
		return nil
	})
}

func TestFollowing(t *testing.T) {
	s := openTestStore(t)
	const bob, carol = "https://b.example/u/bob", "https://c.example/u/carol"
	mustUpdate(t, s, func(tx *Tx) error {
		if err := tx.PutFollowing("acme", model.Following{Target: carol, FollowID: "f1", State: model.FollowPending}); err != nil {
			return err
		}
		return tx.PutFollowing("acme", model.Following{Target: bob, FollowID: "f2", State: model.FollowAccepted})
	})
	mustView(t, s, func(tx *Tx) error {
		list, err := tx.FollowingList("acme")
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, f := range list {
			got = append(got, f.Target)
		}
		if want := []string{bob, carol}; !slices.Equal(got, want) {
			t.Errorf("FollowingList = %q, want %q", got, want)
		}
		f, err := tx.Following("acme", carol)
		if err != nil || f.FollowID != "f1" || f.State != model.FollowPending {
			t.Errorf("Following(acme, carol) = %+v, %v", f, err)
		}
		if _, err := tx.Following("other", carol); !errors.Is(err, ErrNotFound) {
			t.Errorf("Following(other, carol): err = %v, want ErrNotFound", err)
		}
		return nil
	})
	mustUpdate(t, s, func(tx *Tx) error { return tx.DeleteFollowing("acme", carol) })
	mustView(t, s, func(tx *Tx) error {
		if _, err := tx.Following("acme", carol); !errors.Is(err, ErrNotFound) {
			t.Errorf("Following after delete: err = %v, want ErrNotFound", err)
		}
		return nil
	})
}

func TestIsFollowedLocally(t *testing.T) {
	const target = "https://b.example/u/bob"
	tests := []struct {
		name    string
		orgs    []string
		follows map[string]string // local -> state
		want    bool
	}{
		{"nobody follows", []string{"acme"}, nil, false},
		{"pending only", []string{"acme"}, map[string]string{"acme": model.FollowPending}, false},
		{"accepted", []string{"acme"}, map[string]string{"acme": model.FollowAccepted}, true},
		{"accepted by a second org", []string{"acme", "beta"},
			map[string]string{"acme": model.FollowPending, "beta": model.FollowAccepted}, true},
		{"accepted by the instance actor", []string{"acme", model.InstanceName},
			map[string]string{model.InstanceName: model.FollowAccepted}, true},
		{"follow by a name that is not an org", []string{"acme"},
			map[string]string{"ghost": model.FollowAccepted}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openTestStore(t)
			mustUpdate(t, s, func(tx *Tx) error {
				for _, o := range tt.orgs {
					if err := tx.CreateOrg(model.Org{Name: o}); err != nil {
						return err
					}
				}
				for local, state := range tt.follows {
					if err := tx.PutFollowing(local, model.Following{Target: target, State: state}); err != nil {
						return err
					}
				}
				// An accepted follow of another actor never counts.
				return tx.PutFollowing(tt.orgs[0], model.Following{Target: target + "2", State: model.FollowAccepted})
			})
			mustView(t, s, func(tx *Tx) error {
				got, err := tx.IsFollowedLocally(target)
				if err != nil {
					t.Fatal(err)
				}
				if got != tt.want {
					t.Errorf("IsFollowedLocally = %t, want %t", got, tt.want)
				}
				return nil
			})
		})
	}
}
