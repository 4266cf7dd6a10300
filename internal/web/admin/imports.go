package admin

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"mime"
	"net/http"
	"path"
	"sync"
	"time"

	"codeberg.org/maillage/maillage/internal/api"
	"codeberg.org/maillage/maillage/internal/importer"
	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/web/webkit"
)

// The import page: upload a map's export, see the dry run's report, then
// apply it. A browser cannot keep a file from one page to the next, so the
// parsed file waits here between the preview and the apply, for at most
// previewTTL and at most maxPreviews at once (the oldest is dropped): a
// 15,000-entry file is tens of megabytes once parsed.
const (
	importPath  = "/admin/import"
	previewTTL  = 30 * time.Minute
	maxPreviews = 2
)

// previews keeps the files previewed and not yet applied.
type previews struct {
	// mu guards byToken.
	mu      sync.Mutex
	byToken map[string]preview
}

type preview struct {
	user    string
	batch   *importer.Batch
	created time.Time
}

func newPreviews() *previews { return &previews{byToken: map[string]preview{}} }

// put keeps b for user and returns the token naming it.
func (p *previews) put(user string, b *importer.Batch, now time.Time) string {
	var raw [16]byte
	_, _ = rand.Read(raw[:])
	token := hex.EncodeToString(raw[:])
	p.mu.Lock()
	defer p.mu.Unlock()
	p.expire(now)
	for len(p.byToken) >= maxPreviews {
		oldest := ""
		for t, v := range p.byToken {
			if oldest == "" || v.created.Before(p.byToken[oldest].created) {
				oldest = t
			}
		}
		delete(p.byToken, oldest)
	}
	p.byToken[token] = preview{user: user, batch: b, created: now}
	return token
}

// take removes and returns the file user previewed under token.
func (p *previews) take(user, token string, now time.Time) (*importer.Batch, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.expire(now)
	v, ok := p.byToken[token]
	if !ok || v.user != user {
		return nil, false
	}
	delete(p.byToken, token)
	return v.batch, true
}

func (p *previews) expire(now time.Time) {
	for t, v := range p.byToken {
		if now.Sub(v.created) > previewTTL {
			delete(p.byToken, t)
		}
	}
}

// adminImportView is the import page: the upload form, and after a
// preview or an apply, the report.
type adminImportView struct {
	adminPage
	Formats []string
	Request importer.Request
	Error   string
	Report  *importer.Report
	Lines   []importer.Line // the first maxReportLines
	More    int             // lines left out
	Applied bool
	Token   string // the preview to apply
}

const maxReportLines = 300

func (h *Handler) adminImport(w http.ResponseWriter, r *http.Request) {
	if !webkit.PrincipalOf(r).Can(service.ActSettings, "") {
		webkit.WritePageError(w, h.log, service.ErrForbidden)
		return
	}
	h.renderImport(w, r, http.StatusOK, adminImportView{Request: importer.Request{Format: importer.FormatGoGoCarto, Licence: "ODbL-1.0"}})
}

func (h *Handler) renderImport(w http.ResponseWriter, r *http.Request, status int, v adminImportView) {
	v.adminPage = adminPageOf(r)
	v.Formats = []string{string(importer.FormatGoGoCarto), string(importer.FormatGeoJSON), string(importer.FormatCSV)}
	if v.Report != nil {
		v.Lines = v.Report.Lines
		if len(v.Lines) > maxReportLines {
			v.Lines, v.More = v.Lines[:maxReportLines], len(v.Lines)-maxReportLines
		}
	}
	h.kit.Render(w, r, status, "admin_import", webkit.Page{Title: h.tr.T(h.tr.Pick(r), "import.title"), Data: v})
}

// adminPreviewImport reads the uploaded file (a multipart form: format,
// source, licence, then the optional taxonomy and mapping file and the
// file, in that order) and shows the dry run's report with a button to apply it.
func (h *Handler) adminPreviewImport(w http.ResponseWriter, r *http.Request) {
	p := webkit.PrincipalOf(r)
	if !p.Can(service.ActSettings, "") {
		webkit.WritePageError(w, h.log, service.ErrForbidden) // before reading 50 MB
		return
	}
	lang := h.tr.Pick(r)
	r.Body = http.MaxBytesReader(w, r.Body, api.MaxImportBody)
	v := adminImportView{}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "multipart/form-data" {
		http.Error(w, http.StatusText(http.StatusBadRequest), http.StatusBadRequest)
		return
	}
	up, err := api.ImportParts(r, func(k, val string) {
		switch k {
		case "format":
			v.Request.Format = importer.Format(val)
		case "source":
			v.Request.Source = val
		case "licence":
			v.Request.Licence = val
		}
	})
	if err == nil {
		var b *importer.Batch
		if up.FileName != "" {
			v.Request.SourceURL = path.Base(up.FileName) // as the browser names it: never a local directory
		}
		// The mapping, like the taxonomy, is applied here: the batch kept
		// for the apply already holds the sectors it gave.
		if b, err = importer.ParseRequest(v.Request, up.File, up.Taxonomy, up.Mapping, h.now()); err == nil {
			var rep importer.Report
			if rep, err = h.svc.Import(r.Context(), p, b, true); err == nil {
				v.Report = &rep
				v.Token = h.previews.put(webkit.AccountOf(r.Context()).Username, b, h.now())
				h.renderImport(w, r, http.StatusOK, v)
				return
			}
		}
	}
	var tooBig *http.MaxBytesError
	switch {
	case errors.Is(err, service.ErrForbidden):
		webkit.WritePageError(w, h.log, err)
		return
	case errors.As(err, &tooBig):
		err = importer.ErrTooLarge
	}
	v.Error = h.tr.T(lang, "import.error", err.Error())
	h.renderImport(w, r, http.StatusUnprocessableEntity, v)
}

// adminApplyImport applies the file previewed under the form's token.
func (h *Handler) adminApplyImport(w http.ResponseWriter, r *http.Request) {
	if !webkit.PrincipalOf(r).Can(service.ActSettings, "") {
		webkit.WritePageError(w, h.log, service.ErrForbidden)
		return
	}
	if !webkit.ReadForm(w, r) {
		return
	}
	b, ok := h.previews.take(webkit.AccountOf(r.Context()).Username, r.PostFormValue("token"), h.now())
	if !ok {
		h.renderImport(w, r, http.StatusConflict, adminImportView{Error: h.tr.T(h.tr.Pick(r), "import.again")})
		return
	}
	rep, err := h.svc.Import(r.Context(), webkit.PrincipalOf(r), b, false)
	if err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	h.renderImport(w, r, http.StatusOK, adminImportView{Report: &rep, Applied: true,
		Request: importer.Request{Format: importer.FormatGoGoCarto, Source: b.Source, Licence: b.Licence}})
}
