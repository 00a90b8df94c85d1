package rooms

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/riverqueue/river"
	"github.com/slack-go/slack"

	"salesbot/commands"
	"salesbot/pipeline"
	"salesbot/render"
	"salesbot/sales"
)

// jobs is what the three workers share.
type jobs struct {
	r     *Rooms
	uc    UseCases
	slack Slack
}

// refusalOf is Slack's refusal in err, if err is one.
func refusalOf(err error) (*commands.SlackRefusal, bool) {
	var sr *commands.SlackRefusal
	return sr, errors.As(err, &sr)
}

// final is a refusal that asking again will not change: one salesbot
// sorts (a scope missing, a restricted workspace, a bad name, …). Other
// answers (Slack's internal_error, no answer) are retried.
func final(err error) (sales.RoomRefusal, bool) {
	sr, ok := refusalOf(err)
	if !ok || sr.Kind == nil {
		return sales.RoomRefusal{}, false
	}
	return sales.RoomRefusal{Op: sr.Op, Code: sr.Code, Needed: sr.Needed}, true
}

type openWorker struct {
	river.WorkerDefaults[openArgs]
	*jobs
}

func (w *openWorker) NextRetry(job *river.Job[openArgs]) time.Time { return nextRetry(job.Attempt) }

func (w *openWorker) Timeout(*river.Job[openArgs]) time.Duration { return openTimeout }

// Work opens the room step by step, each step skipped when an earlier
// attempt did it: the channel (its name recorded before it is made, its ID
// at once after: see create), the invitations (those
// already in count as invited), the card (its ts recorded before the pin),
// the pin (one already pinned counts), then the room marked open and the
// requester told. Slack refusing to make the channel deletes the room and
// tells the requester why. Refusals after the channel exists (an
// invitation, the pin) do not undo it: the room opens without that step
// and the requester is told what was skipped.
func (w *openWorker) Work(ctx context.Context, job *river.Job[openArgs]) error {
	a := job.Args
	work, ok, err := w.uc.RoomWork(ctx, a.Team, a.DealID)
	if err != nil {
		return err
	}
	room := work.Room
	if !ok || room.RequestedAt.UnixMicro() != a.Requested || room.State != pipeline.RoomOpening {
		return nil // refused and deleted, asked for again since, or open already
	}
	if room.ChannelID == "" {
		id, name, err := w.create(ctx, work)
		if why, refused := final(err); refused {
			return w.uc.RoomRefused(ctx, a.Team, a.DealID, why)
		}
		if err != nil && job.Attempt >= job.MaxAttempts {
			return w.uc.RoomRefused(ctx, a.Team, a.DealID, giveUp(err))
		}
		if err != nil {
			return err
		}
		if err := w.uc.RoomChannelMade(ctx, a.Team, a.DealID, id, name); err != nil {
			return err
		}
		room.ChannelID, room.Name = id, name
	}
	problems, err := w.invite(ctx, room.ChannelID, work.Invite)
	if err != nil {
		if job.Attempt < job.MaxAttempts {
			return err
		}
		// The last attempt: the room still gets its card; the requester
		// is told people could not be invited.
		w.r.cfg.Log.Warn("room opened without its invitations", "team_id", a.Team, "deal_id", a.DealID, "error", err)
		problems = append(problems, noAnswer("invite", err))
	}
	ts := room.CardTS
	if ts == "" && job.Attempt > 1 {
		// An earlier attempt may have posted the card and stopped before
		// recording it: its metadata finds it.
		if ts, err = w.postedCard(ctx, room); err != nil {
			return w.lastTry(ctx, job, "post", problems, err)
		}
	}
	if ts == "" {
		m := render.RoomCard(work, w.r.cfg.Now())
		if _, ts, err = w.slack.PostMessageContext(ctx, room.ChannelID, slack.MsgOptionText(m.Text, false),
			slack.MsgOptionBlocks(m.Blocks...), slack.MsgOptionMetadata(cardMetadata(room.DealID))); err != nil {
			return w.lastTry(ctx, job, "post", problems, err)
		}
	}
	if room.CardTS == "" {
		if err := w.uc.RoomCardPosted(ctx, a.Team, a.DealID, ts); err != nil {
			return err
		}
	}
	if err := w.slack.PinMessage(ctx, room.ChannelID, ts); err != nil {
		why, refused := final(err)
		if !refused {
			return w.lastTry(ctx, job, "pin", problems, err)
		}
		problems = append(problems, why)
	}
	return w.uc.RoomOpened(ctx, a.Team, a.DealID, problems)
}

