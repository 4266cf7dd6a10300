package federation

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCheckShape(t *testing.T) {
	nested := func(n int) string { return strings.Repeat(`{"a":`, n) + `1` + strings.Repeat(`}`, n) }
	array := func(n int) string { return `{"to":[` + strings.TrimSuffix(strings.Repeat(`"x",`, n), ",") + `]}` }
	members := func(n int) string {
		var b strings.Builder
		b.WriteString("{")
		for i := range n {
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString(`"k":1`)
		}
		b.WriteString("}")
		return b.String()
	}
	tests := []struct {
		name string
		body string
		ok   bool
	}{
		{"nested to the limit", nested(maxJSONDepth), true},
		{"nested one deeper", nested(maxJSONDepth + 1), false},
		{"array at the limit", array(maxJSONArray), true},
		{"array one longer", array(maxJSONArray + 1), false},
		{"long array of objects", `{"object":[` + strings.TrimSuffix(strings.Repeat(`{"type":"Note"},`, 25000), ",") + `]}`, false},
		{"many values in short arrays", `[` + strings.TrimSuffix(strings.Repeat(`[1,2,3,4,5,6,7,8,9,10,11,12],`, 1000), ",") + `]`, false},
		{"many members", members(maxJSONValues + 1), false},
		{"brackets and commas inside strings", `{"content":"` + strings.Repeat(`[{,`, 50000) + `"}`, true},
		{"escaped quotes inside strings", `{"content":"\"` + strings.Repeat(`[`, 100) + `\\"}`, true},
		{"empty", ``, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := checkShape([]byte(tt.body))
			if (err == nil) != tt.ok {
				t.Fatalf("checkShape = %v, want ok=%t", err, tt.ok)
			}
			if err != nil && (!errors.Is(err, ErrTooComplex) || !errors.Is(err, ErrMalformed)) {
				t.Errorf("error %v is not ErrTooComplex and ErrMalformed", err)
			}
		})
	}
}

// Every recorded payload is well within the limits.
func TestCheckShapeRecordedPayloads(t *testing.T) {
	files, err := filepath.Glob("testdata/*/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := checkShape(b); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
}

func BenchmarkCheckShape(b *testing.B) {
	body := []byte(`{"object":[` + strings.TrimSuffix(strings.Repeat(`{"type":"Note","content":"a, [b] {c}"},`, 20000), ",") + `]}`)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		_ = checkShape(body)
	}
}
