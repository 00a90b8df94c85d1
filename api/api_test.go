package api_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"salesbot/api"
	"salesbot/internal/pgtest"
	"salesbot/notices"
	"salesbot/outbox"
	"salesbot/pipeline"
	"salesbot/sales"
	"salesbot/sales/salesdb"
	"salesbot/store"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

var now = time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC)

// noPoster stands in for Slack in an outbox that is never started: the
// offers it queues are counted, never posted.
type noPoster struct{ outbox.Poster }

// everyone is a directory in which every account is active.
type everyone struct{}

func (everyone) Active(context.Context, string) (bool, error) { return true, nil }

type env struct {
	db   *store.Store
	srv  *httptest.Server
	team string
	key  string // a live secret key of team
	svc  *salesdb.Service
	api  huma.API
}

// setup serves the API over a real listener with the real use cases; the
// workspace has an admin, U0ADMIN, who made a secret key, and a rep,
// U0REP2, whom a rule sends Software leads.
func setup(t *testing.T, cfg ...api.Config) env {
	t.Helper()
	db := pgtest.New(t)
	st := store.New(db)
	team := pgtest.TeamID()
	ctx := t.Context()
	if _, err := st.EnsureWorkspace(ctx, st.DB(), team, pipeline.Settings{Currency: "USD"}); err != nil {
		t.Fatal(err)
	}
	for id, role := range map[string]string{"U0ADMIN": pipeline.RoleAdmin, "U0REP2": pipeline.RoleRep} {
		if _, err := st.EnsureUser(ctx, st.DB(), pipeline.User{WorkspaceID: team, ID: id, Role: role}); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.SaveRoutingRules(ctx, st.DB(), team, []pipeline.RoutingRule{{Industry: "Software", To: "U0REP2"}}); err != nil {
		t.Fatal(err)
	}
	ob, err := outbox.New(outbox.Config{DB: db.DB, Poster: noPoster{}})
	if err != nil {
		t.Fatal(err)
	}
	svc := salesdb.New(salesdb.Deps{Store: st, Outbox: salesdb.OutboxOf(ob, notices.Message), Directory: everyone{},
		Now: func() time.Time { return now }})
	admin, _, err := svc.Actor(ctx, team, "U0ADMIN")
	if err != nil {
		t.Fatal(err)
	}
	k, err := svc.NewAPIKey(ctx, sales.NewAPIKey{Team: team, Actor: admin, Label: "website", Kind: sales.KeySecret, IdempotencyKey: "key-" + team})
	if err != nil {
		t.Fatal(err)
	}
	c := api.Config{}
	if len(cfg) > 0 {
		c = cfg[0]
	}
	c.Sales, c.Keys = svc, svc
	h, a := api.New(c)
	srv := httptest.NewServer(declaredOnly(t, a, h))
	t.Cleanup(srv.Close)
	return env{db: st, srv: srv, team: team, key: k.Raw, svc: svc, api: a}
}

type answer struct {
	status int
	header http.Header
	body   map[string]any
}

func (e env) post(t *testing.T, ctype, body string, hdr ...string) answer {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/v1/leads", strings.NewReader(body))
	req.Header.Set("Content-Type", ctype)
	req.Header.Set("Authorization", "Bearer "+e.key)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	a := answer{status: res.StatusCode, header: res.Header}
	if err := json.Unmarshal(raw, &a.body); err != nil {
		t.Fatalf("status %d, body %q is not JSON: %v", res.StatusCode, raw, err)
	}
	return a
}

func (e env) deals(t *testing.T) []pipeline.Deal {
	t.Helper()
	var ds []pipeline.Deal
	rows, err := e.db.DB().QueryContext(t.Context(), `SELECT number, owner_id, source FROM deals WHERE workspace_id = $1 ORDER BY number`, e.team)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var d pipeline.Deal
		if err := rows.Scan(&d.Number, &d.OwnerID, &d.Source); err != nil {
			t.Fatal(err)
		}
		ds = append(ds, d)
	}
	return ds
}

func TestCreateLeadStoresAndRoutes(t *testing.T) {
	t.Parallel()
	e := setup(t)
	for _, c := range []struct{ ctype, body string }{
		{"application/json", `{"company":"Acme Corp","contact_email":"jane@acme.example","industry":"Software","utm_source":"ads"}`},
		{"application/x-www-form-urlencoded", "company=Beta+Ltd&industry=Software&message=Call+me&submit=Send"},
	} {
		a := e.post(t, c.ctype, c.body)
		if a.status != http.StatusCreated || a.body["owner"] != "U0REP2" || a.body["routed_to"] != "U0REP2" {
			t.Errorf("%s: status %d, body %v; want 201 routed to U0REP2", c.ctype, a.status, a.body)
		}
	}
	ds := e.deals(t)
	if len(ds) != 2 || ds[0].OwnerID != "U0REP2" || ds[1].OwnerID != "U0REP2" || ds[0].Source != "inbound" {
		t.Errorf("stored deals %+v; want two inbound deals owned by U0REP2", ds)
	}
	var offers int
	if err := e.db.DB().GetContext(t.Context(), &offers, `SELECT count(*) FROM river_job WHERE kind = 'outbox_message'
		AND args->>'team_id' = $1 AND args->>'channel' = 'U0REP2' AND args->>'kind' = 'lead_routed'`, e.team); err != nil {
		t.Fatal(err)
	}
	if offers != 2 {
		t.Errorf("offers queued to U0REP2 = %d, want 2", offers)
	}
}

