package api_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/danielgtaylor/huma/v2"

	"salesbot/api"
	"salesbot/pipeline"
	"salesbot/sales"
	"salesbot/sales/salesdb"
)

// servedDoc is what the test reads of the served document.
type servedDoc struct {
	Paths map[string]map[string]struct {
		OperationID string `json:"operationId"`
		Responses   map[string]struct {
			Content map[string]struct {
				Schema struct {
					Ref string `json:"$ref"`
				} `json:"schema"`
			} `json:"content"`
		} `json:"responses"`
	} `json:"paths"`
}

// Every operation of the served /v1/openapi.json answers each status it
// declares (a request below makes each), every status those requests get
// is declared, and each body fits the schema declared for it (problems the
// ErrorModel), checked with huma's own validator.
func TestEveryRouteAndStatusIsDocumented(t *testing.T) {
	t.Parallel()
	e := setup(t)
	tight := setup(t, api.Config{KeyRate: 0.01}) // one request per key, then 429
	h, _ := api.New(api.Config{Sales: broken{e.svc}, Keys: e.svc})
	down := e
	down.srv = httptest.NewServer(h) // the database fails behind the key check
	t.Cleanup(down.srv.Close)
	fk := e.formKey(t, "https://shop.example")
	ref := e.lead(t, e.key, "Existing")
	e.do(t, "POST", "/v1/leads", "application/json", `{"company":"First"}`, "Authorization", "Bearer "+e.key, "Idempotency-Key", "used")

	sec := func(e env, method, path, ctype, body string, hdr ...string) func() answer {
		return func() answer {
			return e.do(t, method, path, ctype, body, append([]string{"Authorization", "Bearer " + e.key}, hdr...)...)
		}
	}
	twice := func(f func() answer) func() answer { return func() answer { f(); return f() } }
	fq := "/v1/leads?key=" + url.QueryEscape(fk)
	fromShop := []string{"Origin", "https://shop.example"}
	cases := map[string]map[int]func() answer{
		"POST /v1/leads": {
			200: func() answer { return e.do(t, "POST", fq, form, "company=Form+Co", fromShop...) },
			201: sec(e, "POST", "/v1/leads", "application/json", `{"company":"Json Co"}`),
			303: func() answer {
				return e.do(t, "POST", fq, form, "company=Redirect+Co&redirect=https%3A%2F%2Fshop.example%2Fthanks", fromShop...)
			},
			400: sec(e, "POST", "/v1/leads", "application/json", `{"company":`),
			401: func() answer { return e.do(t, "POST", "/v1/leads", "application/json", `{"company":"A"}`) },
			403: func() answer { return e.do(t, "POST", fq, form, "company=A", "Origin", "https://evil.example") },
			409: sec(e, "POST", "/v1/leads", "application/json", `{"company":"Second"}`, "Idempotency-Key", "used"),
			413: sec(e, "POST", "/v1/leads", "application/json", `{"company":"`+strings.Repeat("a", api.MaxBody)+`"}`),
			415: sec(e, "POST", "/v1/leads", "text/plain", "company=A"),
			422: sec(e, "POST", "/v1/leads", "application/json", `{"contact_email":"jane@"}`),
			429: twice(sec(tight, "POST", "/v1/leads", "application/json", `{"company":"A"}`)),
			500: sec(down, "POST", "/v1/leads", "application/json", `{"company":"A"}`),
		},
		"GET /v1/deals/{ref}": {
			200: sec(e, "GET", "/v1/deals/"+ref, "", ""),
			401: func() answer {
				return e.do(t, "GET", "/v1/deals/"+ref, "", "", "Authorization", "Bearer sb_secret_nope")
			},
			403: func() answer {
				return e.do(t, "GET", "/v1/deals/"+ref+"?key="+url.QueryEscape(fk), "", "", fromShop...)
			},
			404: sec(e, "GET", "/v1/deals/D-999", "", ""),
			422: sec(e, "GET", "/v1/deals/D-x", "", ""),
			429: twice(sec(tight, "GET", "/v1/deals/1", "", "")),
			500: sec(down, "GET", "/v1/deals/1", "", ""),
		},
		"GET /v1/deals": {
			200: sec(e, "GET", "/v1/deals?limit=1", "", ""),
			400: sec(e, "GET", "/v1/deals?cursor=x", "", ""),
			401: func() answer { return e.do(t, "GET", "/v1/deals", "", "") },
			403: func() answer { return e.do(t, "GET", "/v1/deals?key="+url.QueryEscape(fk), "", "", fromShop...) },
			422: sec(e, "GET", "/v1/deals?stage=nope", "", ""),
			429: twice(sec(tight, "GET", "/v1/deals", "", "")),
			500: sec(down, "GET", "/v1/deals", "", ""),
		},
	}

	res, err := http.Get(e.srv.URL + "/v1/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var doc servedDoc
	if err := json.NewDecoder(res.Body).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	reg := e.api.OpenAPI().Components.Schemas
	documented := map[string]bool{}
	for path, ops := range doc.Paths {
		for method, op := range ops {
			name := strings.ToUpper(method) + " " + path
			documented[name] = true
			gen, ok := cases[name]
			if !ok {
				t.Errorf("%s (%s) is documented, and no request here tries it", name, op.OperationID)
				continue
			}
			for code, resp := range op.Responses {
				status, err := strconv.Atoi(code)
				if err != nil {
					continue // "default": huma's catch-all for errors
				}
				if gen[status] == nil {
					t.Errorf("%s declares %d, and no request here gets it", name, status)
					continue
				}
				a := gen[status]()
				if a.status != status {
					t.Errorf("%s, the %d request: got %d %v", name, status, a.status, a.body)
					continue
				}
				ct := strings.Split(a.header.Get("Content-Type"), ";")[0]
				if len(resp.Content) == 0 {
					if a.body != nil {
						t.Errorf("%s %d: a body the document does not declare: %v", name, status, a.body)
					}
					continue
				}
				mt, ok := resp.Content[ct]
				if !ok {
					t.Errorf("%s %d: answered %q, the document declares %v", name, status, ct, keys(resp.Content))
					continue
				}
				if status == 500 && strings.Contains(fmt.Sprint(a.body), "pq:") {
					t.Errorf("%s 500 shows its cause: %v", name, a.body)
				}
				if status >= 400 && (ct != "application/problem+json" || !strings.HasSuffix(mt.Schema.Ref, "/ErrorModel")) {
					t.Errorf("%s %d: %s %s; want a problem+json ErrorModel", name, status, ct, mt.Schema.Ref)
				}
				vr := &huma.ValidateResult{}
				huma.Validate(reg, &huma.Schema{Ref: mt.Schema.Ref}, huma.NewPathBuffer(nil, 0), huma.ModeReadFromServer, anyJSON(t, a.body), vr)
				for _, err := range vr.Errors {
					t.Errorf("%s %d: the body does not fit %s: %v (%v)", name, status, mt.Schema.Ref, err, a.body)
				}
			}
			for status := range gen {
				if _, ok := op.Responses[strconv.Itoa(status)]; !ok {
					t.Errorf("%s answers %d, which the document does not declare", name, status)
				}
			}
		}
	}
	for name := range cases {
		if !documented[name] {
			t.Errorf("%s is served, and not in the document", name)
		}
	}
}

// broken is the use cases with the database gone.
type broken struct{ *salesdb.Service }

var errDown = errors.New("pq: the database system is shutting down")

func (broken) Workspace(context.Context, string) (sales.Workspace, error) {
	return sales.Workspace{}, errDown
}
func (broken) APIDeal(context.Context, string, int64) (pipeline.Deal, error) {
	return pipeline.Deal{}, errDown
}
func (broken) APIDeals(context.Context, string, sales.DealFilter) (sales.DealPage, error) {
	return sales.DealPage{}, errDown
}

// anyJSON is v as encoding/json reads it into any, as the validator takes.
func anyJSON(t *testing.T, v map[string]any) any {
	t.Helper()
	b, _ := json.Marshal(v)
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
