package model

import "testing"

func TestOrgKind(t *testing.T) {
	tests := []struct {
		o    Org
		want ActorKind
	}{
		{Org{Name: "coop"}, ActorOrganization},
		{Org{Name: InstanceName, Instance: true}, ActorInstance},
		{Org{Name: PersonName("ann"), Person: true}, ActorPerson},
	}
	for _, tt := range tests {
		if got := tt.o.Kind(); got != tt.want {
			t.Errorf("%s: Kind() = %q, want %q", tt.o.Name, got, tt.want)
		}
		if got := tt.o.IsOrganisation(); got != (tt.want == ActorOrganization) {
			t.Errorf("%s: IsOrganisation() = %t", tt.o.Name, got)
		}
	}
}
