package api_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/danielgtaylor/huma/v2"
)

// statusWriter remembers the status a handler answered.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// declaredOnly fails t when h answers a request of the API with a status
// its OpenAPI document does not declare for that operation, so every test
// here checks the document as it goes. The preflight and the document
// itself are not operations.
func declaredOnly(t *testing.T, a huma.API, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := &statusWriter{ResponseWriter: w}
		h.ServeHTTP(sw, r)
		if r.Method == http.MethodOptions || r.URL.Path == "/v1/openapi.json" {
			return
		}
		op := operation(a.OpenAPI(), r.Method, r.URL.Path)
		if op == nil {
			t.Errorf("%s %s is served and not documented", r.Method, r.URL.Path)
			return
		}
		if _, ok := op.Responses[strconv.Itoa(sw.status)]; !ok {
			t.Errorf("%s %s answered %d, which the document does not declare for %s", r.Method, r.URL.Path, sw.status, op.OperationID)
		}
	})
}

// operation is the documented operation that serves method and path.
func operation(doc *huma.OpenAPI, method, path string) *huma.Operation {
	for tmpl, item := range doc.Paths {
		if !matches(tmpl, path) {
			continue
		}
		switch method {
		case http.MethodGet:
			return item.Get
		case http.MethodPost:
			return item.Post
		}
	}
	return nil
}

// matches reports whether path fits the template, {name} taking one segment.
func matches(tmpl, path string) bool {
	ts, ps := strings.Split(tmpl, "/"), strings.Split(path, "/")
	if len(ts) != len(ps) {
		return false
	}
	for i := range ts {
		if ts[i] != ps[i] && !(strings.HasPrefix(ts[i], "{") && ps[i] != "") {
			return false
		}
	}
	return true
}
