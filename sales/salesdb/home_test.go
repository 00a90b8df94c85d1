package salesdb_test

import (
	"testing"
	"time"

	"salesbot/sales"
)

// A rep's Home holds their open deals and the follow-ups due by the end of
// their own day; a manager's holds their team's totals too.
func TestHomeReadsTheLists(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	d := e.repDeal(t)
	rep := e.user(t, "U0REP1")
	for i, due := range []time.Time{now.Add(2 * time.Hour), now.Add(72 * time.Hour)} {
		if _, err := e.svc.ScheduleFollowUp(t.Context(), e.followUp(d.Number, rep, due, "call", "view:F"+string(rune('1'+i)))); err != nil {
			t.Fatal(err)
		}
	}

	h, err := e.svc.Home(t.Context(), sales.ReadHome{Actor: rep, Currency: "USD", Loc: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Open) != 1 || h.Open[0].Number != d.Number || !h.Now.Equal(now) || len(h.Stages) == 0 {
		t.Fatalf("open %v, now %v, %d stages; want %s, the service's now and the stages", h.Open, h.Now, len(h.Stages), d.Ref())
	}
	if len(h.Due) != 1 || h.Due[0].DealNumber != d.Number || h.Due[0].AccountName != "Acme Corp" || !h.Due[0].DueAt.Equal(now.Add(2*time.Hour)) {
		t.Errorf("due %+v; want only the follow-up due today, on Acme Corp", h.Due)
	}
	if len(h.Team) != 0 {
		t.Errorf("a rep's Home shows a team: %+v", h.Team)
	}

	// At 10:00 UTC it is 23:00 the day before eleven hours west: noon UTC
	// is tomorrow there, not due today.
	west, err := e.svc.Home(t.Context(), sales.ReadHome{Actor: rep, Currency: "USD", Loc: time.FixedZone("W", -11*60*60)})
	if err != nil {
		t.Fatal(err)
	}
	if len(west.Due) != 0 {
		t.Errorf("due west of UTC %+v; want none by the end of their day", west.Due)
	}

	admin := e.user(t, "U0ADMIN")
	if err := e.svc.SetTeam(t.Context(), sales.SetTeam{Team: e.team, Actor: admin, Manager: "U0ADMIN", Reps: []string{"U0REP1"}, IdempotencyKey: "view:T"}); err != nil {
		t.Fatal(err)
	}
	mh, err := e.svc.Home(t.Context(), sales.ReadHome{Actor: admin, Currency: "USD", Loc: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	want := sales.TeamMember{Open: 1, Amount: 1_250_000}
	if len(mh.Team) != 1 || mh.Team[0].User.ID != "U0REP1" || mh.Team[0].Open != want.Open || mh.Team[0].Amount != want.Amount || mh.Team[0].Stale != 0 {
		t.Errorf("team %+v; want U0REP1 with 1 open deal worth $12,500", mh.Team)
	}
}
