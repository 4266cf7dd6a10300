package store

import "testing"

func TestTokens(t *testing.T) {
	s := openTestStore(t)
	mustView(t, s, func(tx *Tx) error {
		if tx.HasTokens() {
			t.Error("HasTokens on a new store = true, want false")
		}
		if name, ok := tx.CheckToken(""); ok {
			t.Errorf("CheckToken(\"\") = %q, true; want false", name)
		}
		return nil
	})
	mustUpdate(t, s, func(tx *Tx) error { return tx.PutToken("s3cret-token", "admin", t0) })
	tests := []struct {
		token    string
		wantName string
		wantOK   bool
	}{
		{"s3cret-token", "admin", true},
		{"s3cret-tokeN", "", false},
		{"s3cret-token ", "", false},
		{"", "", false},
	}
	mustView(t, s, func(tx *Tx) error {
		if !tx.HasTokens() {
			t.Error("HasTokens after PutToken = false, want true")
		}
		for _, tt := range tests {
			name, ok := tx.CheckToken(tt.token)
			if name != tt.wantName || ok != tt.wantOK {
				t.Errorf("CheckToken(%q) = %q, %t; want %q, %t", tt.token, name, ok, tt.wantName, tt.wantOK)
			}
		}
		// Only the hash is stored.
		return tx.eachPrefix(bucketTokens, nil, false, func(k, v []byte) (bool, error) {
			if string(k) == "s3cret-token" {
				t.Error("token stored in clear as a key")
			}
			return true, nil
		})
	})
}
