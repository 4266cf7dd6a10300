package web

import "testing"

func TestSafeNext(t *testing.T) {
	tests := []struct{ next, want string }{
		{"", "/admin"},
		{"/admin", "/admin"},
		{"/admin/orgs/coop?x=1", "/admin/orgs/coop?x=1"},
		{"/admin?lang=fr", "/admin?lang=fr"},
		{"/administrator", "/admin"},
		{"https://evil.example/admin", "/admin"},
		{"//evil.example/admin", "/admin"},
		{"/admin/\\evil", "/admin"},
		{"/admin/\r\nSet-Cookie: x", "/admin"},
	}
	for _, tt := range tests {
		if got := safeNext(tt.next); got != tt.want {
			t.Errorf("safeNext(%q) = %q, want %q", tt.next, got, tt.want)
		}
	}
}
