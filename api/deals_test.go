package api_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"salesbot/internal/pgtest"
	"salesbot/pipeline"
	"salesbot/sales"
)

const time30m = 30 * time.Minute

func (e env) get(t *testing.T, key, path string) answer {
	t.Helper()
	return e.do(t, "GET", path, "", "", "Authorization", "Bearer "+key)
}

// lead posts a lead owned by U0REP2 with e's secret key and returns its ref.
func (e env) lead(t *testing.T, key, company string) string {
	t.Helper()
	a := e.do(t, "POST", "/v1/leads", "application/json", fmt.Sprintf(`{"company":%q,"owner":"U0REP2"}`, company),
		"Authorization", "Bearer "+key)
	if a.status != http.StatusCreated {
		t.Fatalf("lead %s: %d %v", company, a.status, a.body)
	}
	return a.body["ref"].(string)
}

func companies(a answer) []string {
	var out []string
	ds, _ := a.body["deals"].([]any)
	for _, d := range ds {
		out = append(out, d.(map[string]any)["company"].(string))
	}
	return out
}

// A deal reads as its snapshot, by D-42 or 42; another number is 404, a
// reference that is not one is 422.
func TestGetDeal(t *testing.T) {
	t.Parallel()
	e := setup(t)
	a := e.do(t, "POST", "/v1/leads", "application/json", `{"company":"Acme","title":"Rollout","contact_name":"Jane Doe",
		"contact_email":"jane@acme.example","value":"12,500.5","expected_close":"2026-04-01","owner":"U0REP2","source":"referral"}`,
		"Authorization", "Bearer "+e.key)
	ref := a.body["ref"].(string)
	for _, path := range []string{"/v1/deals/" + ref, "/v1/deals/" + strings.TrimPrefix(ref, "D-")} {
		d := e.get(t, e.key, path)
		v, _ := d.body["value"].(map[string]any)
		if d.status != 200 || d.body["ref"] != ref || d.body["company"] != "Acme" || d.body["title"] != "Rollout" ||
			d.body["contact_email"] != "jane@acme.example" || d.body["contact_name"] != "Jane Doe" || d.body["stage"] != "lead" ||
			v["minor"] != float64(1250050) || v["currency"] != "USD" || v["decimal"] != "12500.50" ||
			d.body["owner"] != "U0REP2" || d.body["source"] != "referral" || d.body["expected_close"] != "2026-04-01" ||
			d.body["created_at"] != now.Format("2006-01-02T15:04:05Z") || d.body["closed_at"] != nil {
			t.Errorf("%s: %d %v", path, d.status, d.body)
		}
	}
	if a := e.get(t, e.key, "/v1/deals/D-999"); a.status != 404 || !strings.Contains(detail(a), "D-999") {
		t.Errorf("D-999: %d %v", a.status, a.body)
	}
	if a := e.get(t, e.key, "/v1/deals/acme"); a.status != 422 || !strings.Contains(fmt.Sprint(a.body["errors"]), "path.ref") {
		t.Errorf("acme: %d %v", a.status, a.body)
	}
}

// Pages follow (updated_at, id): every deal comes once, in order, even when
// all share one updated_at; a deal changed while a client pages comes again
// later rather than being missed; next_cursor is absent on the last page.
func TestListDealsPages(t *testing.T) {
	t.Parallel()
	e := setup(t)
	for _, c := range []string{"A1", "A2", "A3", "A4", "A5"} {
		e.lead(t, e.key, c)
	}
	page := func(cursor string) answer {
		t.Helper()
		p := "/v1/deals?limit=2"
		if cursor != "" {
			p += "&cursor=" + url.QueryEscape(cursor)
		}
		a := e.get(t, e.key, p)
		if a.status != 200 {
			t.Fatalf("%s: %d %v", p, a.status, a.body)
		}
		return a
	}
	first := page("")
	if got := companies(first); strings.Join(got, ",") != "A1,A2" {
		t.Fatalf("first page %v", got)
	}
	// Meanwhile A1 (read) and A4 (not yet) change.
	if _, err := e.db.DB().ExecContext(t.Context(), `UPDATE deals d SET updated_at = $2 FROM accounts a
		WHERE a.id = d.account_id AND d.workspace_id = $1 AND a.name IN ('A1', 'A4')`, e.team, now.Add(time30m)); err != nil {
		t.Fatal(err)
	}
	var seen []string
	seen = append(seen, companies(first)...)
	cursor, _ := first.body["next_cursor"].(string)
	for pages := 1; cursor != ""; pages++ {
		if pages > 5 {
			t.Fatal("pages do not end")
		}
		a := page(cursor)
		seen = append(seen, companies(a)...)
		cursor, _ = a.body["next_cursor"].(string)
		if _, ok := a.body["next_cursor"]; ok && cursor == "" {
			t.Error("an empty next_cursor instead of none")
		}
	}
	if got := strings.Join(seen, ","); got != "A1,A2,A3,A5,A1,A4" {
		t.Errorf("read %s; want A1,A2 then A3,A5 and the changed A1,A4 last", got)
	}
}

