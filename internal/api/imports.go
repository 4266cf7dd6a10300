package api

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"

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
// optional "taxonomy" and "mapping" parts (first) and a "file" part. It answers the report
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
	body := http.MaxBytesReader(w, r.Body, MaxImportBody)
	up := ImportUpload{File: body}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "multipart/form-data" {
		var err error
		if up, err = ImportParts(r, nil); err != nil {
			writeAPI(w, http.StatusBadRequest, apiError{Error: err.Error()})
			return
		}
	}
	batch, err := importer.ParseRequest(req, up.File, up.Taxonomy, up.Mapping, h.now())
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

// MaxImportBody bounds an import's request body: the file, a taxonomy, a
// mapping file and the form's fields.
const MaxImportBody = importer.DefaultMaxBytes + importer.MaxTaxonomyBytes + importer.MaxMappingBytes + 64<<10

// ImportUpload is what an import request carries besides its query or
// form fields. Taxonomy and Mapping are nil when not sent (or sent empty,
// as a browser sends a file field left blank).
type ImportUpload struct {
	File     io.Reader
	FileName string // as the client named the file part
	Taxonomy io.Reader
	Mapping  io.Reader
}

// ImportParts reads a multipart body: optional "taxonomy" and "mapping"
// parts, held in memory, then the "file" part, streamed, with the name it
// was sent under. Other parts before them are given to field (if not nil),
// at most maxFieldBytes each: the admin page's form sends its fields first.
func ImportParts(r *http.Request, field func(name, value string)) (ImportUpload, error) {
	var up ImportUpload
	mr, err := r.MultipartReader()
	if err != nil {
		return up, fmt.Errorf("invalid multipart body: %w", err)
	}
	for {
		p, err := mr.NextPart()
		if err != nil {
			return up, errors.New(`the multipart body has no "file" part`)
		}
		switch name := p.FormName(); name {
		case "taxonomy", "mapping":
			limit := importer.MaxTaxonomyBytes
			if name == "mapping" {
				limit = importer.MaxMappingBytes
			}
			data, err := io.ReadAll(io.LimitReader(p, int64(limit)+1))
			if err != nil {
				return up, fmt.Errorf("read %s: %w", name, err)
			}
			if len(data) > limit {
				return up, fmt.Errorf("%s over %d bytes", name, limit)
			}
			if len(data) == 0 {
				continue
			}
			if name == "mapping" {
				up.Mapping = bytes.NewReader(data)
			} else {
				up.Taxonomy = bytes.NewReader(data)
			}
		case "file":
			up.File, up.FileName = p, p.FileName()
			return up, nil
		default:
			data, err := io.ReadAll(io.LimitReader(p, maxFieldBytes+1))
			if err != nil || len(data) > maxFieldBytes {
				return up, fmt.Errorf("field %.40q too long or unreadable", p.FormName())
			}
			if field != nil {
				field(p.FormName(), string(data))
			}
		}
	}
}

// maxFieldBytes bounds a form field sent with an import.
const maxFieldBytes = 4 << 10
