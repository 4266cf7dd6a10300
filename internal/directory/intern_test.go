package directory

import (
	"fmt"
	"testing"

	"codeberg.org/maillage/maillage/internal/model"
)

// TestInternedReleased checks that the shared strings follow the entries:
// shared between an organisation and its projects, dropped when renamed
// away or removed, so that renames do not grow the table.
func TestInternedReleased(t *testing.T) {
	ix := New()
	org := Entry{ID: "https://b.example/orgs/o", Kind: KindOrg, Title: "O", OrgName: "O", Org: "https://b.example/orgs/o", Source: "b.example", Sectors: []string{"energy"}}
	ix.Put(org)
	for i := range 3 {
		ix.Put(Entry{ID: fmt.Sprintf("https://b.example/p/%d", i), Kind: KindProject, Title: "P", Org: org.ID, OrgName: "O", Source: "b.example", Sectors: []string{"energy"}})
	}
	p0, _ := ix.Get("https://b.example/p/0")
	if r := ix.strs[p0.Org]; r == nil || r.n != 4 {
		t.Errorf("organisation IRI shared by %v entries, want 4", r)
	}
	for i := range 100 {
		org.Title = fmt.Sprintf("O %d", i)
		org.OrgName = org.Title
		ix.Put(org)
	}
	if _, ok := ix.strs["O 98"]; ok {
		t.Error("a name renamed away is still interned")
	}
	if p, _ := ix.Get("https://b.example/p/2"); p.OrgName != "O 99" || ix.strs["O 99"].n != 4 {
		t.Errorf("after renames: OrgName %q, shared by %d", p.OrgName, ix.strs["O 99"].n)
	}
	ix.removeOrg(org.ID)
	if ix.Len() != 0 || len(ix.strs) != 0 {
		t.Errorf("after removing the organisation: %d entries, %d interned strings %v", ix.Len(), len(ix.strs), ix.strs)
	}
}

// TestProvenanceStringsReleased: the strings of an imported entry's
// provenance are shared by the entries of one import and dropped with the
// last of them.
func TestProvenanceStringsReleased(t *testing.T) {
	ix := New()
	pv := &model.Provenance{Source: "Transiscope", SourceURL: "https://transiscope.org/api", Licence: "ODbL-1.0", SourceKey: "pdcn"}
	for i := range 3 {
		pv.SourceID = fmt.Sprint(i)
		ix.Put(Entry{ID: fmt.Sprintf("https://a.example/orgs/o%d", i), Kind: KindOrg, Title: "O", Provenance: pv})
	}
	if r := ix.strs["Transiscope"]; r == nil || r.n != 3 {
		t.Errorf("source shared by %v entries, want 3", r)
	}
	for i := range 3 {
		ix.Remove(fmt.Sprintf("https://a.example/orgs/o%d", i))
	}
	if len(ix.strs) != 0 {
		t.Errorf("after removing the entries: %d interned strings %v", len(ix.strs), ix.strs)
	}
}