// Filters by stage, owner and updated_since; bad parameters are named.
func TestListDealsFilters(t *testing.T) {
	t.Parallel()
	e := setup(t)
	for _, c := range []string{"B1", "B2", "B3"} {
		e.lead(t, e.key, c)
	}
	if _, err := e.db.DB().ExecContext(t.Context(), `UPDATE deals SET stage = 'proposal', owner_id = 'U0ADMIN', updated_at = $2
		WHERE workspace_id = $1 AND number = 2`, e.team, now.Add(time30m)); err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string]string{
		"":                "B1,B3,B2",
		"?stage=proposal": "B2",
		"?stage=Lead":     "B1,B3",
		"?owner=U0REP2":   "B1,B3",
		"?updated_since=" + url.QueryEscape(now.Add(time30m).Format("2006-01-02T15:04:05Z07:00")): "B2",
	} {
		a := e.get(t, e.key, "/v1/deals"+q)
		if got := strings.Join(companies(a), ","); a.status != 200 || got != want {
			t.Errorf("%q: %d %s %v; want %s", q, a.status, got, a.body, want)
		}
	}
	for q, c := range map[string]struct {
		status int
		loc    string
	}{
		"?stage=won-ish":           {422, "query.stage"},
		"?owner=bob":               {422, "query.owner"},
		"?updated_since=yesterday": {422, "query.updated_since"},
		"?cursor=not-a-cursor":     {400, "query.cursor"},
		"?limit=0":                 {422, "query.limit"},
		"?limit=201":               {422, "query.limit"},
	} {
		a := e.get(t, e.key, "/v1/deals"+q)
		if a.status != c.status || !strings.Contains(fmt.Sprint(a.body["errors"]), c.loc) {
			t.Errorf("%q: %d %v; want %d naming %s", q, a.status, a.body, c.status, c.loc)
		}
	}
}

// A key of one workspace never sees another's deals, though both number
// theirs from D-1.
func TestDealsStayInTheKeysWorkspace(t *testing.T) {
	t.Parallel()
	e := setup(t)
	e.lead(t, e.key, "Ours Inc")
	other := pgtest.TeamID()
	ctx := t.Context()
	if _, err := e.db.EnsureWorkspace(ctx, e.db.DB(), other, pipeline.Settings{Currency: "EUR"}); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"U0ADMIN", "U0REP2"} {
		if _, err := e.db.EnsureUser(ctx, e.db.DB(), pipeline.User{WorkspaceID: other, ID: id, Role: pipeline.RoleAdmin}); err != nil {
			t.Fatal(err)
		}
	}
	admin, _, err := e.svc.Actor(ctx, other, "U0ADMIN")
	if err != nil {
		t.Fatal(err)
	}
	k, err := e.svc.NewAPIKey(ctx, sales.NewAPIKey{Team: other, Actor: admin, Label: "theirs", Kind: sales.KeySecret, IdempotencyKey: "theirs"})
	if err != nil {
		t.Fatal(err)
	}
	theirs := k.Raw
	if a := e.get(t, theirs, "/v1/deals/D-1"); a.status != 404 {
		t.Errorf("their key, our D-1: %d %v", a.status, a.body)
	}
	if a := e.get(t, theirs, "/v1/deals"); a.status != 200 || len(companies(a)) != 0 {
		t.Errorf("their key lists %d %v", a.status, a.body)
	}
	e.lead(t, theirs, "Theirs GmbH")
	for key, want := range map[string]string{e.key: "Ours Inc", theirs: "Theirs GmbH"} {
		if a := e.get(t, key, "/v1/deals/D-1"); a.body["company"] != want {
			t.Errorf("D-1 shows %v; want %s", a.body["company"], want)
		}
		if a := e.get(t, key, "/v1/deals"); strings.Join(companies(a), ",") != want {
			t.Errorf("list shows %v; want %s", companies(a), want)
		}
	}
}
