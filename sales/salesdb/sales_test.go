package salesdb_test

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"salesbot/internal/pgtest"
	"salesbot/notices"
	"salesbot/outbox"
	"salesbot/pipeline"
	"salesbot/sales"
	"salesbot/sales/salesdb"
	"salesbot/store"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// now is the use cases' clock in these tests.
var now = time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC)

// noPoster stands in for Slack in an outbox that is never started: these
// tests look at the jobs it queues, nothing is ever posted.
type noPoster struct{ outbox.Poster }

// directory answers from a list of deactivated accounts.
type directory map[string]bool

func (d directory) Active(_ context.Context, user string) (bool, error) { return !d[user], nil }

type env struct {
	db   *sqlx.DB
	st   *store.Store
	ob   *outbox.Outbox
	svc  *salesdb.Service
	team string
}

// setup gives each test its own workspace with an admin, U0ADMIN, and two
// reps, U0REP1 and U0REP2; a routing rule sends Software leads to U0REP2.
func setup(t *testing.T, dir sales.Directory) env {
	t.Helper()
	db := pgtest.New(t)
	e := env{db: db, st: store.New(db), team: pgtest.TeamID()}
	ob, err := outbox.New(outbox.Config{DB: db.DB, Poster: noPoster{}})
	if err != nil {
		t.Fatal(err)
	}
	e.ob = ob
	e.svc = e.service(salesdb.OutboxOf(ob, notices.Message), dir)
	ctx := t.Context()
	if _, err := e.st.EnsureWorkspace(ctx, e.st.DB(), e.team, pipeline.Settings{Currency: "USD"}); err != nil {
		t.Fatal(err)
	}
	for id, role := range map[string]string{"U0ADMIN": pipeline.RoleAdmin, "U0REP1": pipeline.RoleRep, "U0REP2": pipeline.RoleRep} {
		if _, err := e.st.EnsureUser(ctx, e.st.DB(), pipeline.User{WorkspaceID: e.team, ID: id, Role: role}); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.st.WithTx(ctx, func(tx *sqlx.Tx) error {
		return e.st.SaveRoutingRules(ctx, tx, e.team, []pipeline.RoutingRule{{Industry: "Software", To: "U0REP2"}})
	}); err != nil {
		t.Fatal(err)
	}
	return e
}

func (e env) service(ob salesdb.Outbox, dir sales.Directory) *salesdb.Service {
	return salesdb.New(salesdb.Deps{Store: e.st, Outbox: ob, Directory: dir, Now: func() time.Time { return now },
		Defaults: pipeline.Settings{Currency: "USD"}})
}

func (e env) count(t *testing.T, query string, args ...any) int {
	t.Helper()
	var n int
	if err := e.db.GetContext(context.Background(), &n, query, args...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

func (e env) deals(t *testing.T) int {
	return e.count(t, `SELECT count(*) FROM deals WHERE workspace_id = $1`, e.team)
}

// offers counts the DMs queued for user of kind ("lead_routed", "handoff_offer").
func (e env) offers(t *testing.T, user, kind string) int {
	return e.count(t, `SELECT count(*) FROM river_job WHERE kind = 'outbox_message'
		AND args->>'team_id' = $1 AND args->>'channel' = $2 AND args->>'kind' = $3`, e.team, user, kind)
}

func lead(team, by, key string) pipeline.NewLead {
	return pipeline.NewLead{WorkspaceID: team, Company: "Acme Corp", ContactEmail: "jane@acme.example",
		Industry: "Software", Value: pipeline.Money{Minor: 1_250_000, Currency: "USD"}, CreatedBy: by, IdempotencyKey: key}
}

// A lead without an owner goes to the rep the routing rule names, with the
// offer queued; the same request again changes nothing.
func TestCreateLeadRoutesOnceAndOffersIt(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	in := lead(e.team, "U0ADMIN", "view:V1")

	res, err := e.svc.CreateLead(t.Context(), in)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Created || res.Deal.OwnerID != "U0REP2" || res.RoutedTo != "U0REP2" || res.Reason == "" {
		t.Fatalf("created %v, owner %q, routed to %q (%q); want a new lead routed to U0REP2 with a reason",
			res.Created, res.Deal.OwnerID, res.RoutedTo, res.Reason)
	}
	if res.Deal.Score == 0 || len(res.Deal.ScoreReasons) == 0 {
		t.Errorf("score %d %v: want the new lead scored", res.Deal.Score, res.Deal.ScoreReasons)
	}
	if n := e.offers(t, "U0REP2", "lead_routed"); n != 1 {
		t.Errorf("offers queued to U0REP2 = %d, want 1", n)
	}

	again, err := e.svc.CreateLead(t.Context(), in)
	if err != nil {
		t.Fatal(err)
	}
	if again.Created || again.Deal.Number != res.Deal.Number {
		t.Errorf("second call: created %v, deal %s; want created=false and %s", again.Created, again.Deal.Ref(), res.Deal.Ref())
	}
	if n := e.deals(t); n != 1 {
		t.Errorf("deals = %d, want 1", n)
	}
	if n := e.offers(t, "U0REP2", "lead_routed"); n != 1 {
		t.Errorf("offers queued to U0REP2 after the repeat = %d, want still 1", n)
	}
}

// A rep the directory says is deactivated is skipped and marked so.
func TestCreateLeadSkipsDeactivatedRep(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{"U0REP2": true})

	res, err := e.svc.CreateLead(t.Context(), lead(e.team, "U0ADMIN", "view:V1"))
	if err != nil {
		t.Fatal(err)
	}
	if res.Deal.OwnerID != "U0REP1" || res.RoutedTo != "U0REP1" {
		t.Errorf("owner %q routed to %q, want U0REP1 (U0REP2 is deactivated)", res.Deal.OwnerID, res.RoutedTo)
	}
	if n := e.count(t, `SELECT count(*) FROM users WHERE workspace_id = $1 AND id = 'U0REP2' AND deactivated`, e.team); n != 1 {
		t.Errorf("U0REP2 not recorded as deactivated")
	}
}

// An owner chosen by the creator is offered the lead like a handover, and
// nothing is routed.
func TestCreateLeadWithOwnerOffersHandover(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	in := lead(e.team, "U0ADMIN", "view:V1")
	in.OwnerID = "U0REP1"

	res, err := e.svc.CreateLead(t.Context(), in)
	if err != nil {
		t.Fatal(err)
	}
	if res.Deal.OwnerID != "U0REP1" || res.RoutedTo != "" {
		t.Errorf("owner %q routed to %q, want U0REP1 and no routing", res.Deal.OwnerID, res.RoutedTo)
	}
	if n := e.offers(t, "U0REP1", "handoff_offer"); n != 1 {
		t.Errorf("handover offers to U0REP1 = %d, want 1", n)
	}
	if n := e.count(t, `SELECT count(*) FROM river_job WHERE args->>'team_id' = $1 AND args->>'kind' = 'lead_routed'`, e.team); n != 0 {
		t.Errorf("routed offers = %d, want 0", n)
	}
}

// failingAfter queues the notice on the real outbox, then fails: the
// transaction that queued it must leave nothing behind.
type failingAfter struct{ next salesdb.Outbox }

var errRefused = errors.New("refused after queueing")

func (f failingAfter) Enqueue(ctx context.Context, tx *sql.Tx, n sales.Notice) error {
	if err := f.next.Enqueue(ctx, tx, n); err != nil {
		return err
	}
	return errRefused
}

func TestCreateLeadOfferCommitsWithTheLead(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	svc := e.service(failingAfter{salesdb.OutboxOf(e.ob, notices.Message)}, directory{})

	_, err := svc.CreateLead(t.Context(), lead(e.team, "U0ADMIN", "view:V1"))
	if !errors.Is(err, errRefused) {
		t.Fatalf("err = %v, want the outbox's refusal", err)
	}
	if n := e.deals(t); n != 0 {
		t.Errorf("deals = %d, want 0 after the rollback", n)
	}
	if n := e.count(t, `SELECT count(*) FROM river_job WHERE args->>'team_id' = $1`, e.team); n != 0 {
		t.Errorf("queued jobs = %d, want 0 after the rollback", n)
	}
	// The key was released with the rest: the request can be made again.
	res, err := e.svc.CreateLead(t.Context(), lead(e.team, "U0ADMIN", "view:V1"))
	if err != nil || !res.Created {
		t.Fatalf("retry: created %v, err %v; want the lead created", res.Created, err)
	}
}

func TestCreateLeadRejectsBadInputByField(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	for _, c := range []struct {
		field string
		mod   func(*pipeline.NewLead)
	}{
		{"created_by", func(l *pipeline.NewLead) { l.CreatedBy = "" }},
		{"owner", func(l *pipeline.NewLead) { l.OwnerID = "<!channel>" }},
		{"company", func(l *pipeline.NewLead) { l.Company = "" }},
		{"workspace", func(l *pipeline.NewLead) { l.WorkspaceID = "" }},
	} {
		in := lead(e.team, "U0ADMIN", "view:"+c.field)
		c.mod(&in)
		_, err := e.svc.CreateLead(t.Context(), in)
		var v *sales.ValidationError
		if !errors.As(err, &v) || v.Field != c.field {
			t.Errorf("%s: err = %v, want a validation error on %s", c.field, err, c.field)
		}
	}
	if n := e.deals(t); n != 0 {
		t.Errorf("deals = %d, want 0", n)
	}
}

func TestImportLeadsRoutesAndIsIdempotent(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	csv := "company,contact email,industry,owner\nAcme,ann@acme.example,Software,\nBeta,bo@beta.example,Retail,U0REP1\nAcme,ann@acme.example,Software,\n"

	res, err := e.svc.ImportLeads(t.Context(), e.team, "U0ADMIN", strings.NewReader(csv))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Report.Created) != 2 || len(res.Report.Duplicates) != 1 {
		t.Fatalf("report: %s; want 2 created, 1 duplicate", res.Report.String())
	}
	if e.offers(t, "U0REP2", "lead_routed") != 1 || e.offers(t, "U0REP1", "handoff_offer") != 1 {
		t.Errorf("want Acme offered to U0REP2 (routed) and Beta to U0REP1 (named in the file)")
	}

	again, err := e.svc.ImportLeads(t.Context(), e.team, "U0ADMIN", strings.NewReader(csv))
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Report.Created) != 0 || len(again.Report.Duplicates) != 3 || e.deals(t) != 2 {
		t.Errorf("second import: %s, %d deals; want nothing created", again.Report.String(), e.deals(t))
	}

	_, err = e.svc.ImportLeads(t.Context(), e.team, "U0ADMIN", strings.NewReader("nothing,known\n1,2\n"))
	var v *sales.ValidationError
	if !errors.As(err, &v) || v.Field != "csv" {
		t.Errorf("bad header: err = %v, want a validation error on csv", err)
	}
}