// lastTry returns err for a retry, except on the job's last attempt: the
// channel exists, so the room opens without step op and the requester is
// told it was skipped, rather than staying half-open for good.
func (w *openWorker) lastTry(ctx context.Context, job *river.Job[openArgs], op string, problems []sales.RoomRefusal, err error) error {
	if job.Attempt < job.MaxAttempts {
		return err
	}
	w.r.cfg.Log.Warn("room opened without a step Slack never answered", "team_id", job.Args.Team, "deal_id", job.Args.DealID, "step", op, "error", err)
	return w.uc.RoomOpened(ctx, job.Args.Team, job.Args.DealID, append(problems, sales.RoomRefusal{Op: op, Code: "no_answer"}))
}

// cardEvent marks the room's card in its metadata.
const cardEvent = "salesbot_room_card"

func cardMetadata(dealID int64) slack.SlackMetadata {
	return slack.SlackMetadata{EventType: cardEvent, EventPayload: map[string]any{"deal_id": strconv.FormatInt(dealID, 10)}}
}

// postedCard is the ts of the card an earlier attempt posted in room, or
// "" when there is none. A new room holds few messages: the newest
// hundred are searched.
func (w *openWorker) postedCard(ctx context.Context, room pipeline.Room) (string, error) {
	resp, err := w.slack.GetConversationHistoryContext(ctx, &slack.GetConversationHistoryParameters{
		ChannelID: room.ChannelID, Limit: 100, IncludeAllMetadata: true})
	if err != nil {
		return "", err
	}
	want := strconv.FormatInt(room.DealID, 10)
	for _, m := range resp.Messages {
		if m.Metadata.EventType == cardEvent && fmt.Sprint(m.Metadata.EventPayload["deal_id"]) == want {
			return m.Timestamp, nil
		}
	}
	return "", nil
}

// giveUp is the refusal told when Slack never answered.
func giveUp(err error) sales.RoomRefusal {
	if sr, ok := refusalOf(err); ok {
		return sales.RoomRefusal{Op: sr.Op, Code: sr.Code, Needed: sr.Needed}
	}
	return sales.RoomRefusal{Op: "create", Code: "no_answer"}
}

// create makes the channel under the room's name, or the name with -2, -3,
// … while Slack answers name_taken. Each name is recorded before it is
// tried: an attempt that stopped after Slack made the channel and before
// recording its ID left that name, so a retry starts from it and, told
// name_taken, adopts the channel of that name the bot made instead of
// making a second.
func (w *openWorker) create(ctx context.Context, work sales.RoomWork) (string, string, error) {
	room, recorded := work.Room, work.Room.Name
	var err error
	for i := firstTry(work.Name, recorded); i <= maxNameTries; i++ {
		name := pipeline.RoomNameTry(work.Name, i)
		if name != recorded {
			if err := w.uc.RoomNameTried(ctx, room.WorkspaceID, room.DealID, name); err != nil {
				return "", "", err
			}
		}
		var id string
		id, err = w.slack.CreateChannel(ctx, name, room.Private)
		if err == nil {
			return id, name, nil
		}
		if !errors.Is(err, commands.ErrNameTaken) {
			return "", "", err
		}
		if name != recorded {
			continue
		}
		if id, ok, err := w.ownChannel(ctx, name); err != nil || ok {
			return id, name, err
		}
	}
	return "", "", err
}

// firstTry is the try of name a retry starts from: the one an earlier
// attempt recorded (the tries before it were taken), or the first.
func firstTry(name, recorded string) int {
	for i := 1; i <= maxNameTries && recorded != ""; i++ {
		if pipeline.RoomNameTry(name, i) == recorded {
			return i
		}
	}
	return 1
}

