package store

import (
	"errors"
	"maps"
	"path/filepath"
	"slices"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

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

// TestEachFollowedOn: the follows of one server's actors, told apart from
// those of a server whose name extends it or that differs by its port,
// and from those of names no longer local.
func TestEachFollowedOn(t *testing.T) {
	s := openTestStore(t)
	mustUpdate(t, s, func(tx *Tx) error {
		for _, o := range []string{"acme", "beta"} {
			if err := tx.CreateOrg(model.Org{Name: o}); err != nil {
				return err
			}
		}
		for _, f := range []struct{ local, target, state string }{
			{"acme", "https://a.example/actor", model.FollowAccepted},
			{"beta", "https://a.example/users/x", model.FollowPending},
			{"acme", "https://a.example.org/actor", model.FollowAccepted},
			{"acme", "https://a.example:8443/actor", model.FollowAccepted},
			{"ghost", "https://a.example/users/y", model.FollowAccepted},
			{"acme", "https://b.example/actor", model.FollowAccepted},
		} {
			if err := tx.PutFollowing(f.local, model.Following{Target: f.target, State: f.state}); err != nil {
				return err
			}
		}
		return tx.DeleteFollowing("acme", "https://b.example/actor")
	})
	mustView(t, s, func(tx *Tx) error {
		got := map[string]bool{}
		err := tx.EachFollowedOn("https://a.example/users/z", func(target string, accepted bool) bool {
			got[target] = accepted
			return true
		})
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]bool{"https://a.example/actor": true, "https://a.example/users/x": false}
		if !maps.Equal(got, want) {
			t.Errorf("follows on a.example = %v, want %v", got, want)
		}
		n := 0
		if err := tx.EachFollowedOn("https://b.example/actor", func(string, bool) bool { n++; return true }); err != nil || n != 0 {
			t.Errorf("follows on b.example after the delete = %d (%v), want none", n, err)
		}
		return nil
	})
}

// TestMigrateFollowed opens a store of schema 18, whose follows sent have
// no index by the actor followed, and checks that they are found.
func TestMigrateFollowed(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v18.db")
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	const target, follower = "https://a.example/users/alice", "https://b.example/users/bob"
	err = db.Update(func(tx *bolt.Tx) error {
		for _, m := range migrations[:18] {
			if err := m(tx); err != nil {
				return err
			}
		}
		old := &Tx{tx: tx}
		if err := old.CreateOrg(model.Org{Name: "acme"}); err != nil {
			return err
		}
		// As PutFollowing and PutFollower wrote them before the indexes.
		if err := old.putJSON(bucketFollowing, join("acme", target), model.Following{Target: target, State: model.FollowAccepted}); err != nil {
			return err
		}
		if err := old.putJSON(bucketFollowers, join("acme", follower), model.Follower{Actor: follower}); err != nil {
			return err
		}
		return tx.Bucket(bucketMeta).Put(keySchema, []byte("18"))
	})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	s, err := Open(path, Options{LockTimeout: time.Second})
	if err != nil {
		t.Fatalf("open v18 store: %v", err)
	}
	defer s.Close()
	mustView(t, s, func(tx *Tx) error {
		if ok, err := tx.IsFollowedLocally(target); !ok || err != nil {
			t.Errorf("IsFollowedLocally after migration = %v, %v; want true", ok, err)
		}
		if names, err := tx.LocalsFollowedBy(follower); !slices.Equal(names, []string{"acme"}) || err != nil {
			t.Errorf("LocalsFollowedBy after migration = %v, %v; want [acme]", names, err)
		}
		if ok, err := tx.HasLocalFollow(follower); !ok || err != nil {
			t.Errorf("HasLocalFollow after migration = %v, %v; want true", ok, err)
		}
		return nil
	})
}

// TestFollowIndexes: the follows either way are found from the remote
// actor, pending ones included, those of names no longer local left out,
// and forgotten with the follow.
func TestFollowIndexes(t *testing.T) {
	s := openTestStore(t)
	const bob, carol = "https://b.example/u/bob", "https://c.example/u/carol"
	mustUpdate(t, s, func(tx *Tx) error {
		for _, o := range []string{"acme", "beta"} {
			if err := tx.CreateOrg(model.Org{Name: o}); err != nil {
				return err
			}
		}
		for _, local := range []string{"acme", "beta", "ghost"} {
			if err := tx.PutFollower(local, model.Follower{Actor: bob, Pending: local == "beta"}); err != nil {
				return err
			}
		}
		if err := tx.PutFollowing("beta", model.Following{Target: carol, State: model.FollowPending}); err != nil {
			return err
		}
		return tx.PutFollowing("ghost", model.Following{Target: bob, State: model.FollowAccepted})
	})
	mustView(t, s, func(tx *Tx) error {
		if got, _ := tx.LocalsFollowedBy(bob); !slices.Equal(got, []string{"acme", "beta"}) {
			t.Errorf("LocalsFollowedBy(bob) = %v, want [acme beta]", got)
		}
		if got, _ := tx.LocalsFollowing(carol); !slices.Equal(got, []string{"beta"}) {
			t.Errorf("LocalsFollowing(carol) = %v, want [beta]", got)
		}
		if got, _ := tx.LocalsFollowing(bob); len(got) != 0 {
			t.Errorf("LocalsFollowing(bob) = %v, want none (ghost is not local)", got)
		}
		for _, a := range []string{bob, carol} {
			if ok, _ := tx.HasLocalFollow(a); !ok {
				t.Errorf("HasLocalFollow(%s) = false, want true", a)
			}
		}
		return nil
	})
	mustUpdate(t, s, func(tx *Tx) error {
		for _, local := range []string{"acme", "beta"} {
			if err := tx.DeleteFollower(local, bob); err != nil {
				return err
			}
		}
		return tx.DeleteFollowing("beta", carol)
	})
	mustView(t, s, func(tx *Tx) error {
		for _, a := range []string{bob, carol} {
			if ok, _ := tx.HasLocalFollow(a); ok {
				t.Errorf("HasLocalFollow(%s) after the deletes = true, want false", a)
			}
		}
		if got, _ := tx.LocalsFollowedBy(bob); len(got) != 0 {
			t.Errorf("LocalsFollowedBy(bob) after the deletes = %v, want none", got)
		}
		return nil
	})
}
