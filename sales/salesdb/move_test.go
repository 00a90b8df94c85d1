package salesdb_test

import (
	"errors"
	"testing"

	"salesbot/notices"
	"salesbot/pipeline"
	"salesbot/sales"
	"salesbot/sales/salesdb"
)

// repDeal creates a lead that U0REP1 owns (and created, so nothing is
// offered), worth $12,500.
func (e env) repDeal(t *testing.T) pipeline.Deal {
	t.Helper()
	in := lead(e.team, "U0REP1", "view:lead")
	in.OwnerID = "U0REP1"
	res, err := e.svc.CreateLead(t.Context(), in)
	if err != nil {
		t.Fatal(err)
	}
	return res.Deal
}

func (e env) user(t *testing.T, id string) pipeline.User {
	t.Helper()
	u, err := e.st.User(t.Context(), e.st.DB(), e.team, id)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// withChannels sets the workspace's celebration and alerts channels, and a
// big-deal threshold of $10,000.
func (e env) withChannels(t *testing.T) {
	t.Helper()
	st, err := e.st.Settings(t.Context(), e.st.DB(), e.team)
	if err != nil {
		t.Fatal(err)
	}
	st.CelebrationChannel, st.AlertsChannel, st.BigDealMinor = "C0WINS", "C0ALERTS", 1_000_000
	if err := e.st.SaveSettings(t.Context(), e.st.DB(), st); err != nil {
		t.Fatal(err)
	}
}

func (e env) stageOf(t *testing.T, n int64) pipeline.Stage {
	t.Helper()
	d, err := e.st.DealByNumber(t.Context(), e.st.DB(), e.team, n)
	if err != nil {
		t.Fatal(err)
	}
	return d.Stage
}

// posts counts the messages of kind queued to channel.
func (e env) posts(t *testing.T, channel, kind string) int {
	return e.offers(t, channel, kind)
}

func (e env) move(n int64, actor pipeline.User, to pipeline.Stage, key string) sales.MoveDeal {
	return sales.MoveDeal{Team: e.team, Actor: actor, Number: n, Move: pipeline.Move{To: to}, IdempotencyKey: key}
}

func TestMoveDealByOwnerRecordsHistory(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	d := e.repDeal(t)

	res, err := e.svc.MoveDeal(t.Context(), e.move(d.Number, e.user(t, "U0REP1"), pipeline.StageQualified, "slash:move:1"))
	if err != nil {
		t.Fatal(err)
	}
	if res.Before.Stage != pipeline.StageLead || res.After.Stage != pipeline.StageQualified ||
		res.Change.From != pipeline.StageLead || res.Change.To != pipeline.StageQualified {
		t.Errorf("before %s, after %s, change %s→%s; want lead → qualified", res.Before.Stage, res.After.Stage, res.Change.From, res.Change.To)
	}
	if s := e.stageOf(t, d.Number); s != pipeline.StageQualified {
		t.Errorf("stored stage %s, want qualified", s)
	}
	if n := e.count(t, `SELECT count(*) FROM deal_history WHERE deal_id = $1 AND action = 'stage' AND field = 'stage'
		AND old_value = 'lead' AND new_value = 'qualified' AND actor_id = 'U0REP1'`, d.ID); n != 1 {
		t.Errorf("stage history entries by U0REP1 = %d, want 1", n)
	}
	// The change is stamped by the use cases' clock, not the database's:
	// the API's updated_since and its pages read this.
	if n := e.count(t, `SELECT count(*) FROM deals WHERE id = $1 AND updated_at = $2`, d.ID, now); n != 1 {
		t.Errorf("the moved deal's updated_at is not the clock's %s", now)
	}
}

func TestMoveDealOfAnothersDealIsForbidden(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	d := e.repDeal(t)

	_, err := e.svc.MoveDeal(t.Context(), e.move(d.Number, e.user(t, "U0REP2"), pipeline.StageQualified, "slash:move:1"))
	var f sales.ErrForbidden
	if !errors.As(err, &f) || f.Owner != "U0REP1" {
		t.Fatalf("err = %v, want ErrForbidden naming U0REP1", err)
	}
	if !errors.Is(err, pipeline.ErrForbidden) {
		t.Errorf("err = %v, want it to wrap pipeline.ErrForbidden", err)
	}
	if s := e.stageOf(t, d.Number); s != pipeline.StageLead {
		t.Errorf("stored stage %s, want still lead", s)
	}
	// A refusal keeps nothing, its key included: a redelivery of the same
	// request is refused again (and told so), not dropped as done.
	_, err = e.svc.MoveDeal(t.Context(), e.move(d.Number, e.user(t, "U0REP2"), pipeline.StageQualified, "slash:move:1"))
	if !errors.As(err, &f) {
		t.Errorf("redelivery: err = %v, want ErrForbidden again", err)
	}
}

func TestMoveDealUnknownIsNotFound(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})

	_, err := e.svc.MoveDeal(t.Context(), e.move(999, e.user(t, "U0ADMIN"), pipeline.StageQualified, "slash:move:1"))
	var nf sales.ErrNotFound
	if !errors.As(err, &nf) || nf.Number != 999 {
		t.Fatalf("err = %v, want ErrNotFound for 999", err)
	}
}

