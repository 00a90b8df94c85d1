package salesdb_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"salesbot/pipeline"
	"salesbot/sales"
	"salesbot/sales/salesdb"
)

// A room asked for by an admin invites the admin; someone added while it
// is opening is invited when it opens (an invitation queued then); a deal
// won while its room was opening gets its summary there once it opens,
// under the close's key, once.
func TestRoomOpenedCatchesUpWithTheOpening(t *testing.T) {
	e := setup(t, directory{})
	ctx := t.Context()
	rec, jobs := &recorder{}, &roomJobs{}
	svc := e.roomService(rec, jobs)
	d := e.dealFor(t, "Wayne", "wayne")
	if _, err := svc.OpenRoom(ctx, sales.OpenRoom{Team: e.team, Actor: e.user(t, "U0ADMIN"), Number: d.Number, IdempotencyKey: "open"}); err != nil {
		t.Fatal(err)
	}
	work, ok, err := svc.RoomWork(ctx, e.team, d.ID)
	if err != nil || !ok {
		t.Fatal(ok, err)
	}
	if !slices.Contains(work.Invite, "U0ADMIN") || !slices.Contains(work.Invite, "U0REP1") {
		t.Errorf("invited %v, want the owner and the admin who asked", work.Invite)
	}
	// After the job read its list: one added, one refused by Slack.
	for _, u := range []string{"U0REP2", "U0REP3"} {
		if _, err := svc.AddRoomMember(ctx, sales.AddRoomMember{Team: e.team, Actor: e.user(t, "U0REP1"), Number: d.Number,
			User: u, IdempotencyKey: "add-" + u}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := svc.MoveDeal(ctx, sales.MoveDeal{Team: e.team, Actor: e.user(t, "U0REP1"), Number: d.Number,
		Move: pipeline.Move{To: pipeline.StageWon}, IdempotencyKey: "won"}); err != nil {
		t.Fatal(err)
	}
	if len(jobs.invites) != 0 {
		t.Fatalf("invitations queued while opening: %v", jobs.invites)
	}
	if err := svc.RoomChannelMade(ctx, e.team, d.ID, "C0WAYNE", "deal-wayne"); err != nil {
		t.Fatal(err)
	}
	refused := []sales.RoomRefusal{{Op: "invite", Code: "cant_invite", User: "U0REP3"}}
	for range 2 { // a retried opening changes nothing
		if err := svc.RoomOpened(ctx, e.team, d.ID, refused); err != nil {
			t.Fatal(err)
		}
	}
	if !slices.Equal(jobs.invites, []string{"U0REP2"}) {
		t.Errorf("invitations queued at the opening: %v, want U0REP2's", jobs.invites)
	}
	var closed []sales.RoomClosed
	for _, n := range rec.all() {
		if c, ok := n.(sales.RoomClosed); ok {
			closed = append(closed, c)
		}
	}
	if len(closed) != 1 {
		t.Fatalf("%d summaries queued, want 1", len(closed))
	}
	c := closed[0]
	if c.Room.ChannelID != "C0WAYNE" || c.Deal.Stage != pipeline.StageWon || c.By != "U0REP1" || c.Entry == 0 || len(c.Brief.Steps) == 0 {
		t.Errorf("the summary: %+v", c)
	}
}

// A room still opening longer than its job can live (the job discarded or
// cancelled) is asked for again by the next request, by the service's
// clock: a new request time and a new job; before that, or right after,
// the request answers that it is being opened.
func TestLostOpeningIsAskedAgain(t *testing.T) {
	e := setup(t, directory{})
	ctx := t.Context()
	rec, jobs := &recorder{}, &roomJobs{}
	at := now
	svc := salesdb.New(salesdb.Deps{Store: e.st, Outbox: rec, Directory: directory{}, Now: func() time.Time { return at },
		Defaults: pipeline.Settings{Currency: "USD"}, Rooms: jobs})
	d := e.dealFor(t, "Stark", "stark")
	ask := func(by, key string) sales.RoomAsked {
		t.Helper()
		res, err := svc.OpenRoom(ctx, sales.OpenRoom{Team: e.team, Actor: e.user(t, by), Number: d.Number, IdempotencyKey: key})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	ask("U0REP1", "k1")
	at = now.Add(jobs.OpenLifetime())
	if res := ask("U0REP1", "k2"); !res.Existed || res.Room.State != pipeline.RoomOpening || len(jobs.opens) != 1 {
		t.Errorf("within the job's lifetime: %+v, %d jobs", res, len(jobs.opens))
	}
	at = now.Add(jobs.OpenLifetime() + time.Minute)
	if res := ask("U0ADMIN", "k3"); res.Existed || len(jobs.opens) != 2 {
		t.Fatalf("after the job's lifetime: %+v, %d jobs", res, len(jobs.opens))
	}
	if j := jobs.opens[1]; !j.RequestedAt.Equal(at) || j.RequestedBy != "U0ADMIN" {
		t.Errorf("the new job: %+v", j)
	}
	if n := e.count(t, `SELECT count(*) FROM deal_rooms WHERE workspace_id = $1 AND deal_id = $2 AND state = 'opening'
		AND requested_at = $3 AND requested_by = 'U0ADMIN'`, e.team, d.ID, at); n != 1 {
		t.Error("the room's row was not asked for again")
	}
	if res := ask("U0REP1", "k4"); !res.Existed || len(jobs.opens) != 2 {
		t.Errorf("right after asking again: %+v, %d jobs", res, len(jobs.opens))
	}
}

// Saving room settings refuses an auto-open stage the workspace does not
// have, and saves nothing; one of its stages saves.
func TestRoomSettingsStageMustBeTheWorkspaces(t *testing.T) {
	e := setup(t, directory{})
	ctx := t.Context()
	st, err := e.st.Settings(ctx, e.st.DB(), e.team)
	if err != nil {
		t.Fatal(err)
	}
	save := func(stage pipeline.Stage, key string) error {
		return e.svc.SaveSettings(ctx, sales.SaveSettings{Team: e.team, Actor: e.user(t, "U0ADMIN"), Settings: st,
			Rooms: &pipeline.RoomSettings{AutoMinor: 100, AutoStage: stage, ArchiveDays: 7}, IdempotencyKey: key})
	}
	var verr *salesdb.ValidationError
	if err := save("demo_call", "k1"); !errors.As(err, &verr) || verr.Field != "room_auto_stage" {
		t.Errorf("an unknown stage: %v", err)
	}
	rs, err := e.svc.RoomSettings(ctx, e.team)
	if err != nil || rs.AutoStage != "" {
		t.Errorf("after the refusal the settings are %+v, %v", rs, err)
	}
	if err := save(pipeline.StageProposal, "k2"); err != nil {
		t.Fatal(err)
	}
	if rs, err := e.svc.RoomSettings(ctx, e.team); err != nil || rs.AutoStage != pipeline.StageProposal {
		t.Errorf("a stage of the workspace: %+v, %v", rs, err)
	}
}
