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
	"log/slog"
	"math"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"salesbot/pipeline"
	"salesbot/sales"
)

// MaxBody is the largest request body accepted; larger ones get 413.
const MaxBody = 64 << 10

// KeyChecker tells who a raw key belongs to; an unknown or revoked key is
// sales.ErrBadKey. FormOrigin tells whether a live form key lists an
// origin, for the preflights that carry no key.
type KeyChecker interface {
	CheckKey(ctx context.Context, raw string) (sales.APIKey, error)
	FormOrigin(ctx context.Context, origin string) (bool, error)
}

// UseCases are the use cases the API calls; *salesdb.Service has them.
type UseCases interface {
	Workspace(ctx context.Context, team string) (sales.Workspace, error)
	CreateLead(ctx context.Context, lead pipeline.NewLead) (sales.CreatedLead, error)
	APIDeal(ctx context.Context, team string, n int64) (pipeline.Deal, error)
	APIDeals(ctx context.Context, team string, f sales.DealFilter) (sales.DealPage, error)
}

// Config is what New needs.
type Config struct {
	Sales UseCases
	Keys  KeyChecker
	// KeyRate and IPRate are requests per second per key and per client IP
	// (the IP limit applies to form keys); 0 means DefaultKeyRate and
	// DefaultIPRate. Each bucket holds twice its rate.
	KeyRate, IPRate float64
	// TrustProxy takes the client IP from the last X-Forwarded-For address
	// (the one the proxy in front added) instead of the connection's.
	TrustProxy bool
	Log        *slog.Logger
	Now        func() time.Time // the rate limits' clock; time.Now when nil
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
		"formKey": {Type: "apiKey", In: "query", Name: "key",
			Description: "A form key (sb_form_…) for a plain HTML form, which cannot send headers. Secret keys are refused here."},
	}
	a := humago.New(mux, hc)
	if c.KeyRate <= 0 {
		c.KeyRate = DefaultKeyRate
	}
	if c.IPRate <= 0 {
		c.IPRate = DefaultIPRate
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Log == nil {
		c.Log = slog.New(slog.DiscardHandler)
	}
	s := &server{sales: c.Sales, keys: c.Keys, keyRate: newLimiters(c.KeyRate, c.Now), ipRate: newLimiters(c.IPRate, c.Now),
		trustProxy: c.TrustProxy, log: c.Log}
	s.register(a)
	s.registerDeals(a)
	mux.HandleFunc("OPTIONS /v1/leads", s.preflight)
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
	sales      UseCases
	keys       KeyChecker
	keyRate    *limiters // by key prefix
	ipRate     *limiters // by client IP, for form keys
	trustProxy bool
	log        *slog.Logger
}

type keyCtx struct{}

// auth checks the key before the operation runs and keeps it in the
// context: a missing or bad key gets 401. A form key (formOK operations
// only, else 403) must come from one of its origins (else 403), and its
// client IP has a bucket besides the key's (429 when either is empty).
func (s *server) auth(a huma.API, formOK bool) func(huma.Context, func(huma.Context)) {
	return func(ctx huma.Context, next func(huma.Context)) {
		raw, inQuery := bearer(ctx)
		if raw == "" {
			ctx.SetHeader("WWW-Authenticate", `Bearer realm="salesbot"`)
			_ = huma.WriteErr(a, ctx, http.StatusUnauthorized, "Send an API key as Authorization: Bearer <key> (a form key may also come as the query parameter key).")
			return
		}
		if inQuery && !strings.HasPrefix(raw, formKeyStart) {
			// Whatever it is, it must not travel in URLs, which logs keep.
			_ = huma.WriteErr(a, ctx, http.StatusUnauthorized, "Only a form key may be sent as the query parameter key; secret keys go in the Authorization header (Authorization: Bearer <key>), never in a URL. A secret key sent in a URL may have been logged on its way: revoke it with /salesbot apikey revoke and make a new one.")
			return
		}
		k, err := s.keys.CheckKey(ctx.Context(), raw)
		if err != nil {
			ctx.SetHeader("WWW-Authenticate", `Bearer realm="salesbot", error="invalid_token"`)
			if errors.Is(err, sales.ErrBadKey) {
				_ = huma.WriteErr(a, ctx, http.StatusUnauthorized, "The API key is not valid: it is unknown or was revoked.")
			} else {
				s.log.Error("api: check a key", "error", err)
				_ = huma.WriteErr(a, ctx, http.StatusInternalServerError, "The API key could not be checked; try again.")
			}
			return
		}
		if k.Kind == sales.KeyForm && !s.formRules(a, ctx, k, formOK) {
			return
		}
		if ok, wait := s.keyRate.take(k.Prefix); !ok {
			tooMany(a, ctx, wait, "This API key sent more requests than its rate limit allows.")
			return
		}
		next(huma.WithValue(ctx, keyCtx{}, k))
	}
}

// formKeyStart begins every raw form key.
const formKeyStart = "sb_form_"

// bearer is the raw key of the request: the Authorization header's, else
// the query parameter key's (inQuery).
func bearer(ctx huma.Context) (raw string, inQuery bool) {
	if h := ctx.Header("Authorization"); h != "" {
		raw, ok := strings.CutPrefix(h, "Bearer ")
		if !ok {
			return "", false
		}
		return strings.TrimSpace(raw), false
	}
	raw = strings.TrimSpace(ctx.Query("key"))
	return raw, raw != ""
}

// tooMany answers 429 with Retry-After in whole seconds.
func tooMany(a huma.API, ctx huma.Context, wait time.Duration, why string) {
	secs := int(math.Ceil(wait.Seconds()))
	ctx.SetHeader("Retry-After", strconv.Itoa(secs))
	_ = huma.WriteErr(a, ctx, http.StatusTooManyRequests, fmt.Sprintf("%s Try again in %d s.", why, secs))
}

func newKey() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