// A win queues one announcement and, the deal being big, one alert, in the
// transaction of the win; the same request again changes nothing.
func TestMoveDealWonAnnouncesOnce(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	e.withChannels(t)
	d := e.repDeal(t)
	won := e.move(d.Number, e.user(t, "U0REP1"), pipeline.StageWon, "view:V9")

	res, err := e.svc.MoveDeal(t.Context(), won)
	if err != nil {
		t.Fatal(err)
	}
	if res.After.Stage != pipeline.StageWon || res.After.ClosedAt == nil {
		t.Errorf("after: stage %s, closed %v; want won and closed", res.After.Stage, res.After.ClosedAt)
	}
	if n := e.posts(t, "C0WINS", "won_announcement"); n != 1 {
		t.Errorf("announcements = %d, want 1", n)
	}
	if n := e.posts(t, "C0ALERTS", "big_deal_alert"); n != 1 {
		t.Errorf("big-deal alerts = %d, want 1", n)
	}
	if n := e.count(t, `SELECT count(*) FROM follow_ups WHERE deal_id = $1 AND kind = 'checkin'`, d.ID); n == 0 {
		t.Errorf("no check-ins scheduled for the win")
	}

	_, err = e.svc.MoveDeal(t.Context(), won)
	if !errors.Is(err, sales.ErrDuplicate) {
		t.Errorf("same key again: err = %v, want ErrDuplicate", err)
	}
	if n := e.posts(t, "C0WINS", "won_announcement"); n != 1 {
		t.Errorf("announcements after the repeat = %d, want still 1", n)
	}
	if n := e.count(t, `SELECT count(*) FROM deal_history WHERE deal_id = $1 AND field = 'stage'`, d.ID); n != 1 {
		t.Errorf("stage history entries = %d, want 1", n)
	}
}

// An announcement that cannot be queued undoes the win.
func TestMoveDealWonAnnouncementCommitsWithTheWin(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	e.withChannels(t)
	d := e.repDeal(t)
	svc := e.service(failingAfter{salesdb.OutboxOf(e.ob, notices.Message)}, directory{})

	_, err := svc.MoveDeal(t.Context(), e.move(d.Number, e.user(t, "U0REP1"), pipeline.StageWon, "view:V9"))
	if !errors.Is(err, errRefused) {
		t.Fatalf("err = %v, want the outbox's refusal", err)
	}
	if s := e.stageOf(t, d.Number); s != pipeline.StageLead {
		t.Errorf("stored stage %s, want still lead", s)
	}
	if n := e.count(t, `SELECT count(*) FROM river_job WHERE args->>'team_id' = $1`, e.team); n != 0 {
		t.Errorf("queued jobs = %d, want 0 after the rollback", n)
	}
	if n := e.count(t, `SELECT count(*) FROM follow_ups WHERE deal_id = $1`, d.ID); n != 0 {
		t.Errorf("follow-ups = %d, want 0 after the rollback", n)
	}
}

func TestMoveDealRejectsBadInputByField(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	admin := e.user(t, "U0ADMIN")
	for _, c := range []struct {
		field string
		mod   func(*sales.MoveDeal)
	}{
		{"team", func(m *sales.MoveDeal) { m.Team = "" }},
		{"actor", func(m *sales.MoveDeal) { m.Actor.ID = "" }},
		{"deal", func(m *sales.MoveDeal) { m.Number = 0 }},
		{"stage", func(m *sales.MoveDeal) { m.Move.To = "" }},
	} {
		in := e.move(1, admin, pipeline.StageQualified, "k:"+c.field)
		c.mod(&in)
		_, err := e.svc.MoveDeal(t.Context(), in)
		var v *sales.ValidationError
		if !errors.As(err, &v) || v.Field != c.field {
			t.Errorf("%s: err = %v, want a validation error on %s", c.field, err, c.field)
		}
	}
}
