package federation

import "testing"

// TestDocumentsKeepNothingRenderedBeforeAChange checks the rule that keeps
// a document rendered from a record being replaced out of the cache: a put
// after a Changed, with the generation read before it, is dropped.
func TestDocumentsKeepNothingRenderedBeforeAChange(t *testing.T) {
	d := NewDocuments()
	_, gen, ok := d.get("a")
	if ok {
		t.Fatal("empty cache has a")
	}
	d.Changed("b") // a commit lands while a is being rendered
	d.put("a", newDocument([]byte("old")), gen)
	if _, _, ok := d.get("a"); ok {
		t.Error("a document rendered before a change was kept")
	}
	_, gen, _ = d.get("a")
	d.put("a", newDocument([]byte("new")), gen)
	if doc, _, ok := d.get("a"); !ok || string(doc.body) != "new" {
		t.Errorf("a = %q, %v; want new", doc.body, ok)
	}
	d.Changed("a")
	if _, _, ok := d.get("a"); ok {
		t.Error("a kept after its change")
	}
}
