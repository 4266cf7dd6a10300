package api

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"codeberg.org/maillage/maillage/internal/importer"
	"codeberg.org/maillage/maillage/internal/service"
)

// maxTaxonomy bounds a GoGoCarto taxonomy upload: real ones weigh tens of
// kilobytes.
const maxTaxonomy = 5 << 20

// ImportRequest is what an import reads besides the file: the query
// parameters of POST /api/v1/import, or the fields of the admin page's
// form.
type ImportRequest struct {
	Format    importer.Format
	Source    string // name of the source map
	SourceURL string // URL or file name recorded in provenance
	Licence   string
	DryRun    bool
}

// ParseImport reads file (and taxonomy, if not nil) as req says, at now.
// Its error is for the person importing: the importer's messages say
// what is wrong with the file and never carry internal state.
func ParseImport(req ImportRequest, file, taxonomy io.Reader, now time.Time) (*importer.Batch, error) {
	opts := importer.Options{Format: req.Format, Source: strings.TrimSpace(req.Source), SourceURL: strings.TrimSpace(req.SourceURL),
		Licence: strings.TrimSpace(req.Licence), Now: now.UTC()}
	if taxonomy != nil {
		tx, err := importer.ParseTaxonomy(io.LimitReader(taxonomy, maxTaxonomy))
		if err != nil {
			return nil, err
		}
		opts.Taxonomy = tx
	}
	return importer.Parse(file, opts)
}

// ImportStatus is the status of a file the importer refused as a whole.
func ImportStatus(err error) int {
	if errors.Is(err, importer.ErrTooLarge) || errors.Is(err, importer.ErrTooManyEntries) {
		return http.StatusRequestEntityTooLarge
	}
	return http.StatusBadRequest
}

// apiImport imports a map: POST /api/v1/import?format=…&source=…[&source_url=…]
// [&licence=…][&dry_run=1], the file as the body, or a multipart form with
// a "taxonomy" part (first) and a "file" part. It answers the report
// (importer.Report as JSON), 200 whether or not it was a dry run; a file
// refused as a whole gets 400 or 413 with the reason, and changes nothing.
func (h *Handler) apiImport(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	req := ImportRequest{Format: importer.Format(q.Get("format")), Source: q.Get("source"), SourceURL: q.Get("source_url"),
		Licence: q.Get("licence")}
	req.DryRun, _ = strconv.ParseBool(q.Get("dry_run"))
	if !principalOf(r).Can(service.ActSettings, "") {
		// Fail before reading 50 MB; the service checks again.
		h.writeAPIError(w, fmt.Errorf("import: %w", service.ErrForbidden))
		return
	}
	body := http.MaxBytesReader(w, r.Body, importer.DefaultMaxBytes+maxTaxonomy+64<<10)
	file, taxonomy := io.Reader(body), io.Reader(nil)
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "multipart/form-data" {
		var err error
		if file, taxonomy, err = importParts(r); err != nil {
			writeAPI(w, http.StatusBadRequest, apiError{Error: err.Error()})
			return
		}
	}
	batch, err := ParseImport(req, file, taxonomy, h.now())
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeAPI(w, http.StatusRequestEntityTooLarge, apiError{Error: "request body too large"})
			return
		}
		writeAPI(w, ImportStatus(err), apiError{Error: err.Error()})
		return
	}
	report, err := h.svc.Import(r.Context(), principalOf(r), batch, req.DryRun)
	if err != nil {
		h.writeAPIError(w, err)
		return
	}
	writeAPI(w, http.StatusOK, report)
}

// importParts reads a multipart body: an optional "taxonomy" part, held
// in memory, then the "file" part, streamed.
func importParts(r *http.Request) (file, taxonomy io.Reader, err error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, nil, fmt.Errorf("invalid multipart body: %w", err)
	}
	for {
		p, err := mr.NextPart()
		if err != nil {
			return nil, nil, errors.New(`the multipart body has no "file" part`)
		}
		switch p.FormName() {
		case "taxonomy":
			data, err := io.ReadAll(io.LimitReader(p, maxTaxonomy+1))
			if err != nil {
				return nil, nil, fmt.Errorf("read taxonomy: %w", err)
			}
			if len(data) > maxTaxonomy {
				return nil, nil, fmt.Errorf("taxonomy over %d bytes", maxTaxonomy)
			}
			if len(data) > 0 {
				taxonomy = strings.NewReader(string(data))
			}
		case "file":
			return p, taxonomy, nil
		}
	}
}
