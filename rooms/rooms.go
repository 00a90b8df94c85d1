// Package rooms makes deal rooms in Slack: a River worker opens each room
// asked for (the channel, the invitations, the pinned card), another invites
// people added to an open room, and a periodic sweep archives rooms whose
// deal closed long enough ago. Every step can be redone: what is made is
// recorded at once through the use cases, so a retry after a crash or a
// restart finds it and makes no second.
package rooms

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"github.com/slack-go/slack"

	"salesbot/commands"
	"salesbot/outbox"
	"salesbot/pipeline"
	"salesbot/sales"
)

// QueueRooms is the kind of the River queues of room jobs, one per
// workspace (outbox.QueueFor).
const QueueRooms = "rooms"

const (
	maxAttempts   = 10
	retryBase     = time.Second
	retryMost     = time.Minute
	openTimeout   = time.Minute
	maxNameTries  = 20 // names tried on name_taken: the name, then -2 … -20
	sweepInterval = 15 * time.Minute
	queueWorkers  = 4
)

// UseCases are the room use cases the jobs call (salesdb implements them).
type UseCases interface {
	RoomWork(ctx context.Context, team string, dealID int64) (sales.RoomWork, bool, error)
	RoomNameTried(ctx context.Context, team string, dealID int64, name string) error
	RoomChannelMade(ctx context.Context, team string, dealID int64, channelID, name string) error
	RoomCardPosted(ctx context.Context, team string, dealID int64, ts string) error
	RoomOpened(ctx context.Context, team string, dealID int64, problems []sales.RoomRefusal) error
	RoomRefused(ctx context.Context, team string, dealID int64, why sales.RoomRefusal) error
	RoomInviteRefused(ctx context.Context, team string, dealID int64, user string, why sales.RoomRefusal) error
	RoomsToArchive(ctx context.Context, team string) ([]pipeline.Room, error)
	RoomArchived(ctx context.Context, team, channelID string) error
}

// Slack is what the jobs do in Slack: the channel methods, posting the
// card, and reading the room's history for a card an earlier attempt
// posted.
type Slack interface {
	commands.Channels
	PostMessageContext(ctx context.Context, channelID string, options ...slack.MsgOption) (string, string, error)
	GetConversationHistoryContext(ctx context.Context, params *slack.GetConversationHistoryParameters) (*slack.GetConversationHistoryResponse, error)
}

// Config is what the rooms need.
type Config struct {
	// Client is the process's River client: the queue methods insert on
	// it, and Register puts the workers on its workers.
	Client *river.Client[*sql.Tx]
	Log    *slog.Logger
	Now    func() time.Time // the card's "last activity"; default time.Now
	// BotUser is the bot's own user ID (auth.test): a channel it made under
	// a room's name is adopted by a retry. Empty, none is.
	BotUser string
}

// Rooms queues and works the room jobs.
type Rooms struct {
	cfg Config
}

