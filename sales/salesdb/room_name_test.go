package salesdb_test

import (
	"testing"

	"salesbot/sales"
)

// The name a room's job is about to try is recorded while the room has no
// channel, and replaced by the next; once the channel is recorded it is
// not, and a room refused with a name tried is still deleted.
func TestRoomNameTriedUntilTheChannel(t *testing.T) {
	e := setup(t, directory{})
	svc := e.roomService(&recorder{}, &roomJobs{})
	in := lead(e.team, "U0REP1", "room-name-lead")
	in.OwnerID = "U0REP1"
	created, err := e.svc.CreateLead(t.Context(), in)
	if err != nil {
		t.Fatal(err)
	}
	d := created.Deal
	if _, err := svc.OpenRoom(t.Context(), sales.OpenRoom{Team: e.team, Actor: e.user(t, "U0REP1"), Number: d.Number, IdempotencyKey: "k1"}); err != nil {
		t.Fatal(err)
	}
	name := func() string {
		t.Helper()
		w, ok, err := svc.RoomWork(t.Context(), e.team, d.ID)
		if err != nil || !ok {
			t.Fatalf("room work: %v, %v", ok, err)
		}
		return w.Room.Name
	}
	for _, try := range []string{"deal-1-acme", "deal-1-acme-2"} {
		if err := svc.RoomNameTried(t.Context(), e.team, d.ID, try); err != nil {
			t.Fatal(err)
		}
		if got := name(); got != try {
			t.Errorf("recorded %q, want %q", got, try)
		}
	}
	if err := svc.RoomChannelMade(t.Context(), e.team, d.ID, "C0ROOM", "deal-1-acme-2"); err != nil {
		t.Fatal(err)
	}
	if err := svc.RoomNameTried(t.Context(), e.team, d.ID, "deal-1-acme-3"); err == nil || name() != "deal-1-acme-2" {
		t.Errorf("a name tried after the channel: %v, the room is named %q", err, name())
	}

	in = lead(e.team, "U0REP1", "room-name-refused")
	in.OwnerID = "U0REP1"
	other, err := e.svc.CreateLead(t.Context(), in)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.OpenRoom(t.Context(), sales.OpenRoom{Team: e.team, Actor: e.user(t, "U0REP1"), Number: other.Deal.Number, IdempotencyKey: "k2"}); err != nil {
		t.Fatal(err)
	}
	if err := svc.RoomNameTried(t.Context(), e.team, other.Deal.ID, "deal-2-acme"); err != nil {
		t.Fatal(err)
	}
	if err := svc.RoomRefused(t.Context(), e.team, other.Deal.ID, sales.RoomRefusal{Op: "create", Code: "restricted_action"}); err != nil {
		t.Fatal(err)
	}
	if e.rooms(t) != 1 {
		t.Errorf("%d rooms after refusing the second, want the first only", e.rooms(t))
	}
}
