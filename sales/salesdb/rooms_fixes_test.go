package salesdb_test

import (
	"slices"
	"testing"

	"salesbot/pipeline"
	"salesbot/sales"
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
