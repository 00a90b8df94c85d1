package salesdb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jmoiron/sqlx"

	"salesbot/pipeline"
	"salesbot/sales"
	"salesbot/store"
)

// RoomJobs queues the jobs that make rooms in Slack, in the transaction
// that asks for them: they run if and only if it commits.
type RoomJobs interface {
	// QueueOpen makes r's channel, invites, posts and pins the card.
	QueueOpen(ctx context.Context, tx *sql.Tx, r pipeline.Room) error
	// QueueInvite invites user to r, which is open.
	QueueInvite(ctx context.Context, tx *sql.Tx, r pipeline.Room, user string) error
	// OpenLifetime is the longest the job QueueOpen queues can live, all
	// its attempts and retries included.
	OpenLifetime() time.Duration
}

// OpenRoom asks for deal in.Number's room for in.Actor, who may change the
// deal, in one transaction keyed by in.IdempotencyKey: the room's row
// (state 'opening') and the job that makes it are written together. A
// deal that has a room already answers with it (Existed), and a closed
// deal gets none.
func (s *Service) OpenRoom(ctx context.Context, in sales.OpenRoom) (sales.RoomAsked, error) {
	if err := validTarget(in.Team, in.Actor, in.Number, "deal"); err != nil {
		return sales.RoomAsked{}, err
	}
	if _, err := s.store.EnsureWorkspace(ctx, s.store.DB(), in.Team, s.defaults); err != nil {
		return sales.RoomAsked{}, err
	}
	var res sales.RoomAsked
	err := s.once(ctx, in.Team, in.IdempotencyKey, func(tx *sqlx.Tx) error {
		d, err := s.lockDeal(ctx, tx, in.Actor, in.Number)
		if err != nil {
			return err
		}
		res.Deal = d
		res.Room, res.Existed, err = s.askRoom(ctx, tx, d, in.Actor.ID)
		return err
	})
	return res, err
}

// askRoom writes d's room, requested by by, and queues the job that opens
// it, inside the caller's transaction with d locked; a room d has already
// is returned as it is (true). A closed deal gets none.
func (s *Service) askRoom(ctx context.Context, tx *sqlx.Tx, d pipeline.Deal, by string) (pipeline.Room, bool, error) {
	if r, ok, err := s.store.RoomForUpdate(ctx, tx, d.WorkspaceID, d.ID); err != nil || ok {
		if err == nil && s.lostOpening(r) {
			return s.reaskRoom(ctx, tx, r, by)
		}
		return r, ok, err
	}
	if d.Stage.Closed() {
		return pipeline.Room{}, false, invalid("deal", "%s is closed: reopen it to open a room for it.", d.Ref())
	}
	if s.rooms == nil {
		return pipeline.Room{}, false, errors.New("salesdb: no room jobs wired")
	}
	rs, err := s.store.RoomSettings(ctx, tx, d.WorkspaceID)
	if err != nil {
		return pipeline.Room{}, false, err
	}
	r := pipeline.Room{WorkspaceID: d.WorkspaceID, DealID: d.ID, State: pipeline.RoomOpening, Private: rs.Private,
		RequestedBy: by, RequestedAt: s.now().Truncate(time.Microsecond)} // as Postgres keeps it: the job matches it
	if _, err := s.store.InsertRoom(ctx, tx, r); err != nil {
		return r, false, err
	}
	return r, false, s.rooms.QueueOpen(ctx, tx.Tx, r)
}

// lostOpening says whether room r is still opening longer than its job can
// live (discarded, cancelled, or its last attempt failing to record the
// outcome): nothing will open it, so asking again queues a new job.
func (s *Service) lostOpening(r pipeline.Room) bool {
	return s.rooms != nil && r.State == pipeline.RoomOpening && s.now().Sub(r.RequestedAt) > s.rooms.OpenLifetime()
}

