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

// TestImportCommandMapping: -mapping FILE adds its rules to the built-in
// crosswalk, so a category it does not know ("Tiers-lieux") gets the
// sectors the file names instead of being reported unmapped.
func TestImportCommandMapping(t *testing.T) {
	a := testenv.Start(t, "127.0.16.1", testenv.Options{})
	mapping := filepath.Join("..", "importer", "testdata", "mapping.txt")
	file := filepath.Join(t.TempDir(), "reemploi.csv")
	os.WriteFile(file, []byte("id,name,locality,country,lat,lon,categories\n"+
		"r1,La Fabrique du Coin,Rennes,FR,48.1113,-1.6800,Tiers-lieux\n"), 0o600)

	out := mustRun(t, a, "import", "-format", "csv", "-source", "Carte du réemploi", "-dry-run", file)
	if !strings.Contains(out, "Tiers-lieux") {
		t.Fatalf("without a mapping, Tiers-lieux is not reported unmapped:\n%s", out)
	}
	out = mustRun(t, a, "import", "-format", "csv", "-source", "Carte du réemploi", "-mapping", mapping, file)
	if strings.Contains(out, "Tiers-lieux") {
		t.Errorf("with the mapping, Tiers-lieux is still reported unmapped:\n%s", out)
	}
	var res struct {
		Entries []struct {
			Title   string   `json:"title"`
			Sectors []string `json:"sectors"`
		} `json:"entries"`
	}
	a.API("GET", "/directory.json?kind=org&q=Fabrique", nil, &res)
	if len(res.Entries) != 1 || strings.Join(res.Entries[0].Sectors, " ") != "citizenship-local-development culture-media" {
		t.Errorf("imported with the mapping: %+v", res.Entries)
	}

	bad := filepath.Join(t.TempDir(), "bad.txt")
	os.WriteFile(bad, []byte("Tiers-lieux = nowhere\n"), 0o600)
	if _, err := run(t, a, "import", "-format", "csv", "-source", "Carte du réemploi", "-mapping", bad, file); err == nil ||
		!strings.Contains(err.Error(), "400") || !strings.Contains(err.Error(), `unknown sector "nowhere"`) {
		t.Errorf("bad mapping file: %v", err)
	}
}
