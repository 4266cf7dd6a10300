package federation_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"codeberg.org/maillage/maillage/federation"
	"codeberg.org/maillage/maillage/internal/model"
)

// TestASToAudience checks the classification of Mastodon's
// status_parser.rb #visibility on the addressing shapes servers send.
func TestASToAudience(t *testing.T) {
	const (
		pub       = "https://www.w3.org/ns/activitystreams#Public"
		author    = "https://m.example/users/ann"
		followers = author + "/followers"
		org       = "https://l.example/orgs/coop"
		member    = "https://l.example/members/alice"
		other     = "https://m.example/users/bob"
	)
	isLocal := func(s string) bool { return strings.HasPrefix(s, "https://l.example/") }
	tests := []struct {
		name          string
		activity, obj map[string]any
		followers     string
		want          model.Audience
		wantAddressed []string
	}{
		{"public", nil, map[string]any{"to": []any{pub}, "cc": []any{followers, org}}, followers, model.AudiencePublic, []string{org}},
		{"public, compact and scalar", nil, map[string]any{"to": "as:Public"}, followers, model.AudiencePublic, nil},
		{"public as an object", nil, map[string]any{"to": []any{map[string]any{"id": pub}}}, followers, model.AudiencePublic, nil},
		{"unlisted", nil, map[string]any{"to": []any{followers}, "cc": []any{pub}}, followers, model.AudienceUnlisted, nil},
		{"followers-only", nil, map[string]any{"to": []any{followers}, "cc": []any{}}, followers, model.AudienceFollowers, nil},
		{"followers in cc only is direct", nil, map[string]any{"to": []any{member}, "cc": []any{followers}}, followers, model.AudienceDirect, []string{member}},
		{"another's followers is direct", nil, map[string]any{"to": []any{other + "/followers"}}, followers, model.AudienceDirect, nil},
		{"followers unknown is direct", nil, map[string]any{"to": []any{followers}}, "", model.AudienceDirect, nil},
		{"direct", nil, map[string]any{"to": []any{org, member, other}, "cc": []any{}}, followers, model.AudienceDirect, []string{org, member}},
		{"no addressing is direct", nil, map[string]any{}, followers, model.AudienceDirect, nil},
		{"object without to/cc takes the activity's", map[string]any{"to": []any{pub}}, map[string]any{}, followers, model.AudiencePublic, nil},
		{"the object's own to/cc win", map[string]any{"to": []any{pub}}, map[string]any{"to": []any{followers}}, followers, model.AudienceFollowers, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, addressed := federation.ASToAudience(tt.activity, tt.obj, tt.followers, isLocal)
			if got != tt.want || !slices.Equal(addressed, tt.wantAddressed) {
				t.Errorf("ASToAudience = %q, %v; want %q, %v", got, addressed, tt.want, tt.wantAddressed)
			}
		})
	}

	t.Run("recipients are bounded", func(t *testing.T) {
		var to []any
		for i := range 1000 {
			to = append(to, fmt.Sprintf("https://l.example/members/m%d", i), "https://l.example/members/m0")
		}
		_, addressed := federation.ASToAudience(nil, map[string]any{"to": to}, followers, isLocal)
		if len(addressed) != model.MaxAddressed {
			t.Errorf("%d recipients kept, want %d", len(addressed), model.MaxAddressed)
		}
	})
}