// reaskRoom asks again, for by, for room r whose opening job is lost: a new
// request time (which the new job carries, so that a late old one does
// nothing) and a new job, which finishes what the old one made.
func (s *Service) reaskRoom(ctx context.Context, tx *sqlx.Tx, r pipeline.Room, by string) (pipeline.Room, bool, error) {
	r.RequestedBy, r.RequestedAt = by, s.now().Truncate(time.Microsecond)
	if _, err := s.store.ReaskRoom(ctx, tx, r.WorkspaceID, r.DealID, r.RequestedBy, r.RequestedAt); err != nil {
		return r, false, err
	}
	return r, false, s.rooms.QueueOpen(ctx, tx.Tx, r)
}

// autoRoom asks for d's room by itself, its owner the requester, when
// change c takes d to the stage the workspace chose and d is worth more
// than its threshold. Inside the move's transaction, d locked.
func (s *Service) autoRoom(ctx context.Context, tx *sqlx.Tx, st pipeline.Settings, d pipeline.Deal, c pipeline.StageChange) error {
	if s.rooms == nil {
		return nil
	}
	rs, err := s.store.RoomSettings(ctx, tx, d.WorkspaceID)
	if err != nil || !rs.AutoRoom(d, c, st.Currency) {
		return err
	}
	_, _, err = s.askRoom(ctx, tx, d, d.OwnerID)
	return err
}

// AddRoomMember adds in.User to deal in.Number's room for in.Actor, who
// may change the deal, in one transaction keyed by in.IdempotencyKey. A
// deal without a room gets one asked for; an open room has the person
// invited now (a job queued in the same transaction), one opening invites
// them when it opens.
func (s *Service) AddRoomMember(ctx context.Context, in sales.AddRoomMember) (sales.RoomMemberAdded, error) {
	if err := validTarget(in.Team, in.Actor, in.Number, "deal"); err != nil {
		return sales.RoomMemberAdded{}, err
	}
	if !pipeline.ValidUserID(in.User) {
		return sales.RoomMemberAdded{}, invalid("user", "Name the person to add as a mention, such as @maria.")
	}
	if _, err := s.store.EnsureWorkspace(ctx, s.store.DB(), in.Team, s.defaults); err != nil {
		return sales.RoomMemberAdded{}, err
	}
	res := sales.RoomMemberAdded{User: in.User}
	err := s.once(ctx, in.Team, in.IdempotencyKey, func(tx *sqlx.Tx) error {
		d, err := s.lockDeal(ctx, tx, in.Actor, in.Number)
		if err != nil {
			return err
		}
		res.Deal = d
		r, existed, err := s.askRoom(ctx, tx, d, in.Actor.ID)
		if err != nil {
			return err
		}
		res.Room, res.Asked = r, !existed
		if r.State == pipeline.RoomArchived {
			return sales.ErrRoomArchived{Number: d.Number, ChannelID: r.ChannelID}
		}
		added, err := s.store.AddRoomMember(ctx, tx, in.Team, d.ID, in.User, in.Actor.ID, s.now())
		if err != nil {
			return err
		}
		res.Already = !added
		if added && r.State == pipeline.RoomOpen {
			return s.rooms.QueueInvite(ctx, tx.Tx, r, in.User)
		}
		return nil
	})
	return res, err
}

// RoomWork is what the job opening deal dealID's room needs; false when
// the room is gone (refused and deleted, or the deal deleted).
func (s *Service) RoomWork(ctx context.Context, team string, dealID int64) (sales.RoomWork, bool, error) {
	db := s.store.DB()
	r, ok, err := s.store.Room(ctx, db, team, dealID)
	if err != nil || !ok {
		return sales.RoomWork{}, false, err
	}
	d, err := s.store.DealByID(ctx, db, team, dealID)
	if errors.Is(err, store.ErrNotFound) {
		return sales.RoomWork{}, false, nil
	}
	if err != nil {
		return sales.RoomWork{}, false, err
	}
	w := sales.RoomWork{Room: r, Deal: d, Name: pipeline.RoomName(d.Number, d.AccountName)}
	if w.Details, err = s.CardDetails(ctx, d); err != nil {
		return w, false, err
	}
	w.Invite, err = s.roomInvitees(ctx, d, r.RequestedBy)
	return w, true, err
}

