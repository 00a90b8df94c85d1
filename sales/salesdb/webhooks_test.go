package salesdb_test

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"salesbot/notices"
	"salesbot/pipeline"
	"salesbot/sales"
	"salesbot/sales/salesdb"
)

// events records what the use cases publish, as the webhooks would get it.
type events struct {
	mu  sync.Mutex
	got []sales.Event
}

func (r *events) Publish(_ context.Context, tx *sql.Tx, e sales.Event) error {
	if tx == nil {
		return errors.New("published outside the change's transaction")
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, e)
	return nil
}

func (r *events) types() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, e := range r.got {
		out = append(out, e.Type)
	}
	return out
}

// hooked is e's service publishing to rec, on a clock the test moves.
func (e env) hooked(rec *events, at *time.Time) *salesdb.Service {
	return salesdb.New(salesdb.Deps{Store: e.st, Outbox: salesdb.OutboxOf(e.ob, notices.Message), Events: rec,
		Now: func() time.Time { return *at }, Defaults: pipeline.Settings{Currency: "USD"}})
}

// Only admins manage webhooks; a bad URL or an unknown event is named; the
// secret is shown once and never listed.
func TestWebhookAddRefusals(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	ctx := t.Context()
	admin := e.user(t, "U0ADMIN")
	_, err := e.svc.AddWebhook(ctx, sales.AddWebhook{Team: e.team, Actor: e.user(t, "U0REP1"), URL: "https://example.com/h"})
	if !errors.Is(err, pipeline.ErrForbidden) || !strings.Contains(err.Error(), "only an admin can manage webhooks") {
		t.Errorf("a rep adds a webhook: %v", err)
	}
	for url, want := range map[string]string{
		"http://example.com/h": "is not an https:// URL",
		"":                     "Say where to send the events",
		"example.com":          "is not an https:// URL",
	} {
		_, err := e.svc.AddWebhook(ctx, sales.AddWebhook{Team: e.team, Actor: admin, URL: url})
		var invalid *sales.ValidationError
		if !errors.As(err, &invalid) || !strings.Contains(invalid.Msg, want) {
			t.Errorf("URL %q: err %v, want %q", url, err, want)
		}
	}
	_, err = e.svc.AddWebhook(ctx, sales.AddWebhook{Team: e.team, Actor: admin, URL: "https://example.com/h",
		Events: []string{"deal.won", "deal.exploded"}})
	if err == nil || !strings.Contains(err.Error(), `"deal.exploded" is not an event`) {
		t.Errorf("an unknown event: %v", err)
	}

	in := sales.AddWebhook{Team: e.team, Actor: admin, URL: "https://example.com/h", Events: []string{"DEAL.WON", "lead.created"},
		IdempotencyKey: "slash:webhook:1"}
	added, err := e.svc.AddWebhook(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(added.Secret, "whsec_") || len(added.Secret) < 40 || strings.Contains(added.String(), added.Secret) {
		t.Errorf("secret %q (printed %q)", added.Secret, added.String())
	}
	if !slices.Equal(added.Webhook.Events, []string{"lead.created", "deal.won"}) || added.Webhook.State != "active" {
		t.Errorf("added %+v", added.Webhook)
	}
	if _, err := e.svc.AddWebhook(ctx, in); !errors.Is(err, sales.ErrDuplicate) {
		t.Errorf("the same request again: %v", err)
	}
	if n := e.count(t, `SELECT count(*) FROM webhook_endpoints WHERE workspace_id = $1`, e.team); n != 1 {
		t.Errorf("%d endpoints stored, want 1", n)
	}
	list, err := e.svc.ListWebhooks(ctx, sales.ListWebhooks{Team: e.team, Actor: admin})
	if err != nil || len(list) != 1 || list[0].URL != "https://example.com/h" {
		t.Errorf("list %+v, %v", list, err)
	}
	if _, err := e.svc.ListWebhooks(ctx, sales.ListWebhooks{Team: e.team, Actor: e.user(t, "U0REP1")}); !errors.Is(err, pipeline.ErrForbidden) {
		t.Errorf("a rep lists webhooks: %v", err)
	}
	_, err = e.svc.RemoveWebhook(ctx, sales.WebhookRequest{Team: e.team, Actor: admin, ID: "999"})
	if !errors.As(err, new(sales.ErrNoSuchWebhook)) {
		t.Errorf("removing an unknown webhook: %v", err)
	}
}

// The use cases publish each change in its transaction, to the active
// endpoints subscribed to its event only: a lead, a stage change, an edit,
// a win (not also a stage change) with the stage before it.
func TestWebhookEventsFollowTheChanges(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	ctx := t.Context()
	at := now
	rec := &events{}
	svc := e.hooked(rec, &at)
	admin := e.user(t, "U0ADMIN")
	all, err := svc.AddWebhook(ctx, sales.AddWebhook{Team: e.team, Actor: admin, URL: "https://example.com/all"})
	if err != nil {
		t.Fatal(err)
	}
	won, err := svc.AddWebhook(ctx, sales.AddWebhook{Team: e.team, Actor: admin, URL: "https://example.com/won", Events: []string{"deal.won"}})
	if err != nil {
		t.Fatal(err)
	}
	in := lead(e.team, "U0REP1", "view:lead")
	in.OwnerID = "U0REP1"
	created, err := svc.CreateLead(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	rep := e.user(t, "U0REP1")
	n := created.Deal.Number
	if _, err := svc.MoveDeal(ctx, e.move(n, rep, pipeline.StageQualified, "m1")); err != nil {
		t.Fatal(err)
	}
	f := form(created.Deal)
	f.Title = "Acme renewal"
	if _, err := svc.EditDeal(ctx, e.edit(n, rep, f, "e1")); err != nil {
		t.Fatal(err)
	}
	at = now.Add(time.Hour)
	if _, err := svc.MoveDeal(ctx, e.move(n, rep, pipeline.StageWon, "m2")); err != nil {
		t.Fatal(err)
	}
	want := []string{"lead.created", "deal.stage_changed", "deal.updated", "deal.won"}
	if got := rec.types(); !slices.Equal(got, want) {
		t.Fatalf("events %v, want %v", got, want)
	}
	ids := map[string]bool{}
	for _, ev := range rec.got {
		ids[ev.ID] = true
		wantTo := []int64{all.Webhook.ID}
		if ev.Type == "deal.won" {
			wantTo = []int64{all.Webhook.ID, won.Webhook.ID}
		}
		if !slices.Equal(ev.Endpoints, wantTo) || ev.Team != e.team || ev.Deal.Number != n {
			t.Errorf("%s went to %v of %s for D-%d, want %v", ev.Type, ev.Endpoints, ev.Team, ev.Deal.Number, wantTo)
		}
	}
	if len(ids) != 4 {
		t.Errorf("event IDs %v: want four different", ids)
	}
	last := rec.got[3]
	if last.PreviousStage != pipeline.StageQualified || last.Deal.Stage != pipeline.StageWon || !last.OccurredAt.Equal(now.Add(time.Hour)) ||
		last.Deal.Title != "Acme renewal" {
		t.Errorf("the win: %+v", last)
	}
	// A refused change publishes nothing.
	if _, err := svc.MoveDeal(ctx, e.move(n, e.user(t, "U0REP2"), pipeline.StageLost, "m3")); err == nil {
		t.Fatal("another rep closed the deal")
	}
	if len(rec.types()) != 4 {
		t.Errorf("a refused move published: %v", rec.types())
	}
}

// An endpoint failing for three days since its first failure after its
// last success is disabled, once, and each admin is told; a success ends
// the streak.
func TestWebhookDisabledAfterThreeDaysOfFailures(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	ctx := t.Context()
	at := now
	svc := e.hooked(&events{}, &at)
	added, err := svc.AddWebhook(ctx, sales.AddWebhook{Team: e.team, Actor: e.user(t, "U0ADMIN"), URL: "https://example.com/h"})
	if err != nil {
		t.Fatal(err)
	}
	id := added.Webhook.ID
	fail := func(after time.Duration) bool {
		t.Helper()
		at = now.Add(after)
		disabled, err := svc.WebhookFailed(ctx, e.team, id, "answered 500 Internal Server Error")
		if err != nil {
			t.Fatal(err)
		}
		return disabled
	}
	told := func() int { return e.offers(t, "U0ADMIN", "webhook_disabled") }

	fail(0)
	at = now.Add(48 * time.Hour)
	if err := svc.WebhookDelivered(ctx, e.team, id); err != nil {
		t.Fatal(err)
	}
	// The streak starts again at the first failure after that success.
	if fail(49*time.Hour) || fail(72*time.Hour) || fail(49*time.Hour+72*time.Hour-time.Second) {
		t.Fatal("disabled before three days of failing")
	}
	if told() != 0 {
		t.Fatal("admins told before the webhook was disabled")
	}
	if !fail(49*time.Hour + 72*time.Hour) {
		t.Fatal("not disabled after three days of failing")
	}
	if fail(50*time.Hour+72*time.Hour) || told() != 1 {
		t.Errorf("disabled again, or admins told %d times; want once", told())
	}
	list, err := svc.ListWebhooks(ctx, sales.ListWebhooks{Team: e.team, Actor: e.user(t, "U0ADMIN")})
	if err != nil {
		t.Fatal(err)
	}
	w := list[0]
	if w.State != "disabled" || w.DisabledAt == nil || !w.DisabledAt.Equal(now.Add(121*time.Hour)) ||
		!w.FailingSince.Equal(now.Add(49*time.Hour)) || w.LastError != "answered 500 Internal Server Error" {
		t.Errorf("disabled webhook %+v", w)
	}
	if e.count(t, `SELECT count(*) FROM river_job WHERE kind = 'outbox_message' AND args->>'kind' = 'webhook_disabled'
		AND args->>'text' LIKE '%https://example.com/h%'`) != 1 {
		t.Error("the notice does not name the webhook")
	}
}