// New builds the Rooms on cfg.Client.
func New(cfg Config) (*Rooms, error) {
	if cfg.Client == nil {
		return nil, errors.New("rooms: Config.Client is required")
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Rooms{cfg: cfg}, nil
}

// Queues are the room queues of the workspaces a process serves.
func Queues(teams []string) map[string]river.QueueConfig {
	q := map[string]river.QueueConfig{}
	for _, team := range teams {
		q[outbox.QueueFor(QueueRooms, team)] = river.QueueConfig{MaxWorkers: queueWorkers}
	}
	return q
}

// openArgs is one request for a room. Requested (the request's time) tells
// apart a room asked for again after Slack refused the first: River keeps
// completed jobs unique for a day.
type openArgs struct {
	Team      string `json:"team_id" river:"unique"`
	DealID    int64  `json:"deal_id" river:"unique"`
	Requested int64  `json:"requested" river:"unique"` // Unix microseconds, as Postgres keeps it
}

func (openArgs) Kind() string { return "room_open" }

// inviteArgs invites one person added to an open room.
type inviteArgs struct {
	Team   string `json:"team_id" river:"unique"`
	DealID int64  `json:"deal_id" river:"unique"`
	User   string `json:"user_id" river:"unique"`
}

func (inviteArgs) Kind() string { return "room_invite" }

// sweepArgs archives a workspace's rooms that are due.
type sweepArgs struct {
	Team string `json:"team_id"`
}

func (sweepArgs) Kind() string { return "room_archive_sweep" }

func (r *Rooms) opts(team string) *river.InsertOpts {
	return &river.InsertOpts{Queue: outbox.QueueFor(QueueRooms, team), MaxAttempts: maxAttempts,
		UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// QueueOpen inserts the job that opens room, in tx.
func (r *Rooms) QueueOpen(ctx context.Context, tx *sql.Tx, room pipeline.Room) error {
	_, err := r.cfg.Client.InsertTx(ctx, tx, openArgs{Team: room.WorkspaceID, DealID: room.DealID,
		Requested: room.RequestedAt.UnixMicro()}, r.opts(room.WorkspaceID))
	if err != nil {
		return fmt.Errorf("rooms: queue the opening of deal %d's room: %w", room.DealID, err)
	}
	return nil
}

// QueueInvite inserts the job that invites user to room, in tx.
func (r *Rooms) QueueInvite(ctx context.Context, tx *sql.Tx, room pipeline.Room, user string) error {
	_, err := r.cfg.Client.InsertTx(ctx, tx, inviteArgs{Team: room.WorkspaceID, DealID: room.DealID, User: user}, r.opts(room.WorkspaceID))
	if err != nil {
		return fmt.Errorf("rooms: queue an invitation to deal %d's room: %w", room.DealID, err)
	}
	return nil
}

// QueueSweep inserts a sweep of team's rooms due to be archived now.
func (r *Rooms) QueueSweep(ctx context.Context, team string) error {
	_, err := r.cfg.Client.Insert(ctx, sweepArgs{Team: team}, &river.InsertOpts{Queue: outbox.QueueFor(QueueRooms, team)})
	return err
}

// Register puts the room workers on workers and the archive sweep of each
// of teams on the client's periodic jobs (every 15 minutes, and at start).
func (r *Rooms) Register(workers *river.Workers, uc UseCases, sl Slack, teams []string) error {
	if uc == nil || sl == nil {
		return errors.New("rooms: Register needs the use cases and Slack")
	}
	w := &jobs{r: r, uc: uc, slack: sl}
	for _, err := range []error{
		river.AddWorkerSafely(workers, &openWorker{jobs: w}),
		river.AddWorkerSafely(workers, &inviteWorker{jobs: w}),
		river.AddWorkerSafely(workers, &sweepWorker{jobs: w}),
	} {
		if err != nil {
			return fmt.Errorf("rooms: register the workers: %w", err)
		}
	}
	for _, team := range teams {
		r.cfg.Client.PeriodicJobs().Add(river.NewPeriodicJob(river.PeriodicInterval(sweepInterval),
			func() (river.JobArgs, *river.InsertOpts) {
				return sweepArgs{Team: team}, &river.InsertOpts{Queue: outbox.QueueFor(QueueRooms, team)}
			}, &river.PeriodicJobOpts{ID: "room_archive_sweep_" + team, RunOnStart: true}))
	}
	return nil
}

// nextRetry backs off from a second up to a minute: a person is waiting
// for their room.
func nextRetry(attempt int) time.Time {
	return time.Now().Add(backoff(attempt))
}

// backoff is the wait after attempt failed.
func backoff(attempt int) time.Duration {
	d := retryBase
	for i := 1; i < attempt && d < retryMost; i++ {
		d *= 2
	}
	return min(d, retryMost)
}

// stuckAllowance is how long an attempt of a process that died may stay
// running before River's rescuer runs it again (at most River's default,
// an hour).
const stuckAllowance = time.Hour

// OpenLifetime is the longest an opening job lives: every attempt run to
// its timeout and followed by its backoff, and one of them left by a dead
// process until it is rescued. A room still opening after that has lost
// its job.
func (r *Rooms) OpenLifetime() time.Duration {
	d := stuckAllowance
	for a := 1; a <= maxAttempts; a++ {
		d += openTimeout + backoff(a)
	}
	return d
}
