package slackfake

import (
	"context"
	"errors"
	"fmt"
	"slices"
)

// What people do in channels, as Slack tells an app about it: a message
// posted, a channel renamed or archived, someone joining, and a message
// shortcut. The channel methods change the fake's state and return the event
// Slack sends about it, for SendEvent, so what the bot reads back through the
// Web API agrees with the event it gets; an app only gets the events it
// subscribes to, which is the caller's choice.

// channelType is the channel_type of message events: channel, group (a
// private channel) or im.
func (s *Server) channelType(id string) string {
	s.mu.Lock()
	ch := s.channelLocked(id)
	s.mu.Unlock()
	switch {
	case len(id) > 0 && id[0] == 'D':
		return "im"
	case ch.IsPrivate:
		return "group"
	}
	return "channel"
}

// PostAsUser stores m as posted by m.User (a person, or another app with
// BotID set) and sends the message event Slack sends to an app subscribed to
// message.channels / message.groups. It returns the stored message and the
// envelope ID.
func (s *Server) PostAsUser(ctx context.Context, m Message) (Message, string, error) {
	if m.User == "" || m.Channel == "" {
		return m, "", fmt.Errorf("slackfake: PostAsUser needs a user and a channel")
	}
	if m.Via == "" {
		m.Via = "user"
	}
	m = s.AddMessage(m)
	id, err := s.SendEvent(ctx, "", s.MessageEvent(m))
	return m, id, err
}

// MessageEvent is the message event of a stored message, e.g. to echo one
// of the bot's own posts back to it as Slack does.
func (s *Server) MessageEvent(m Message) map[string]any {
	ev := messageJSON(m)
	ev["channel"] = m.Channel
	ev["channel_type"] = s.channelType(m.Channel)
	ev["event_ts"] = m.TS
	if m.User != BotUserID && m.BotID == "" {
		ev["client_msg_id"] = s.nextID("msg-")
	}
	return ev
}

// RenameChannel renames channel id as a person would in Slack and returns
// channel_rename (group_rename for a private channel). The name is checked
// like conversations.rename's; the error is Slack's code.
func (s *Server) RenameChannel(id, name string) (map[string]any, error) {
	if code := ChannelNameError(name); code != "" {
		return nil, errors.New(code)
	}
	ch, ts, err := s.changeChannel(id, func(ch *Channel) string {
		switch {
		case ch.Archived:
			return "is_archived"
		case s.nameTakenLocked(name, id):
			return "name_taken"
		}
		ch.Name = name
		return ""
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"type": byPrivacy(ch, "channel_rename", "group_rename"), "event_ts": ts,
		"channel": map[string]any{"id": id, "name": name, "created": ch.Created}}, nil
}

// ArchiveChannel archives channel id as user would in Slack and returns
// channel_archive (group_archive for a private channel).
func (s *Server) ArchiveChannel(id, user string) (map[string]any, error) {
	ch, ts, err := s.changeChannel(id, func(ch *Channel) string {
		if ch.Archived {
			return "already_archived"
		}
		ch.Archived = true
		return ""
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"type": byPrivacy(ch, "channel_archive", "group_archive"), "channel": id, "user": user, "event_ts": ts}, nil
}

// JoinChannel adds user to channel id (invited by inviter, "" when they
// joined by themselves) unless already there, and returns
// member_joined_channel, whose channel_type is "C" or "G".
func (s *Server) JoinChannel(id, user, inviter string) (map[string]any, error) {
	ch, ts, err := s.changeChannel(id, func(ch *Channel) string {
		if !slices.Contains(ch.Members, user) {
			ch.Members = append(slices.Clone(ch.Members), user)
		}
		return ""
	})
	if err != nil {
		return nil, err
	}
	ev := map[string]any{"type": "member_joined_channel", "user": user, "channel": id, "channel_type": byPrivacy(ch, "C", "G"),
		"team": TeamID, "event_ts": ts}
	if inviter != "" {
		ev["inviter"] = inviter
	}
	return ev, nil
}

// changeChannel applies change to channel id under the lock (change answers
// Slack's error code, "" to go on), keeps it and tells the page; it returns
// the channel as changed and the event's ts.
func (s *Server) changeChannel(id string, change func(*Channel) string) (Channel, string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch, ok := s.channels[id]
	if !ok {
		return ch, "", errors.New("channel_not_found")
	}
	if code := change(&ch); code != "" {
		return ch, "", errors.New(code)
	}
	s.channels[id] = ch
	ts := s.nextTSLocked()
	s.broadcastLocked()
	return ch, ts, nil
}

// byPrivacy is public for a public channel, private for a private one.
func byPrivacy(ch Channel, public, private string) string {
	if ch.IsPrivate {
		return private
	}
	return public
}

// MessageShortcut is a person choosing an app's message shortcut (the "…"
// menu of a message). Empty TeamID means TeamID.
type MessageShortcut struct {
	TeamID, UserID, UserName string
	CallbackID               string
	Channel, MessageTS       string // the message it was used on; it must be stored
}

// SendMessageShortcut sends the message_action interaction Slack sends for a
// message shortcut: the whole message, its channel, a fresh trigger_id and a
// response_url for that channel. It returns the envelope ID.
func (s *Server) SendMessageShortcut(ctx context.Context, sc MessageShortcut) (string, error) {
	if sc.TeamID == "" {
		sc.TeamID = TeamID
	}
	channel := dmChannel(sc.Channel)
	s.mu.Lock()
	i := s.findLocked(channel, sc.MessageTS)
	var m Message
	if i >= 0 {
		m = s.messages[channel][i]
	}
	name := s.channelLocked(channel).Name
	actionTS := s.nextTSLocked()
	s.mu.Unlock()
	if i < 0 {
		return "", fmt.Errorf("slackfake: no message %s in %s", sc.MessageTS, channel)
	}
	if name == "" {
		name = "directmessage"
	}
	payload := map[string]any{
		"type":                  "message_action",
		"token":                 "fake-verification-token",
		"callback_id":           sc.CallbackID,
		"action_ts":             actionTS,
		"message_ts":            m.TS,
		"trigger_id":            s.NewTriggerID(),
		"response_url":          s.NewResponseURL(channel, sc.UserID),
		"team":                  map[string]any{"id": sc.TeamID, "domain": "fake"},
		"user":                  map[string]any{"id": sc.UserID, "name": sc.UserName, "username": sc.UserName, "team_id": sc.TeamID},
		"channel":               map[string]any{"id": channel, "name": name},
		"message":               messageJSON(m),
		"api_app_id":            AppID,
		"is_enterprise_install": false,
	}
	return s.SendInteraction(ctx, payload)
}