// ownChannel is the channel called name when the bot made it and it is
// not archived. Slack refusing the lookup (a scope missing) counts as
// none: the room gets the next name, as before the lookup existed.
func (w *openWorker) ownChannel(ctx context.Context, name string) (string, bool, error) {
	id, creator, archived, found, err := w.slack.ChannelByName(ctx, name)
	if _, refused := final(err); refused {
		w.r.cfg.Log.Warn("room channel lookup refused", "name", name, "error", err)
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	return id, adoptable(found, creator, archived, w.r.cfg.BotUser), nil
}

// adoptable is whether a channel found under a room's recorded name is
// the room's own: made by the bot and not archived. Without the bot's ID
// nothing is.
func adoptable(found bool, creator string, archived bool, bot string) bool {
	return found && bot != "" && creator == bot && !archived
}

// transientCodes are Slack's error answers that say nothing of the call
// itself: asking again may work.
var transientCodes = map[string]bool{"internal_error": true, "fatal_error": true, "ratelimited": true,
	"request_timeout": true, "service_unavailable": true}

// inviteRefused is Slack refusing an invitation: any error answer but the
// transient ones, with Slack's own code, whether salesbot sorts it or not
// (cant_invite, user_is_restricted, …). Asking again would not change it,
// so the person is skipped; no answer, a 5xx or a rate limit is retried.
func inviteRefused(err error) (sales.RoomRefusal, bool) {
	sr, ok := refusalOf(err)
	if !ok || transientCodes[sr.Code] {
		return sales.RoomRefusal{}, false
	}
	return sales.RoomRefusal{Op: sr.Op, Code: sr.Code, Needed: sr.Needed}, true
}

// noAnswer is the problem told for step op that Slack never did on the
// job's last attempt: Slack's code when it answered one, else no_answer.
func noAnswer(op string, err error) sales.RoomRefusal {
	if sr, ok := refusalOf(err); ok {
		return sales.RoomRefusal{Op: op, Code: sr.Code, Needed: sr.Needed}
	}
	return sales.RoomRefusal{Op: op, Code: "no_answer"}
}

// invite invites users to channelID. When Slack refuses the whole call
// because of one of them, each is invited alone and those refused are
// skipped, as problems; other errors are returned for a retry.
func (j *jobs) invite(ctx context.Context, channelID string, users []string) ([]sales.RoomRefusal, error) {
	err := j.slack.InviteToChannel(ctx, channelID, users...)
	why, refused := inviteRefused(err)
	switch {
	case err == nil:
		return nil, nil
	case !refused:
		return nil, err
	case len(users) == 1:
		why.User = users[0]
		return []sales.RoomRefusal{why}, nil
	}
	var problems []sales.RoomRefusal
	for _, u := range users {
		err := j.slack.InviteToChannel(ctx, channelID, u)
		if why, refused := inviteRefused(err); refused {
			why.User = u
			problems = append(problems, why)
		} else if err != nil {
			return problems, err
		}
	}
	return problems, nil
}

type inviteWorker struct {
	river.WorkerDefaults[inviteArgs]
	*jobs
}

func (w *inviteWorker) NextRetry(job *river.Job[inviteArgs]) time.Time { return nextRetry(job.Attempt) }

// Work invites a person added to an open room; a room not open (still
// opening: it invites them itself; archived) is left alone, and Slack
// refusing that person is told to who added them.
func (w *inviteWorker) Work(ctx context.Context, job *river.Job[inviteArgs]) error {
	a := job.Args
	work, ok, err := w.uc.RoomWork(ctx, a.Team, a.DealID)
	if err != nil || !ok || work.Room.State != pipeline.RoomOpen {
		return err
	}
	problems, err := w.invite(ctx, work.Room.ChannelID, []string{a.User})
	for _, p := range problems {
		if err := w.uc.RoomInviteRefused(ctx, a.Team, a.DealID, a.User, p); err != nil {
			return err
		}
	}
	return err
}

type sweepWorker struct {
	river.WorkerDefaults[sweepArgs]
	*jobs
}

// Work archives the workspace's open rooms whose time has come, by the use
// cases' clock. A channel archived already, gone, or that salesbot was
// removed from counts as archived: salesbot can do nothing more there, and
// mirroring into it stops. Any other failure is logged and that room tried
// again next sweep; the others go on.
func (w *sweepWorker) Work(ctx context.Context, job *river.Job[sweepArgs]) error {
	team := job.Args.Team
	due, err := w.uc.RoomsToArchive(ctx, team)
	if err != nil {
		return err
	}
	for _, room := range due {
		err := w.slack.ArchiveChannel(ctx, room.ChannelID)
		if errors.Is(err, commands.ErrChannelArchived) || errors.Is(err, commands.ErrChannelNotFound) || errors.Is(err, commands.ErrNotInChannel) {
			err = nil
		}
		if err == nil {
			err = w.uc.RoomArchived(ctx, team, room.ChannelID)
		}
		if err != nil {
			w.r.cfg.Log.Warn("room not archived; next sweep tries again", "team_id", team, "deal_id", room.DealID, "error", err)
		}
	}
	return nil
}
