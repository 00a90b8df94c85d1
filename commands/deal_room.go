package commands

import (
	"context"
	"encoding/json"
	"errors"
	"strings"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"salesbot/pipeline"
	"salesbot/render"
	"salesbot/sales"
)

const roomUsage = "/deal room D-42 [add @person]"

// roomUseCases are the use cases of deal rooms.
type roomUseCases interface {
	OpenRoom(ctx context.Context, in sales.OpenRoom) (sales.RoomAsked, error)
	AddRoomMember(ctx context.Context, in sales.AddRoomMember) (sales.RoomMemberAdded, error)
	FollowRoomRename(ctx context.Context, team, channelID, name string) error
	FollowRoomArchive(ctx context.Context, team, channelID string, archived bool) error
	FollowRoomDelete(ctx context.Context, team, channelID string) error
	RoomSettings(ctx context.Context, team string) (pipeline.RoomSettings, error)
}

// dealRoom handles "/deal room D-42" (asks for the deal's room) and
// "/deal room D-42 add @person" (adds someone to it).
func (a *App) dealRoom(ctx context.Context, in SlashInput) Reply {
	n, rest, err := splitRef(in.Rest, roomUsage)
	var user string
	if err == nil && rest != "" {
		verb, who, _ := strings.Cut(rest, " ")
		if !strings.EqualFold(verb, "add") {
			err = badInput(render.AfterRef(rest, roomUsage))
		} else {
			var ids []string
			if ids, err = parseMentions(strings.Fields(who), 1, roomUsage); err == nil && len(ids) > 1 {
				err = badInput(render.AfterRef(strings.Join(strings.Fields(who)[1:], " "), roomUsage))
			} else if err == nil {
				user = ids[0]
			}
		}
	}
	if err != nil {
		return Reply{Ack: ephemeral(a.userError(err, in.TeamID, in.UserID))}
	}
	return a.later(in, func(ctx context.Context, actor pipeline.User, _ pipeline.Settings) (message, error) {
		if user != "" {
			res, err := a.sales.AddRoomMember(ctx, sales.AddRoomMember{Team: actor.WorkspaceID, Actor: actor, Number: n,
				User: user, IdempotencyKey: in.key()})
			if err != nil {
				return roomRefusal(err)
			}
			return ephemeral(render.RoomMemberAnswer(res)), nil
		}
		return a.openRoom(ctx, actor, n, in.key())
	})
}

// openRoom asks for deal n's room for actor, under key.
func (a *App) openRoom(ctx context.Context, actor pipeline.User, n int64, key string) (message, error) {
	res, err := a.sales.OpenRoom(ctx, sales.OpenRoom{Team: actor.WorkspaceID, Actor: actor, Number: n, IdempotencyKey: key})
	if err != nil {
		return message{}, err
	}
	return ephemeral(render.RoomAskedAnswer(res)), nil
}

// roomRefusal words the refusals particular to rooms; others go on to
// userError.
func roomRefusal(err error) (message, error) {
	var archived sales.ErrRoomArchived
	if errors.As(err, &archived) {
		return ephemeral(render.RoomArchivedRefusal(archived)), nil
	}
	return message{}, err
}

// openRoomButton handles the card's "Open deal room" button: it answers
// beside the card, which keeps its buttons.
func (a *App) openRoomButton(cb slack.InteractionCallback, n int64) Reply {
	return a.buttonReply(cb, func(ctx context.Context, actor pipeline.User) (message, error) {
		return a.openRoom(ctx, actor, n, actionKey(cb))
	})
}

// roomEvents are the channel events a deal room follows, and whether each
// archives (true) or unarchives (false) it; a rename is neither.
var roomEvents = map[string]*bool{
	"channel_rename": nil, "group_rename": nil,
	"channel_archive": ptr(true), "group_archive": ptr(true),
	"channel_unarchive": ptr(false), "group_unarchive": ptr(false),
}

func ptr[T any](v T) *T { return &v }

// roomDeleteEvents are a channel deleted in Slack: a deal room deleted
// is forgotten, so that a new one can be asked for.
var roomDeleteEvents = map[string]bool{"channel_deleted": true, "group_deleted": true}

// roomEvent follows, after the ack, what a person did to a channel in
// Slack when it is a deal room: a rename is recorded (salesbot never
// renames it back), an archive or unarchive moves the room's state. The
// use cases ignore other channels, and a redelivery writes the same state
// again. False when ev is no such event.
func (a *App) roomEvent(ev slackevents.EventsAPIEvent) (Reply, bool) {
	archive, ok := roomEvents[ev.InnerEvent.Type]
	deleted := roomDeleteEvents[ev.InnerEvent.Type]
	if !ok && !deleted {
		return Reply{}, false
	}
	// channel is an ID in (un)archive events, {id, name} in renames.
	var body struct {
		Channel json.RawMessage `json:"channel"`
	}
	var ch struct{ ID, Name string }
	raw, err := json.Marshal(ev.InnerEvent.Data)
	if err == nil {
		err = json.Unmarshal(raw, &body)
	}
	if err == nil && (archive != nil || deleted) {
		err = json.Unmarshal(body.Channel, &ch.ID)
	} else if err == nil {
		err = json.Unmarshal(body.Channel, &ch)
	}
	if err != nil || ch.ID == "" {
		a.log.Warn("channel event without its channel", "type", ev.InnerEvent.Type, "team", ev.TeamID)
		return Reply{}, true
	}
	team := ev.TeamID
	return Reply{Later: func(ctx context.Context) error {
		ctx, cancel := context.WithTimeout(ctx, dbTimeout)
		defer cancel()
		if deleted {
			return a.sales.FollowRoomDelete(ctx, team, ch.ID)
		}
		if archive != nil {
			return a.sales.FollowRoomArchive(ctx, team, ch.ID, *archive)
		}
		return a.sales.FollowRoomRename(ctx, team, ch.ID, ch.Name)
	}}, true
}
