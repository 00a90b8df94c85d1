package salesdb_test

import (
	"errors"
	"testing"
	"time"

	"salesbot/pipeline"
	"salesbot/sales"
)

func (e env) openFollowUps(t *testing.T, dealID int64, kind string) int {
	return e.count(t, `SELECT count(*) FROM follow_ups WHERE deal_id = $1 AND kind = $2 AND done_at IS NULL`, dealID, kind)
}

// Winning a deal finishes its open follow-ups in the same transaction and
// says which; its post-sale check-ins stay open. Keep reopens them once.
func TestClosingADealFinishesItsFollowUps(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	d := e.repDeal(t)
	rep := e.user(t, "U0REP1")
	for i, key := range []string{"f1", "f2"} {
		if _, err := e.svc.ScheduleFollowUp(t.Context(), e.followUp(d.Number, rep, now.Add(time.Duration(i+1)*24*time.Hour), "call", key)); err != nil {
			t.Fatal(err)
		}
	}
	res, err := e.svc.MoveDeal(t.Context(), e.move(d.Number, rep, pipeline.StageWon, "won"))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.ClosedFollowUps.IDs) != 2 || res.ClosedFollowUps.At.IsZero() {
		t.Errorf("closed follow-ups = %+v, want 2 and when", res.ClosedFollowUps)
	}
	if n := e.openFollowUps(t, d.ID, "followup"); n != 0 {
		t.Errorf("open follow-ups after the win = %d, want 0", n)
	}
	if n := e.openFollowUps(t, d.ID, "checkin"); n != 3 {
		t.Errorf("open check-ins after the win = %d, want 3 (7, 30, 90 days)", n)
	}
	if n := e.count(t, `SELECT count(*) FROM deal_history WHERE deal_id = $1 AND action = 'followup' AND field = 'closed' AND actor_id = 'U0REP1'`, d.ID); n != 2 {
		t.Errorf("history of closed follow-ups = %d, want 2", n)
	}

	keep := sales.KeepFollowUps{Team: e.team, Actor: e.user(t, "U0REP2"), Number: d.Number, Closed: res.ClosedFollowUps, IdempotencyKey: "k0"}
	if _, err := e.svc.KeepFollowUps(t.Context(), keep); !errors.Is(err, pipeline.ErrForbidden) {
		t.Errorf("another rep keeps them: err = %v, want ErrForbidden", err)
	}
	keep.Actor, keep.IdempotencyKey = rep, "k1"
	kept, err := e.svc.KeepFollowUps(t.Context(), keep)
	if err != nil || kept.Kept != 2 {
		t.Fatalf("keep: %+v, %v; want 2 kept", kept, err)
	}
	if n := e.openFollowUps(t, d.ID, "followup"); n != 2 {
		t.Errorf("open follow-ups after keep = %d, want 2", n)
	}
	if _, err := e.svc.KeepFollowUps(t.Context(), keep); !errors.Is(err, sales.ErrDuplicate) {
		t.Errorf("the same click again: err = %v, want ErrDuplicate", err)
	}
	keep.IdempotencyKey = "k2"
	if again, err := e.svc.KeepFollowUps(t.Context(), keep); err != nil || again.Kept != 0 {
		t.Errorf("a second click: %+v, %v; want nothing kept", again, err)
	}
	if n := e.openFollowUps(t, d.ID, "followup"); n != 2 {
		t.Errorf("open follow-ups after a second keep = %d, want 2", n)
	}
}

// Losing a deal (and disqualifying, which moves through the same path)
// finishes its follow-ups too.
func TestLosingADealFinishesItsFollowUps(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	d := e.repDeal(t)
	rep := e.user(t, "U0REP1")
	if _, err := e.svc.ScheduleFollowUp(t.Context(), e.followUp(d.Number, rep, now.Add(24*time.Hour), "", "f1")); err != nil {
		t.Fatal(err)
	}
	in := e.move(d.Number, rep, pipeline.StageLost, "lost")
	in.Move.Reason = "no budget"
	res, err := e.svc.MoveDeal(t.Context(), in)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.ClosedFollowUps.IDs) != 1 || e.openFollowUps(t, d.ID, "followup") != 0 {
		t.Errorf("closed %v, open %d; want 1 closed, none open", res.ClosedFollowUps.IDs, e.openFollowUps(t, d.ID, "followup"))
	}
}

// A follow-up on a closed deal needs the person's yes.
func TestFollowUpOnClosedDealAsksFirst(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	d := e.repDeal(t)
	rep := e.user(t, "U0REP1")
	if _, err := e.svc.MoveDeal(t.Context(), e.move(d.Number, rep, pipeline.StageWon, "won")); err != nil {
		t.Fatal(err)
	}
	in := e.followUp(d.Number, rep, now.Add(24*time.Hour), "renewal", "f1")
	_, err := e.svc.ScheduleFollowUp(t.Context(), in)
	var closed sales.ErrDealClosed
	if !errors.As(err, &closed) || closed.Number != d.Number || closed.Stage != "Closed-won" {
		t.Fatalf("on a won deal: err = %v, want ErrDealClosed naming Closed-won", err)
	}
	if n := e.openFollowUps(t, d.ID, "followup"); n != 0 {
		t.Errorf("follow-ups stored before the yes = %d, want 0", n)
	}
	in.OnClosedDeal = true // same key: the refusal claimed nothing
	if _, err := e.svc.ScheduleFollowUp(t.Context(), in); err != nil {
		t.Fatalf("with the yes: %v", err)
	}
	if n := e.openFollowUps(t, d.ID, "followup"); n != 1 {
		t.Errorf("follow-ups after the yes = %d, want 1", n)
	}
}

// A win with no celebration channel tells the winner and the admins how to
// set one, once per workspace.
func TestWinWithoutCelebrationChannelHintsOnce(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	rep := e.user(t, "U0REP1")
	for _, key := range []string{"won1", "won2"} {
		in := lead(e.team, "U0REP1", "view:"+key)
		in.OwnerID = "U0REP1"
		created, err := e.svc.CreateLead(t.Context(), in)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.MoveDeal(t.Context(), e.move(created.Deal.Number, rep, pipeline.StageWon, key)); err != nil {
			t.Fatal(err)
		}
	}
	for _, who := range []string{"U0REP1", "U0ADMIN"} {
		if n := e.offers(t, who, "celebration_hint"); n != 1 {
			t.Errorf("hints to %s = %d, want 1", who, n)
		}
	}
	if n := e.offers(t, "U0REP2", "celebration_hint"); n != 0 {
		t.Errorf("hints to a rep who won nothing = %d, want 0", n)
	}
}

// With a celebration channel set, nobody gets the hint.
func TestWinWithCelebrationChannelNoHint(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	e.withChannels(t)
	d := e.repDeal(t)
	if _, err := e.svc.MoveDeal(t.Context(), e.move(d.Number, e.user(t, "U0REP1"), pipeline.StageWon, "won")); err != nil {
		t.Fatal(err)
	}
	if n := e.offers(t, "U0REP1", "celebration_hint") + e.offers(t, "U0ADMIN", "celebration_hint"); n != 0 {
		t.Errorf("hints = %d, want 0", n)
	}
}
