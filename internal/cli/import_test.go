package cli_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"codeberg.org/maillage/maillage/internal/cli"
	"codeberg.org/maillage/maillage/internal/testenv"
)

// TestImportCommand: maillage import reads a file or standard input,
// with a GoGoCarto taxonomy, prints the report, and -dry-run changes
// nothing.
func TestImportCommand(t *testing.T) {
	a := testenv.Start(t, "127.0.0.224", testenv.Options{})
	fixtures := filepath.Join("..", "importer", "testdata")
	elements := filepath.Join(fixtures, "gogocarto-elements.json")
	taxonomy := filepath.Join(fixtures, "gogocarto-taxonomy.json")

	out := mustRun(t, a, "import", "-format", "gogocarto", "-taxonomy", taxonomy, "-source", "Près de chez nous",
		"-licence", "ODbL-1.0", "-dry-run", elements)
	if !strings.HasPrefix(out, "dry run: nothing was changed\nimport from Près de chez nous (gogocarto-elements.json), licence ODbL-1.0") ||
		!strings.Contains(out, "added ") {
		t.Fatalf("dry run printed:\n%s", out)
	}
	if strings.Contains(out, "added 0,") {
		t.Fatalf("dry run adds nothing:\n%s", out)
	}
	orgsBefore := countOrgs(t, a)
	if orgsBefore != 1 {
		t.Fatalf("the dry run created organisations: %d", orgsBefore)
	}
	mustRun(t, a, "import", "-format", "gogocarto", "-taxonomy", taxonomy, "-source", "Près de chez nous", elements)
	added := countOrgs(t, a) - 1
	if added == 0 {
		t.Fatal("the import created no organisation")
	}

	// Standard input: the same file again is unchanged.
	data, err := os.ReadFile(elements)
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"MAILLAGE_URL": a.Base, "MAILLAGE_TOKEN": a.Token}
	var stdout, stderr bytes.Buffer
	err = cli.RunWithStdin(context.Background(), []string{"import", "-format", "gogocarto", "-taxonomy", taxonomy,
		"-source", "Près de chez nous", "-"}, bytes.NewReader(data), &stdout, &stderr, func(k string) string { return env[k] })
	if err != nil || !strings.Contains(stdout.String(), "added 0, updated 0, unchanged ") {
		t.Errorf("stdin import: %v\n%s", err, stdout.String())
	}

	// Usage and refused files.
	if _, err := run(t, a, "import", elements); err == nil {
		t.Error("import without -format succeeded")
	}
	if _, err := run(t, a, "import", "-format", "gogocarto", "-"); err == nil || !strings.Contains(err.Error(), "-source") {
		t.Errorf("stdin without -source: %v", err)
	}
	bad := filepath.Join(t.TempDir(), "bad.json")
	os.WriteFile(bad, []byte(`{"data": [{"id": 1,`), 0o600)
	if _, err := run(t, a, "import", "-format", "gogocarto", bad); err == nil || !strings.Contains(err.Error(), "400") {
		t.Errorf("invalid JSON: %v", err)
	}
	if n := countOrgs(t, a) - 1; n != added {
		t.Errorf("organisations %d after refused imports, want %d", n, added)
	}
}

func countOrgs(t *testing.T, in *testenv.Instance) int {
	t.Helper()
	var res struct {
		Total int `json:"total"`
	}
	if s := in.API("GET", "/directory.json?kind=org", nil, &res); s != 200 {
		t.Fatalf("directory.json: status %d", s)
	}
	return res.Total // the directory is refreshed when the import commits
}
