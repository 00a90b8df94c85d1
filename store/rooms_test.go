package store_test

import (
	"testing"
	"time"

	"salesbot/pipeline"
)

// A room reads back by its deal and by its channel, and only in its own
// workspace; a deal without one has none.
func TestRoomReadsByDealAndChannel(t *testing.T) {
	e := setup(t)
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	d, _, err := e.s.CreateLead(t.Context(), e.db, newLead(e.team), at)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok, err := e.s.Room(t.Context(), e.db, e.team, d.ID); err != nil || ok {
		t.Fatalf("room before any: %v %v", ok, err)
	}
	e.exec(t, `INSERT INTO deal_rooms (workspace_id, deal_id, state, channel_id, name, private, requested_by, requested_at, opened_at)
		VALUES ($1, $2, 'open', 'C0ROOM', 'deal-1-acme-corp', true, 'U0REP1', $3, $3)`, e.team, d.ID, at)

	r, ok, err := e.s.Room(t.Context(), e.db, e.team, d.ID)
	if err != nil || !ok {
		t.Fatalf("room: %v %v", ok, err)
	}
	if r.State != pipeline.RoomOpen || r.ChannelID != "C0ROOM" || r.Name != "deal-1-acme-corp" || !r.Private ||
		r.OpenedAt == nil || !r.OpenedAt.Equal(at) || r.ArchiveAt != nil {
		t.Errorf("room = %+v", r)
	}
	if byChan, ok, err := e.s.RoomByChannel(t.Context(), e.db, e.team, "C0ROOM"); err != nil || !ok || byChan.DealID != d.ID {
		t.Errorf("by channel: %+v %v %v", byChan, ok, err)
	}
	if _, ok, err := e.s.RoomByChannel(t.Context(), e.db, "T0OTHER", "C0ROOM"); err != nil || ok {
		t.Errorf("another workspace sees the room: %v %v", ok, err)
	}
}