func TestCreateLeadFieldMessages(t *testing.T) {
	t.Parallel()
	e := setup(t)
	a := e.post(t, "application/json", `{"contact_email":"jane@","company_size":"huge"}`)
	if a.status != http.StatusUnprocessableEntity || !strings.HasPrefix(a.header.Get("Content-Type"), "application/problem+json") {
		t.Fatalf("status %d %q; want 422 problem+json", a.status, a.header.Get("Content-Type"))
	}
	got := map[string]string{}
	for _, d := range a.body["errors"].([]any) {
		m := d.(map[string]any)
		got[m["location"].(string)] = m["message"].(string)
	}
	_, want := pipeline.ValidateLead(pipeline.LeadForm{ContactEmail: "jane@", CompanySize: "huge"}, "USD")
	if len(got) != len(want) {
		t.Errorf("errors %v; want one per field of %v", got, want)
	}
	for f, msg := range want {
		if got["body."+string(f)] != msg {
			t.Errorf("body.%s: %q; want the form's %q", f, got["body."+string(f)], msg)
		}
	}
	if n := len(e.deals(t)); n != 0 {
		t.Errorf("deals = %d, want none", n)
	}
}

func TestCreateLeadRefusals(t *testing.T) {
	t.Parallel()
	e := setup(t)
	for _, c := range []struct {
		name, ctype, body string
		hdr               []string
		want              int
	}{
		{"no key", "application/json", `{"company":"A"}`, []string{"Authorization", ""}, 401},
		{"bad key", "application/json", `{"company":"A"}`, []string{"Authorization", "Bearer nope"}, 401},
		{"too large", "application/json", `{"company":"` + strings.Repeat("a", api.MaxBody) + `"}`, nil, 413},
		{"other type", "text/plain", `company=A`, nil, 415},
		{"not JSON", "application/json", `{"company":`, nil, 400},
	} {
		a := e.post(t, c.ctype, c.body, c.hdr...)
		if a.status != c.want || !strings.HasPrefix(a.header.Get("Content-Type"), "application/problem+json") {
			t.Errorf("%s: status %d %q; want %d problem+json", c.name, a.status, a.header.Get("Content-Type"), c.want)
		}
		if a.body["status"] != float64(c.want) || a.body["detail"] == "" || a.body["detail"] == nil {
			t.Errorf("%s: problem %v; want its status and a detail that says what is wrong", c.name, a.body)
		}
		t.Logf("%s: %v", c.name, a.body["detail"])
		if c.want == 415 && !strings.Contains(a.body["detail"].(string), "application/json") {
			t.Errorf("%s: detail %q does not name the types taken", c.name, a.body["detail"])
		}
	}
	if n := len(e.deals(t)); n != 0 {
		t.Errorf("deals = %d, want none", n)
	}
}

func TestCreateLeadIdempotencyKey(t *testing.T) {
	t.Parallel()
	e := setup(t)
	body := `{"company":"Acme Corp","industry":"Software"}`
	first := e.post(t, "application/json", body, "Idempotency-Key", "k1")
	again := e.post(t, "application/json", body, "Idempotency-Key", "k1")
	if first.status != 201 || again.status != 201 || again.body["ref"] != first.body["ref"] || again.body["owner"] != first.body["owner"] {
		t.Errorf("first %d %v, again %d %v; want the first response twice", first.status, first.body, again.status, again.body)
	}
	other := e.post(t, "application/json", `{"company":"Other Inc"}`, "Idempotency-Key", "k1")
	if other.status != http.StatusConflict {
		t.Errorf("another body with the key: status %d %v; want 409", other.status, other.body)
	}
	if n := len(e.deals(t)); n != 1 {
		t.Errorf("deals = %d, want 1", n)
	}
}

// The document lists every route and every status the tests above saw.
func TestOpenAPIDocumentsRoutesAndErrors(t *testing.T) {
	t.Parallel()
	e := setup(t)
	res, err := http.Get(e.srv.URL + "/v1/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var doc struct {
		OpenAPI string `json:"openapi"`
		Paths   map[string]map[string]struct {
			RequestBody struct{ Content map[string]any }
			Responses   map[string]struct{ Content map[string]any }
		}
	}
	if err := json.NewDecoder(res.Body).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.1") {
		t.Errorf("openapi %q, want 3.1", doc.OpenAPI)
	}
	op, ok := doc.Paths["/v1/leads"]["post"]
	if !ok {
		t.Fatalf("paths %v: no POST /v1/leads", doc.Paths)
	}
	for _, ct := range []string{"application/json", "application/x-www-form-urlencoded"} {
		if op.RequestBody.Content[ct] == nil {
			t.Errorf("request body lacks %s", ct)
		}
	}
	for _, code := range []string{"201", "400", "401", "409", "413", "415", "422"} {
		r, ok := op.Responses[code]
		if !ok {
			t.Errorf("response %s not documented", code)
			continue
		}
		if code != "201" && r.Content["application/problem+json"] == nil {
			t.Errorf("response %s is not problem+json in the document", code)
		}
	}
}
