// Package api is salesbot's HTTP API: leads from other systems and web
// forms, carried to the same use cases as the New lead form.
package api

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"salesbot/pipeline"
	"salesbot/sales"
)

// MaxBody is the largest request body accepted; larger ones get 413.
const MaxBody = 64 << 10

// KeyChecker tells who a raw key belongs to; an unknown or revoked key is
// sales.ErrBadKey.
type KeyChecker interface {
	CheckKey(ctx context.Context, raw string) (sales.APIKey, error)
}

// UseCases are the use cases the API calls; *salesdb.Service has them.
type UseCases interface {
	Workspace(ctx context.Context, team string) (sales.Workspace, error)
	CreateLead(ctx context.Context, lead pipeline.NewLead) (sales.CreatedLead, error)
}

// Config is what New needs.
type Config struct {
	Sales UseCases
	Keys  KeyChecker
}

const formType = "application/x-www-form-urlencoded"

// New builds the API's handler: the routes under /v1 and the OpenAPI 3.1
// document at /v1/openapi.json.
func New(c Config) (http.Handler, huma.API) {
	mux := http.NewServeMux()
	hc := huma.DefaultConfig("salesbot API", "1.0.0")
	hc.OpenAPIPath = "/v1/openapi"
	hc.DocsPath = ""
	hc.SchemasPath = ""
	hc.CreateHooks = nil // no $schema link in bodies: they stay plain
	hc.Formats = map[string]huma.Format{
		"application/json": huma.DefaultJSONFormat,
		"json":             huma.DefaultJSONFormat,
		formType:           formFormat,
	}
	hc.Components.SecuritySchemes = map[string]*huma.SecurityScheme{
		"bearer": {Type: "http", Scheme: "bearer", Description: "An API key made with /salesbot apikey new."},
	}
	a := humago.New(mux, hc)
	s := &server{sales: c.Sales, keys: c.Keys}
	s.register(a)
	return mediaTypes(mux), a
}

// mediaTypes answers a body of another media type with a 415 that names the
// two it takes, before huma would answer a bare "validation failed".
func mediaTypes(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ct := r.Header.Get("Content-Type")
		if r.Method == http.MethodPost && ct != "" {
			mt, _, err := mime.ParseMediaType(ct)
			if err != nil || (mt != "application/json" && mt != formType) {
				w.Header().Set("Content-Type", "application/problem+json")
				w.WriteHeader(http.StatusUnsupportedMediaType)
				_ = json.NewEncoder(w).Encode(&huma.ErrorModel{
					Title:  http.StatusText(http.StatusUnsupportedMediaType),
					Status: http.StatusUnsupportedMediaType,
					Detail: fmt.Sprintf("Send the body as application/json or %s, not %.60q.", formType, ct),
				})
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// formFormat reads a plain HTML form's body as if it were the same JSON
// object, so both are validated and read by one schema. The API never
// answers in it.
var formFormat = huma.Format{
	Marshal: func(w io.Writer, v any) error { return errors.New("responses are JSON") },
	Unmarshal: func(data []byte, v any) error {
		vals, err := url.ParseQuery(string(data))
		if err != nil {
			return fmt.Errorf("the form body cannot be read: %w", err)
		}
		m := make(map[string]any, len(vals))
		for k, vs := range vals {
			m[k] = strings.Join(vs, "\n") // a repeated field keeps every value
		}
		b, err := json.Marshal(m)
		if err != nil {
			return err
		}
		return json.Unmarshal(b, v)
	},
}

type server struct {
	sales UseCases
	keys  KeyChecker
}

type keyCtx struct{}

// auth checks the bearer key before the operation runs and keeps it in the
// context; a missing or bad key gets 401.
func (s *server) auth(a huma.API) func(huma.Context, func(huma.Context)) {
	return func(ctx huma.Context, next func(huma.Context)) {
		raw, ok := strings.CutPrefix(ctx.Header("Authorization"), "Bearer ")
		if !ok || strings.TrimSpace(raw) == "" {
			ctx.SetHeader("WWW-Authenticate", `Bearer realm="salesbot"`)
			_ = huma.WriteErr(a, ctx, http.StatusUnauthorized, "Send an API key as Authorization: Bearer <key>.")
			return
		}
		k, err := s.keys.CheckKey(ctx.Context(), strings.TrimSpace(raw))
		if err != nil {
			ctx.SetHeader("WWW-Authenticate", `Bearer realm="salesbot", error="invalid_token"`)
			if errors.Is(err, sales.ErrBadKey) {
				_ = huma.WriteErr(a, ctx, http.StatusUnauthorized, "The API key is not valid: it is unknown or was revoked.")
			} else {
				_ = huma.WriteErr(a, ctx, http.StatusInternalServerError, "The API key could not be checked; try again.")
			}
			return
		}
		next(huma.WithValue(ctx, keyCtx{}, k))
	}
}

func newKey() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
