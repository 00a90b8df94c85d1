package webhooks_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"

	"salesbot/internal/pgtest"
	"salesbot/notices"
	"salesbot/outbox"
	"salesbot/pipeline"
	"salesbot/sales"
	"salesbot/sales/salesdb"
	"salesbot/store"
	"salesbot/webhooks"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// now is the use cases' and the signatures' clock in these tests.
var now = time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC)

// waitTimeout bounds every wait; deliveries normally arrive well within a
// second (the queue polls every 50 ms here).
const waitTimeout = 30 * time.Second

// env is one workspace with an admin, its use cases publishing to the
// webhooks on a River client of its own, working the workspace's queue.
type env struct {
	t     testing.TB
	db    *sqlx.DB
	team  string
	svc   *salesdb.Service
	hooks *webhooks.Hooks
	mu    sync.Mutex
	at    time.Time
}

type envOpts struct {
	allowPrivate bool
	retryBase    time.Duration
}

func setup(t testing.TB, o envOpts) *env {
	t.Helper()
	db := pgtest.New(t)
	e := &env{t: t, db: db, team: pgtest.TeamID(), at: now}
	st := store.New(db)
	ctx := t.Context()
	if _, err := st.EnsureWorkspace(ctx, st.DB(), e.team, pipeline.Settings{Currency: "USD"}); err != nil {
		t.Fatal(err)
	}
	for id, role := range map[string]string{"U0ADMIN": pipeline.RoleAdmin, "U0REP1": pipeline.RoleRep} {
		if _, err := st.EnsureUser(ctx, st.DB(), pipeline.User{WorkspaceID: e.team, ID: id, Role: role}); err != nil {
			t.Fatal(err)
		}
	}
	workers := river.NewWorkers()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	client, err := river.NewClient(riverdatabasesql.New(db.DB), &river.Config{
		Logger: log, PollOnly: true, FetchPollInterval: 50 * time.Millisecond, FetchCooldown: 10 * time.Millisecond,
		Queues: webhooks.Queues([]string{e.team}), Workers: workers,
	})
	if err != nil {
		t.Fatal(err)
	}
	hooks, err := webhooks.New(webhooks.Config{Client: client, AllowPrivate: o.allowPrivate, Now: e.now, Log: log,
		RetryBase: o.retryBase})
	if err != nil {
		t.Fatal(err)
	}
	// Notices are queued on an outbox that is never started: the tests
	// look at the jobs it holds.
	ob, err := outbox.New(outbox.Config{DB: db.DB})
	if err != nil {
		t.Fatal(err)
	}
	e.hooks = hooks
	e.svc = salesdb.New(salesdb.Deps{Store: st, Outbox: salesdb.OutboxOf(ob, notices.Message), Events: hooks,
		Webhooks: hooks, Now: e.now, Defaults: pipeline.Settings{Currency: "USD"}})
	if err := hooks.Register(workers, e.svc); err != nil {
		t.Fatal(err)
	}
	if err := client.Start(context.WithoutCancel(ctx)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := client.StopAndCancel(sctx); err != nil {
			t.Errorf("stop the queue: %v", err)
		}
	})
	return e
}

func (e *env) now() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.at
}

func (e *env) set(at time.Time) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.at = at
}

func (e *env) user(id string) pipeline.User {
	return pipeline.User{WorkspaceID: e.team, ID: id, Role: map[string]string{"U0ADMIN": pipeline.RoleAdmin}[id]}
}

// add adds a webhook to url as the admin and returns it with its secret.
func (e *env) add(url string, events ...string) sales.WebhookAdded {
	e.t.Helper()
	a, err := e.svc.AddWebhook(e.t.Context(), sales.AddWebhook{Team: e.team, Actor: e.user("U0ADMIN"), URL: url, Events: events})
	if err != nil {
		e.t.Fatal(err)
	}
	return a
}

// lead creates a lead that U0REP1 owns, worth $12,500.
func (e *env) lead(company string) pipeline.Deal {
	e.t.Helper()
	res, err := e.svc.CreateLead(e.t.Context(), pipeline.NewLead{WorkspaceID: e.team, Company: company,
		ContactName: "Jane Doe", ContactEmail: "jane@acme.example", Value: pipeline.Money{Minor: 1_250_000, Currency: "USD"},
		Source: "referral", OwnerID: "U0REP1", CreatedBy: "U0REP1", IdempotencyKey: "lead:" + company})
	if err != nil {
		e.t.Fatal(err)
	}
	return res.Deal
}

// webhook is the stored endpoint id.
func (e *env) webhook(id int64) pipeline.Webhook {
	e.t.Helper()
	list, err := e.svc.ListWebhooks(e.t.Context(), sales.ListWebhooks{Team: e.team, Actor: e.user("U0ADMIN")})
	if err != nil {
		e.t.Fatal(err)
	}
	for _, w := range list {
		if w.ID == id {
			return w
		}
	}
	e.t.Fatalf("no webhook %d", id)
	return pipeline.Webhook{}
}

// until waits for cond, checked every 20 ms.
func (e *env) until(what string, cond func() bool) {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	for !cond() {
		select {
		case <-ctx.Done():
			e.t.Fatalf("timed out waiting for %s", what)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

func (e *env) count(query string, args ...any) int {
	e.t.Helper()
	var n int
	if err := e.db.GetContext(context.Background(), &n, query, args...); err != nil {
		e.t.Fatalf("%s: %v", query, err)
	}
	return n
}

// request is one request a receiver got.
type request struct {
	Header http.Header
	Body   []byte
}

// receiver is an endpoint on 127.0.0.1 that answers with the statuses
// given in turn (the last one from then on) and keeps what it got.
type receiver struct {
	*httptest.Server
	mu       sync.Mutex
	got      []request
	statuses []int
	location string // for a 3xx
}

func newReceiver(t *testing.T, statuses ...int) *receiver {
	r := &receiver{statuses: statuses}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.got = append(r.got, request{Header: req.Header.Clone(), Body: body})
		status := r.statuses[min(len(r.got), len(r.statuses))-1]
		r.mu.Unlock()
		if r.location != "" {
			w.Header().Set("Location", r.location)
		}
		w.WriteHeader(status)
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *receiver) requests() []request {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]request(nil), r.got...)
}

func salesAdd(e *env, url string) sales.AddWebhook {
	return sales.AddWebhook{Team: e.team, Actor: e.user("U0ADMIN"), URL: url}
}