// roomInvitees are the people d's room invites: its owner, the owner's
// manager, who asked for the room (an admin must see the room they are
// told is open) and the people added, without the deactivated (salesbot's
// word, or the directory's).
func (s *Service) roomInvitees(ctx context.Context, d pipeline.Deal, requester string) ([]string, error) {
	db := s.store.DB()
	ids := []string{d.OwnerID}
	owner, err := s.store.User(ctx, db, d.WorkspaceID, d.OwnerID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	if owner.ManagerID != "" {
		ids = append(ids, owner.ManagerID)
	}
	members, err := s.store.RoomMembers(ctx, db, d.WorkspaceID, d.ID)
	if err != nil {
		return nil, err
	}
	ids = append(ids, requester)
	ids = append(ids, members...)
	var out []string
	for i, id := range ids {
		if id == "" || slices.Contains(ids[:i], id) || !s.roomActive(ctx, d.WorkspaceID, id) {
			continue
		}
		out = append(out, id)
	}
	return out, nil
}

// roomActive is false for someone salesbot or the directory knows is
// deactivated; a directory that cannot answer counts as active (Slack
// then refuses the invitation, which is skipped).
func (s *Service) roomActive(ctx context.Context, team, id string) bool {
	if u, err := s.store.User(ctx, s.store.DB(), team, id); err == nil && u.Deactivated {
		return false
	}
	if s.dir == nil {
		return true
	}
	active, err := s.dir.Active(ctx, id)
	return err != nil || active
}

// RoomChannelMade records the channel made for deal dealID's room, at once
// and in a transaction of its own, so that a retry after a crash finds it
// and makes no second one.
func (s *Service) RoomChannelMade(ctx context.Context, team string, dealID int64, channelID, name string) error {
	ok, err := s.store.SetRoomChannel(ctx, s.store.DB(), team, dealID, channelID, name)
	if err == nil && !ok {
		return fmt.Errorf("salesdb: room of deal %d: channel %s not recorded (gone, or made already)", dealID, channelID)
	}
	return err
}

// RoomCardPosted records the ts of the room's card, so that a retry pins
// that one and posts no second.
func (s *Service) RoomCardPosted(ctx context.Context, team string, dealID int64, ts string) error {
	_, err := s.store.SetRoomCard(ctx, s.store.DB(), team, dealID, ts)
	return err
}

// RoomOpened marks deal dealID's room open and tells its requester, once:
// a retry of a room open already changes nothing.
func (s *Service) RoomOpened(ctx context.Context, team string, dealID int64, problems []sales.RoomRefusal) error {
	// The deactivated among those added, as the opening skipped them: asked
	// before the transaction, the directory being a network call.
	members, err := s.store.RoomMembers(ctx, s.store.DB(), team, dealID)
	if err != nil {
		return err
	}
	var skip []string
	for _, u := range members {
		if !s.roomActive(ctx, team, u) {
			skip = append(skip, u)
		}
	}
	for _, p := range problems {
		skip = append(skip, p.User)
	}
	return s.store.WithTx(ctx, func(tx *sqlx.Tx) error {
		ok, err := s.store.MarkRoomOpen(ctx, tx, team, dealID, s.now())
		if err != nil || !ok {
			return err
		}
		r, _, err := s.store.Room(ctx, tx, team, dealID)
		if err != nil {
			return err
		}
		d, err := s.store.DealByID(ctx, tx, team, dealID)
		if err != nil {
			return err
		}
		if err := s.inviteLateMembers(ctx, tx, r, skip); err != nil {
			return err
		}
		if err := s.roomClosedWhileOpening(ctx, tx, r, d); err != nil {
			return err
		}
		return s.outbox.Enqueue(ctx, tx.Tx, sales.RoomOpened{To: r.RequestedBy, Deal: d, Room: r, Problems: problems})
	})
}

// inviteLateMembers queues an invitation for each person added to room r,
// which just opened: one added after the opening job read its list would
// be left out otherwise. Inviting someone in already changes nothing; skip
// are those the opening skipped (deactivated) or Slack refused (told
// already).
func (s *Service) inviteLateMembers(ctx context.Context, tx *sqlx.Tx, r pipeline.Room, skip []string) error {
	if s.rooms == nil {
		return nil
	}
	members, err := s.store.RoomMembers(ctx, tx, r.WorkspaceID, r.DealID)
	if err != nil {
		return err
	}
	for _, u := range members {
		if slices.Contains(skip, u) {
			continue
		}
		if err := s.rooms.QueueInvite(ctx, tx.Tx, r, u); err != nil {
			return err
		}
	}
	return nil
}

// roomClosedWhileOpening posts the close summary in room r, which just
// opened, when its deal d closed while it was opening (the close found no
// channel to post in). The notice has the close's key: posted once.
func (s *Service) roomClosedWhileOpening(ctx context.Context, tx *sqlx.Tx, r pipeline.Room, d pipeline.Deal) error {
	if !d.Stage.Closed() {
		return nil
	}
	entry, by, err := s.store.LastStageEntry(ctx, tx, d.WorkspaceID, d.ID)
	if err != nil {
		return err
	}
	brief, err := s.store.DealBrief(ctx, tx, d.WorkspaceID, d.ID)
	if err != nil {
		return err
	}
	st, err := s.store.Settings(ctx, tx, d.WorkspaceID)
	if err != nil {
		return err
	}
	stages, err := s.store.Stages(ctx, tx, d.WorkspaceID)
	if err != nil {
		return err
	}
	return s.outbox.Enqueue(ctx, tx.Tx, sales.RoomClosed{Room: r, Deal: d, By: by, Brief: brief, Stages: stages, Timezone: st.Timezone, Entry: entry})
}

// RoomRefused deletes deal dealID's room, which Slack refused to make (so
// nothing is left half-made and it may be asked for again), and tells its
// requester why, in one transaction. A room with a channel is not
// deleted: it was made.
func (s *Service) RoomRefused(ctx context.Context, team string, dealID int64, why sales.RoomRefusal) error {
	return s.store.WithTx(ctx, func(tx *sqlx.Tx) error {
		r, ok, err := s.store.RoomForUpdate(ctx, tx, team, dealID)
		if err != nil || !ok {
			return err
		}
		gone, err := s.store.DeleteOpeningRoom(ctx, tx, team, dealID)
		if err != nil || !gone {
			return err
		}
		d, err := s.store.DealByID(ctx, tx, team, dealID)
		if err != nil {
			return err
		}
		return s.outbox.Enqueue(ctx, tx.Tx, sales.RoomRefused{To: r.RequestedBy, Deal: d, Why: why, At: r.RequestedAt})
	})
}

// RoomInviteRefused tells who added user to deal dealID's open room that
// Slack refused to invite them, once.
func (s *Service) RoomInviteRefused(ctx context.Context, team string, dealID int64, user string, why sales.RoomRefusal) error {
	return s.store.WithTx(ctx, func(tx *sqlx.Tx) error {
		by, err := s.store.RoomMemberAddedBy(ctx, tx, team, dealID, user)
		if err != nil || by == "" {
			return err
		}
		r, ok, err := s.store.Room(ctx, tx, team, dealID)
		if err != nil || !ok {
			return err
		}
		d, err := s.store.DealByID(ctx, tx, team, dealID)
		if err != nil {
			return err
		}
		return s.outbox.Enqueue(ctx, tx.Tx, sales.RoomInviteRefused{To: by, Deal: d, Room: r, User: user, Why: why})
	})
}

// RoomsToArchive are team's open rooms due to be archived (archive_at
// passed by the use cases' clock), at most 100 at a time.
func (s *Service) RoomsToArchive(ctx context.Context, team string) ([]pipeline.Room, error) {
	return s.store.RoomsToArchive(ctx, s.store.DB(), team, 100, s.now())
}

// RoomArchived marks a room archived once Slack archived its channel.
func (s *Service) RoomArchived(ctx context.Context, team, channelID string) error {
	at := s.now()
	_, err := s.store.SetRoomArchived(ctx, s.store.DB(), team, channelID, &at)
	return err
}

// FollowRoomRename records the name a person gave a room's channel in
// Slack; salesbot never renames it back. A channel that is no room is
// ignored.
func (s *Service) FollowRoomRename(ctx context.Context, team, channelID, name string) error {
	if team == "" || channelID == "" || name == "" {
		return nil
	}
	_, err := s.store.RenameRoom(ctx, s.store.DB(), team, channelID, name)
	return err
}

// FollowRoomArchive records that a person archived a room's channel (or
// unarchived it: the room is open again, and not archived by itself
// later). A channel that is no room is ignored.
func (s *Service) FollowRoomArchive(ctx context.Context, team, channelID string, archived bool) error {
	if team == "" || channelID == "" {
		return nil
	}
	if archived {
		return s.RoomArchived(ctx, team, channelID)
	}
	_, err := s.store.SetRoomArchived(ctx, s.store.DB(), team, channelID, nil)
	return err
}

// FollowRoomDelete forgets the room whose channel a person deleted in
// Slack, with its members: the deal's card offers a new room again, which
// an archived room (to be unarchived in Slack) could not. A channel that
// is no room is ignored; a redelivery finds nothing.
func (s *Service) FollowRoomDelete(ctx context.Context, team, channelID string) error {
	if team == "" || channelID == "" {
		return nil
	}
	_, err := s.store.DeleteRoomOfChannel(ctx, s.store.DB(), team, channelID)
	return err
}

// RoomSettings are the workspace's room settings, for the settings form.
func (s *Service) RoomSettings(ctx context.Context, team string) (pipeline.RoomSettings, error) {
	return s.store.RoomSettings(ctx, s.store.DB(), team)
}

// roomOf is deal d's room, for its card; nil when it has none.
func (s *Service) roomOf(ctx context.Context, d pipeline.Deal) (*pipeline.Room, error) {
	r, ok, err := s.store.Room(ctx, s.store.DB(), d.WorkspaceID, d.ID)
	if err != nil || !ok {
		return nil, err
	}
	return &r, nil
}

// validRoomSettings refuses room settings out of range; nil is none.
func validRoomSettings(rs *pipeline.RoomSettings) error {
	switch {
	case rs == nil:
		return nil
	case rs.ArchiveDays < 0 || rs.ArchiveDays > pipeline.MaxRoomArchiveDays:
		return invalid("room_archive_days", "Archive rooms from 0 (never) to %d days after the close.", pipeline.MaxRoomArchiveDays)
	case rs.AutoStage != "" && rs.AutoMinor < 0:
		return invalid("room_auto", "The value above which a room opens by itself cannot be negative.")
	case rs.AutoStage.Closed():
		return invalid("room_auto_stage", "Choose an open stage for rooms to open by themselves.")
	}
	return nil
}

// roomStageExists refuses an auto-open stage that is none of the
// workspace's stages; "" (rooms never open by themselves) is fine.
func (s *Service) roomStageExists(ctx context.Context, tx *sqlx.Tx, team string, stage pipeline.Stage) error {
	if stage == "" {
		return nil
	}
	stages, err := s.store.Stages(ctx, tx, team)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(stages, func(d pipeline.StageDef) bool { return d.Key == stage }) {
		return invalid("room_auto_stage", "%q is not one of this workspace's stages: choose one of them for rooms to open by themselves.", clip(string(stage), 30))
	}
	return nil
}
