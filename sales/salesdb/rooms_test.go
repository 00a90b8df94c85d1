package salesdb_test

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"testing"
	"time"

	"salesbot/pipeline"
	"salesbot/sales"
	"salesbot/sales/salesdb"
)

// roomJobs records the room jobs queued; fail makes queueing fail, which
// must undo the request's transaction.
type roomJobs struct {
	mu      sync.Mutex
	opens   []pipeline.Room
	invites []string
	fail    bool
}

func (j *roomJobs) QueueOpen(_ context.Context, _ *sql.Tx, r pipeline.Room) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.fail {
		return errors.New("queue down")
	}
	j.opens = append(j.opens, r)
	return nil
}

func (j *roomJobs) QueueInvite(_ context.Context, _ *sql.Tx, _ pipeline.Room, user string) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.invites = append(j.invites, user)
	return nil
}

// OpenLifetime: two hours, as if the job lived that long.
func (j *roomJobs) OpenLifetime() time.Duration { return 2 * time.Hour }

func (e env) roomService(rec *recorder, jobs *roomJobs) *salesdb.Service {
	return salesdb.New(salesdb.Deps{Store: e.st, Outbox: rec, Directory: directory{}, Now: func() time.Time { return now },
		Defaults: pipeline.Settings{Currency: "USD"}, Rooms: jobs})
}

func (e env) rooms(t *testing.T) int {
	return e.count(t, `SELECT count(*) FROM deal_rooms WHERE workspace_id = $1`, e.team)
}

// Opening a room writes its row and its job together, once per request,
// for someone who may change the deal; asked again it answers with the
// room. Slack's refusal deletes the row and tells the requester once.
func TestOpenRoomOnceAndRefused(t *testing.T) {
	e := setup(t, directory{})
	rec, jobs := &recorder{}, &roomJobs{}
	svc := e.roomService(rec, jobs)
	in := lead(e.team, "U0REP1", "room-lead")
	in.OwnerID = "U0REP1"
	created, err := e.svc.CreateLead(t.Context(), in)
	if err != nil {
		t.Fatal(err)
	}
	d := created.Deal
	ask := func(user, key string) (sales.RoomAsked, error) {
		return svc.OpenRoom(t.Context(), sales.OpenRoom{Team: e.team, Actor: e.user(t, user), Number: d.Number, IdempotencyKey: key})
	}
	if _, err := ask("U0REP2", "k0"); !errors.As(err, new(sales.ErrForbidden)) {
		t.Errorf("another rep: %v", err)
	}
	res, err := ask("U0REP1", "k1")
	if err != nil || res.Existed || res.Room.State != pipeline.RoomOpening {
		t.Fatalf("open: %+v, %v", res, err)
	}
	if _, err := ask("U0REP1", "k1"); !errors.Is(err, sales.ErrDuplicate) {
		t.Errorf("the same request again: %v", err)
	}
	if res, err := ask("U0ADMIN", "k2"); err != nil || !res.Existed {
		t.Errorf("asked again: %+v, %v", res, err)
	}
	if e.rooms(t) != 1 || len(jobs.opens) != 1 || jobs.opens[0].RequestedBy != "U0REP1" {
		t.Fatalf("rooms %d, jobs %+v", e.rooms(t), jobs.opens)
	}

	why := sales.RoomRefusal{Op: "create", Code: "missing_scope", Needed: "channels:manage"}
	for range 2 { // a retried refusal tells once
		if err := svc.RoomRefused(t.Context(), e.team, d.ID, why); err != nil {
			t.Fatal(err)
		}
	}
	if e.rooms(t) != 0 {
		t.Error("a refused room's row is left")
	}
	var told []sales.RoomRefused
	for _, n := range rec.all() {
		if r, ok := n.(sales.RoomRefused); ok {
			told = append(told, r)
		}
	}
	if len(told) != 1 || told[0].To != "U0REP1" || told[0].Why != why {
		t.Errorf("refusals told: %+v", told)
	}

	// Queueing the job failing leaves no row either.
	jobs.fail = true
	if _, err := ask("U0REP1", "k3"); err == nil || e.rooms(t) != 0 {
		t.Errorf("a request whose job failed: %v, %d rooms", err, e.rooms(t))
	}
}

// A deal above the workspace's value reaching its stage gets a room by
// itself, its owner the requester; one at the value does not.
func TestMoveOpensRoomAboveTheValue(t *testing.T) {
	e := setup(t, directory{})
	rec, jobs := &recorder{}, &roomJobs{}
	svc := e.roomService(rec, jobs)
	if err := e.st.SaveRoomSettings(t.Context(), e.st.DB(), e.team, pipeline.RoomSettings{Private: true,
		AutoMinor: 1_250_000, AutoStage: pipeline.StageProposal, ArchiveDays: 7}); err != nil {
		t.Fatal(err)
	}
	deal := func(minor int64, key string) pipeline.Deal {
		in := lead(e.team, "U0REP1", key)
		in.OwnerID, in.Value.Minor = "U0REP1", minor
		res, err := e.svc.CreateLead(t.Context(), in)
		if err != nil {
			t.Fatal(err)
		}
		return res.Deal
	}
	at, above := deal(1_250_000, "at"), deal(1_250_001, "above")
	for _, d := range []pipeline.Deal{at, above} {
		if _, err := svc.MoveDeal(t.Context(), sales.MoveDeal{Team: e.team, Actor: e.user(t, "U0ADMIN"), Number: d.Number,
			Move: pipeline.Move{To: pipeline.StageProposal}, IdempotencyKey: "move-" + d.Ref()}); err != nil {
			t.Fatal(err)
		}
	}
	if len(jobs.opens) != 1 || jobs.opens[0].DealID != above.ID || jobs.opens[0].RequestedBy != "U0REP1" || !jobs.opens[0].Private {
		t.Errorf("rooms asked: %+v", jobs.opens)
	}
	if e.rooms(t) != 1 {
		t.Errorf("%d rooms, want 1", e.rooms(t))
	}
}
