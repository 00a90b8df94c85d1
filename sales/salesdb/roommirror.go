package salesdb

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"

	"salesbot/pipeline"
	"salesbot/sales"
)

// toRoom queues the notice made by notice in the room of the workspace's
// deal dealID, in the change's transaction tx, when the deal has an open
// room (and notice makes one: nil is nothing for this room). Every change a room mirrors comes through here or roomMoved.
func (s *Service) toRoom(ctx context.Context, tx *sqlx.Tx, team string, dealID int64, notice func(pipeline.Room) (Notice, error)) error {
	room, ok, err := s.store.Room(ctx, tx, team, dealID)
	if err != nil || !mirrors(room, ok) {
		return err
	}
	n, err := notice(room)
	if err != nil || n == nil {
		return err
	}
	return s.outbox.Enqueue(ctx, tx.Tx, n)
}

// mirrors says whether a deal's room (ok: it has one) gets its changes:
// only an open one. A room still opening has no channel yet, and one
// archived is read no more.
func mirrors(room pipeline.Room, ok bool) bool {
	return ok && room.State == pipeline.RoomOpen && room.ChannelID != ""
}

// roomMoved mirrors change c of deal d (as it is after c), made by by, in d's
// room: a move or reopen in a line; a close in a line followed by the
// deal's history in brief. Closing also schedules the room's archiving, the
// workspace's room_archive_days after the close (never when 0); reopening
// takes it back. The schedule is kept for a room still opening too, so
// that it is archived in time once it opens.
func (s *Service) roomMoved(ctx context.Context, tx *sqlx.Tx, by string, d pipeline.Deal, c pipeline.StageChange, stages []pipeline.StageDef) error {
	room, ok, err := s.store.Room(ctx, tx, d.WorkspaceID, d.ID)
	if err != nil || !ok || room.State == pipeline.RoomArchived {
		return err
	}
	switch {
	case c.To.Closed() && d.ClosedAt != nil:
		rs, err := s.store.RoomSettings(ctx, tx, d.WorkspaceID)
		if err != nil {
			return err
		}
		if err := s.store.SetRoomArchiveAt(ctx, tx, d.WorkspaceID, d.ID, archiveDue(*d.ClosedAt, rs.ArchiveDays)); err != nil {
			return err
		}
	case c.Reopen:
		if err := s.store.SetRoomArchiveAt(ctx, tx, d.WorkspaceID, d.ID, nil); err != nil {
			return err
		}
	}
	if !mirrors(room, ok) {
		return nil
	}
	entry, _, err := s.store.LastStageEntry(ctx, tx, d.WorkspaceID, d.ID)
	if err != nil {
		return err
	}
	var n Notice = sales.RoomMoved{Room: room, Deal: d, Change: c, By: by,
		From: stageLabelIn(stages, c.From), To: stageLabelIn(stages, c.To), Entry: entry}
	if c.To.Closed() {
		brief, err := s.store.DealBrief(ctx, tx, d.WorkspaceID, d.ID)
		if err != nil {
			return err
		}
		st, err := s.store.Settings(ctx, tx, d.WorkspaceID)
		if err != nil {
			return err
		}
		n = sales.RoomClosed{Room: room, Deal: d, By: by, Brief: brief, Stages: stages, Timezone: st.Timezone, Entry: entry}
	}
	return s.outbox.Enqueue(ctx, tx.Tx, n)
}

// archiveDue is when a room whose deal closed at closed is archived, days
// later; nil for 0, never.
func archiveDue(closed time.Time, days int) *time.Time {
	if days <= 0 {
		return nil
	}
	at := closed.AddDate(0, 0, days)
	return &at
}

// stageLabelIn is stage k's label among stages, or its key when unknown.
func stageLabelIn(stages []pipeline.StageDef, k pipeline.Stage) string {
	for _, s := range stages {
		if s.Key == k {
			return s.Label
		}
	}
	return string(k)
}

// roomActivity mirrors activity a, just logged on d, in d's room; a
// message captured from the room itself is there already.
func (s *Service) roomActivity(ctx context.Context, tx *sqlx.Tx, d pipeline.Deal, a pipeline.Activity) error {
	return s.toRoom(ctx, tx, d.WorkspaceID, d.ID, func(room pipeline.Room) (Notice, error) {
		if a.Source != nil && a.Source.Channel == room.ChannelID {
			return nil, nil
		}
		return sales.RoomActivity{Room: room, Deal: d, Activity: a}, nil
	})
}

// roomFollowUp mirrors follow-up f, just scheduled or done (done) by by,
// in its deal's room.
func (s *Service) roomFollowUp(ctx context.Context, tx *sqlx.Tx, f pipeline.FollowUp, by string, done bool) error {
	return s.toRoom(ctx, tx, f.WorkspaceID, f.DealID, func(room pipeline.Room) (Notice, error) {
		d, err := s.store.DealByID(ctx, tx, f.WorkspaceID, f.DealID)
		if err != nil {
			return nil, err
		}
		st, err := s.store.Settings(ctx, tx, f.WorkspaceID)
		if err != nil {
			return nil, err
		}
		return sales.RoomFollowUp{Room: room, Deal: d, FollowUp: f, By: by, Done: done, Timezone: st.Timezone}, nil
	})
}

// roomApproval mirrors discount request a of deal d in its room, in the
// state it was just put in by by: requested, approved, rejected or
// invalidated.
func (s *Service) roomApproval(ctx context.Context, tx *sqlx.Tx, d pipeline.Deal, a pipeline.Approval, by string) error {
	return s.toRoom(ctx, tx, a.WorkspaceID, a.DealID, func(room pipeline.Room) (Notice, error) {
		return sales.RoomApproval{Room: room, Deal: d, Approval: a, By: by}, nil
	})
}

// roomEdited mirrors the edit of d (as edited) by by, changes, in d's room.
func (s *Service) roomEdited(ctx context.Context, tx *sqlx.Tx, d pipeline.Deal, by string, changes []pipeline.FieldChange) error {
	return s.toRoom(ctx, tx, d.WorkspaceID, d.ID, func(room pipeline.Room) (Notice, error) {
		entry, err := s.store.LastHistoryEntry(ctx, tx, d.WorkspaceID, d.ID)
		return sales.RoomEdited{Room: room, Deal: d, By: by, Changes: changes, Entry: entry}, err
	})
}

// roomOwnerChanged mirrors d's new owner (from was the owner before) in
// d's room.
func (s *Service) roomOwnerChanged(ctx context.Context, tx *sqlx.Tx, d pipeline.Deal, from string) error {
	return s.toRoom(ctx, tx, d.WorkspaceID, d.ID, func(room pipeline.Room) (Notice, error) {
		entry, err := s.store.LastHistoryEntry(ctx, tx, d.WorkspaceID, d.ID)
		return sales.RoomOwnerChanged{Room: room, Deal: d, From: from, Entry: entry}, err
	})
}
