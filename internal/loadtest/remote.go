package loadtest

import (
	"bytes"
	"context"
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"codeberg.org/maillage/maillage/federation/httpsign"
)

const contentAS = "application/activity+json"

// remote is the other server: one actor, "loader", that follows the
// instance's organisation, accepts the organisation's follow, and sends
// signed activities. Its documents are served over HTTPS on its own
// loopback address.
type remote struct {
	base   string // https://IP:port
	actor  string
	keyID  string
	key    *rsa.PrivateKey
	client *http.Client
	srv    *http.Server

	accepted chan string // ids of the Follows it accepted
	posts    atomic.Int64
}

func startRemote(ip net.IP, p *pki, client *http.Client) (*remote, error) {
	cfg, err := p.tlsConfig(ip, 3)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(ip.String(), "0"))
	if err != nil {
		return nil, fmt.Errorf("remote: listen on %s: %w", ip, err)
	}
	key, err := httpsign.GenerateKey()
	if err != nil {
		return nil, err
	}
	r := &remote{base: "https://" + ln.Addr().String(), key: key, client: client, accepted: make(chan string, 4)}
	r.actor = r.base + "/users/loader"
	r.keyID = r.actor + "#main-key"
	r.srv = &http.Server{Handler: http.HandlerFunc(r.serve), TLSConfig: cfg, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = r.srv.ServeTLS(ln, "", "") }()
	return r, nil
}

func (r *remote) close() { _ = r.srv.Close() }

func (r *remote) serve(w http.ResponseWriter, req *http.Request) {
	switch {
	case req.Method == http.MethodGet && req.URL.Path == "/users/loader":
		pem, err := httpsign.EncodePublicKey(&r.key.PublicKey)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		writeAS(w, map[string]any{
			"@context": []any{"https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"},
			"id":       r.actor, "type": "Person", "preferredUsername": "loader", "name": "Load generator",
			"inbox": r.actor + "/inbox", "outbox": r.actor + "/outbox", "followers": r.actor + "/followers",
			"endpoints": map[string]any{"sharedInbox": r.base + "/inbox"},
			"publicKey": map[string]any{"id": r.keyID, "owner": r.actor, "publicKeyPem": pem},
		})
	case req.Method == http.MethodGet && req.URL.Path == "/users/loader/outbox":
		writeAS(w, map[string]any{"@context": "https://www.w3.org/ns/activitystreams",
			"id": r.actor + "/outbox", "type": "OrderedCollection", "totalItems": 0, "orderedItems": []any{}})
	case req.Method == http.MethodPost:
		r.posts.Add(1)
		body, _ := io.ReadAll(io.LimitReader(req.Body, 1<<20))
		w.WriteHeader(http.StatusAccepted)
		var a map[string]any
		if json.Unmarshal(body, &a) == nil && a["type"] == "Follow" && a["object"] == r.actor {
			follower, _ := a["actor"].(string)
			id, _ := a["id"].(string)
			go r.accept(follower, a, id)
		}
	default:
		http.NotFound(w, req)
	}
}

// accept answers a Follow of loader with an Accept, as Mastodon does.
func (r *remote) accept(follower string, follow map[string]any, id string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	accept := map[string]any{"@context": "https://www.w3.org/ns/activitystreams",
		"id": r.actor + "#accepts/" + strconv.FormatInt(time.Now().UnixNano(), 10), "type": "Accept",
		"actor": r.actor, "object": follow}
	if status, err := r.post(ctx, follower+"/inbox", accept); err == nil && status == http.StatusAccepted {
		r.accepted <- id
	}
}

// post sends activity to inbox, signed by loader.
func (r *remote) post(ctx context.Context, inbox string, activity any) (int, error) {
	body, err := json.Marshal(activity)
	if err != nil {
		return 0, err
	}
	req, err := r.signedPost(ctx, inbox, body)
	if err != nil {
		return 0, err
	}
	resp, err := r.client.Do(req)
	if err != nil {
		return 0, err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, nil
}

func (r *remote) signedPost(ctx context.Context, url string, body []byte) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", contentAS)
	return req, httpsign.Sign(req, r.keyID, r.key, body, time.Now())
}

// create is loader's Create of a public Note, numbered n, shaped as
// Mastodon's (app/serializers/activitypub/note_serializer.rb).
func (r *remote) create(run string, n int) []byte {
	id := fmt.Sprintf("%s/statuses/%s%d", r.actor, run, n)
	b, _ := json.Marshal(map[string]any{
		"@context": []any{"https://www.w3.org/ns/activitystreams"},
		"id":       id + "/activity", "type": "Create", "actor": r.actor,
		"published": "2026-11-30T10:00:00Z",
		"to":        []string{"https://www.w3.org/ns/activitystreams#Public"}, "cc": []string{r.actor + "/followers"},
		"object": map[string]any{"id": id, "type": "Note", "attributedTo": r.actor, "url": id,
			"published": "2026-11-30T10:00:00Z", "sensitive": false, "summary": nil,
			"to": []string{"https://www.w3.org/ns/activitystreams#Public"}, "cc": []string{r.actor + "/followers"},
			"content":    fmt.Sprintf("<p>Load note %d: a cooperative looks for partners to pool repair workshops.</p>", n),
			"contentMap": map[string]string{"en": fmt.Sprintf("<p>Load note %d</p>", n)},
			"attachment": []any{}, "tag": []any{}},
	})
	return b
}

func writeAS(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", contentAS)
	_ = json.NewEncoder(w).Encode(v)
}
