package api

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"codeberg.org/maillage/maillage/internal/importer"
	"codeberg.org/maillage/maillage/internal/service"
)

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
	req := importer.Request{Format: importer.Format(q.Get("format")), Source: q.Get("source"), SourceURL: q.Get("source_url"),
		Licence: q.Get("licence")}
	req.DryRun, _ = strconv.ParseBool(q.Get("dry_run"))
	if !principalOf(r).Can(service.ActSettings, "") {
		// Fail before reading 50 MB; the service checks again.
		h.writeAPIError(w, fmt.Errorf("import: %w", service.ErrForbidden))
		return
	}
	body := http.MaxBytesReader(w, r.Body, importer.DefaultMaxBytes+importer.MaxTaxonomyBytes+64<<10)
	file, taxonomy := io.Reader(body), io.Reader(nil)
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "multipart/form-data" {
		var err error
		if file, _, taxonomy, err = ImportParts(r, nil); err != nil {
			writeAPI(w, http.StatusBadRequest, apiError{Error: err.Error()})
			return
		}
	}
	batch, err := importer.ParseRequest(req, file, taxonomy, h.now())
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

// ImportParts reads a multipart body: an optional "taxonomy" part, held
// in memory, then the "file" part, streamed, with the name it was sent
// under. Other parts before them are given to field (if not nil), at most
// maxFieldBytes each: the admin page's form sends its fields first.
func ImportParts(r *http.Request, field func(name, value string)) (file io.Reader, fileName string, taxonomy io.Reader, err error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, "", nil, fmt.Errorf("invalid multipart body: %w", err)
	}
	for {
		p, err := mr.NextPart()
		if err != nil {
			return nil, "", nil, errors.New(`the multipart body has no "file" part`)
		}
		switch p.FormName() {
		case "taxonomy":
			data, err := io.ReadAll(io.LimitReader(p, importer.MaxTaxonomyBytes+1))
			if err != nil {
				return nil, "", nil, fmt.Errorf("read taxonomy: %w", err)
			}
			if len(data) > importer.MaxTaxonomyBytes {
				return nil, "", nil, fmt.Errorf("taxonomy over %d bytes", importer.MaxTaxonomyBytes)
			}
			if len(data) > 0 {
				taxonomy = strings.NewReader(string(data))
			}
		case "file":
			return p, p.FileName(), taxonomy, nil
		default:
			data, err := io.ReadAll(io.LimitReader(p, maxFieldBytes+1))
			if err != nil || len(data) > maxFieldBytes {
				return nil, "", nil, fmt.Errorf("field %.40q too long or unreadable", p.FormName())
			}
			if field != nil {
				field(p.FormName(), string(data))
			}
		}
	}
}

// maxFieldBytes bounds a form field sent with an import.
const maxFieldBytes = 4 << 10
