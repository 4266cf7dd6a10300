package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"codeberg.org/maillage/maillage/internal/importer"
)

// runImport sends a map's export to POST /api/v1/import and prints the
// report: import -format gogocarto|geojson|csv [-taxonomy FILE]
// [-source NAME] [-licence ID] [-dry-run] [-mapping FILE] FILE, where
// FILE "-" is standard input.
func runImport(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "import")
	mk := clientFlags(fs, e)
	format := fs.String("format", "", "format of FILE: gogocarto, geojson or csv")
	taxonomy := fs.String("taxonomy", "", "GoGoCarto taxonomy file (/api/taxonomy.json) resolving the categories")
	source := fs.String("source", "", "name of the source map, shown beside each organisation (default: FILE's name)")
	licence := fs.String("licence", "", "licence of the data, an SPDX id such as ODbL-1.0 or a URL")
	dryRun := fs.Bool("dry-run", false, "report what the import would do, change nothing")
	mapping := fs.String("mapping", "", "mapping file of categories to sectors, added to the built-in crosswalk (lines \"Category = sector-slug\")")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	usage := errors.New("usage: maillage import -format gogocarto|geojson|csv [-taxonomy FILE] [-source NAME] [-licence ID] [-dry-run] [-mapping FILE] FILE")
	if len(pos) != 1 || *format == "" {
		return usage
	}
	path := pos[0]
	name := *source
	if name == "" && path != "-" {
		name = strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	}
	if name == "" {
		return errors.New("import: -source NAME is required when reading standard input")
	}
	c, err := mk()
	if err != nil {
		return err
	}
	in := e.stdin
	sourceURL := "stdin"
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return fmt.Errorf("import: %w", err)
		}
		defer f.Close()
		in, sourceURL = f, filepath.Base(path) // not the local directory
	}
	var tax []byte
	if *taxonomy != "" {
		if tax, err = os.ReadFile(*taxonomy); err != nil {
			return fmt.Errorf("import: taxonomy: %w", err)
		}
	}
	var mapData []byte
	if *mapping != "" {
		if mapData, err = readLimited(*mapping, importer.MaxMappingBytes); err != nil {
			return fmt.Errorf("import: mapping: %w", err)
		}
	}
	q := url.Values{"format": {*format}, "source": {name}, "source_url": {sourceURL}}
	if *licence != "" {
		q.Set("licence", *licence)
	}
	if *dryRun {
		q.Set("dry_run", "1")
	}
	report, err := c.importFile(ctx, q, in, tax, mapData)
	if err != nil {
		return err
	}
	if *dryRun {
		fmt.Fprintln(e.stdout, "dry run: nothing was changed")
	}
	return report.WriteText(e.stdout)
}

// importFile streams a multipart body (the taxonomy and the mapping file,
// then the file) to the API and decodes the report.
func (c *client) importFile(ctx context.Context, q url.Values, file io.Reader, taxonomy, mapping []byte) (importer.Report, error) {
	var report importer.Report
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		err := func() error {
			for _, p := range []struct {
				name, file string
				data       []byte
			}{{"taxonomy", "taxonomy.json", taxonomy}, {"mapping", "mapping.txt", mapping}} {
				if p.data == nil {
					continue
				}
				part, err := mw.CreateFormFile(p.name, p.file)
				if err != nil {
					return err
				}
				if _, err := part.Write(p.data); err != nil {
					return err
				}
			}
			part, err := mw.CreateFormFile("file", "file")
			if err != nil {
				return err
			}
			if _, err := io.Copy(part, file); err != nil {
				return err
			}
			return mw.Close()
		}()
		pw.CloseWithError(err)
	}()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+"/api/v1/import?"+q.Encode(), pr)
	if err != nil {
		pr.Close()
		return report, err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	hc := *c.http
	hc.Timeout = 0 // 50 MB and 15,000 entries take longer than an API call; ctx (Ctrl-C) still ends it
	resp, err := hc.Do(req)
	if err != nil {
		pr.Close()
		return report, fmt.Errorf("import: %w", err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer+1))
	if err != nil {
		return report, fmt.Errorf("import: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		var e apiErrorBody
		_ = json.Unmarshal(data, &e)
		return report, fmt.Errorf("import: %d %s", resp.StatusCode, e.Error)
	}
	if len(data) > maxAnswer {
		return report, fmt.Errorf("import: report larger than %d MiB", maxAnswer>>20)
	}
	if err := json.Unmarshal(data, &report); err != nil {
		return report, fmt.Errorf("import: read report: %w", err)
	}
	return report, nil
}

// readLimited reads the file at path, refusing one over limit bytes before
// sending it: the server would refuse it anyway.
func readLimited(path string, limit int) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, int64(limit)+1))
	if err != nil {
		return nil, err
	}
	if len(data) > limit {
		return nil, fmt.Errorf("%s is over %d bytes", path, limit)
	}
	return data, nil
}
