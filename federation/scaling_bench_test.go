package federation_test

import (
	"bytes"
	"context"
	"net/http"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/federation/httpsign"
	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/testenv"
	"codeberg.org/maillage/maillage/seeds"
	"codeberg.org/maillage/maillage/store"
)

// The per-delivery costs docs/scaling.md multiplies: what the delivery
// worker does for each inbox (federation/delivery/worker.go, attempt and
// post), apart from the network.

// publishedCall publishes the demo's example call on a handler-only
// instance whose instance actor has one follower, as in a network where
// instances follow instances, and returns the two deliveries queued (the
// Create signed by the organisation, the instance actor's Announce), the
// call's IRI and the organisation.
func publishedCall(b *testing.B) (in *testenv.Instance, create, announce model.Delivery, object string, org model.Org) {
	b.Helper()
	in = testenv.NewHandler(b, "127.0.0.119", testenv.Options{})
	st := in.Server.Store
	err := st.Update(func(tx *store.Tx) error {
		actor := "https://remote.example/actor"
		return tx.PutFollower(model.InstanceName, model.Follower{Actor: actor, Inbox: actor + "/inbox",
			SharedInbox: "https://remote.example/inbox", FollowID: actor + "#follow", Since: time.Now()})
	})
	if err != nil {
		b.Fatal(err)
	}
	o, err := in.Server.Service.Publish(context.Background(), service.System("bench"), "coop", seeds.Example("pilot-call"))
	if err != nil {
		b.Fatal(err)
	}
	var q []model.Delivery
	err = st.View(func(tx *store.Tx) error {
		if q, _, err = tx.Queue(); err != nil {
			return err
		}
		for _, d := range q {
			a, _, err := tx.Activity(d.ActivityID)
			if err != nil {
				return err
			}
			switch a.Type {
			case "Create":
				create = d
			case "Announce":
				announce = d
			}
		}
		org, err = tx.Org("coop")
		return err
	})
	if err != nil || len(q) != 2 || create.ActivityID == "" || announce.ActivityID == "" {
		b.Fatalf("queued %d deliveries (%v), want a Create and an Announce", len(q), err)
	}
	return in, create, announce, o.ID, org
}

func deliveryBody(b *testing.B, in *testenv.Instance, d model.Delivery) []byte {
	b.Helper()
	var body []byte
	err := in.Server.Store.View(func(tx *store.Tx) error {
		var err error
		_, body, err = tx.Activity(d.ActivityID)
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	return body
}

// BenchmarkDeliveryBody reads the body of one delivery of a published
// call as the worker does: the stored Create, its @context and the call
// it embeds rendered back (store.Tx.Activity). create-B is the size of
// what is POSTed, announce-B that of the instance actor's Announce, and
// object-B that of the call's document, which a server reached through a
// relay fetches from its origin.
func BenchmarkDeliveryBody(b *testing.B) {
	in, create, announce, object, _ := publishedCall(b)
	var body []byte
	b.ReportAllocs()
	for b.Loop() {
		body = deliveryBody(b, in, create)
	}
	b.ReportMetric(float64(len(body)), "create-B")
	b.ReportMetric(float64(len(deliveryBody(b, in, announce))), "announce-B")
	status, doc := in.Get(object, "application/activity+json")
	if status != http.StatusOK {
		b.Fatalf("GET %s: %d", object, status)
	}
	b.ReportMetric(float64(len(doc)), "object-B")
}

// BenchmarkDeliverySign signs one delivery as the worker does: the digest
// of the body and an RSA-2048 signature of (request-target), host, date
// and digest. Each attempt is signed afresh. signed-headers-B is the size
// of the headers signing sets (Date, Digest, Signature).
func BenchmarkDeliverySign(b *testing.B) {
	in, d, _, _, org := publishedCall(b)
	body := deliveryBody(b, in, d)
	key, err := httpsign.DecodePrivateKey(org.PrivateKeyPEM)
	if err != nil {
		b.Fatal(err)
	}
	keyID := in.Actor("coop") + "#main-key"
	var r *http.Request
	b.ReportAllocs()
	for b.Loop() {
		r, _ = http.NewRequest(http.MethodPost, d.Inbox, bytes.NewReader(body))
		if err := httpsign.Sign(r, keyID, key, body, time.Now()); err != nil {
			b.Fatal(err)
		}
	}
	// The headers the signature adds or covers, as sent (name: value CRLF).
	n := 0
	for k, vs := range r.Header {
		for _, v := range vs {
			n += len(k) + len(v) + 4
		}
	}
	b.ReportMetric(float64(n), "signed-headers-B")
}
