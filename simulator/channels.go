package simulator

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"salesbot/internal/slackfake"
)

// Channels the bot makes (deal rooms), what people post and do in them, and
// message shortcuts. As in Slack, the bot hears only what the manifest
// subscribes to: message events need message.channels (message.groups for
// private channels), renames and archives their channel_* or group_*
// events, and a message's "…" menu offers the manifest's message shortcuts.

// Shortcut is a shortcut from the app manifest.
type Shortcut struct {
	Name        string `json:"name"`
	Type        string `json:"type"` // global or message
	CallbackID  string `json:"callback_id"`
	Description string `json:"description"`
}

// manifestList reads the list under the key section of a manifest: its
// "- k: v" entries as maps, and its "- value" entries as scalars. Like
// parseCommands, it reads only the flat lists the manifest uses.
func manifestList(manifest []byte, section string) (entries []map[string]string, scalars []string) {
	in, indent := false, 0
	sc := bufio.NewScanner(bytes.NewReader(manifest))
	for sc.Scan() {
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		n := len(line) - len(strings.TrimLeft(line, " "))
		if trimmed == section+":" {
			in, indent = true, n
			continue
		}
		if in && n <= indent && !strings.HasPrefix(trimmed, "- ") {
			in = false
		}
		if !in {
			continue
		}
		item, isNew := strings.CutPrefix(trimmed, "- ")
		key, value, ok := strings.Cut(item, ":")
		switch {
		case !ok && isNew:
			scalars = append(scalars, unquote(strings.TrimSpace(item)))
		case ok:
			if isNew || len(entries) == 0 {
				entries = append(entries, map[string]string{})
			}
			entries[len(entries)-1][strings.TrimSpace(key)] = unquote(strings.TrimSpace(value))
		}
	}
	return entries, scalars
}

// parseShortcuts reads features.shortcuts from the manifest.
func parseShortcuts(manifest []byte) []Shortcut {
	entries, _ := manifestList(manifest, "shortcuts")
	var out []Shortcut
	for _, e := range entries {
		out = append(out, Shortcut{Name: e["name"], Type: e["type"], CallbackID: e["callback_id"], Description: e["description"]})
	}
	return out
}

// parseBotEvents reads settings.event_subscriptions.bot_events.
func parseBotEvents(manifest []byte) map[string]bool {
	_, names := manifestList(manifest, "bot_events")
	out := map[string]bool{}
	for _, n := range names {
		out[n] = true
	}
	return out
}

// subscription is the manifest's name for the event an app gets: message
// events come under message.channels, message.groups or message.im.
func subscription(ev map[string]any) string {
	typ, _ := ev["type"].(string)
	if typ == "message" {
		switch ev["channel_type"] {
		case "group":
			return "message.groups"
		case "im":
			return "message.im"
		}
		return "message.channels"
	}
	return typ
}

// sendEvent sends ev to the bot when the manifest subscribes to it, and
// waits for the ack in the background.
func (s *Server) sendEvent(ev map[string]any) {
	if !s.botEvents[subscription(ev)] {
		return
	}
	s.goTracked(func() {
		ctx, cancel := contextWithDeadline(s, ackDeadline)
		defer cancel()
		id, err := s.fake.SendEvent(ctx, TeamID, ev)
		if err == nil {
			_, err = s.waitAck(id)
		}
		if err != nil {
			s.log.Warn("event was not acked in time", "type", ev["type"], "error", err)
		}
	})
}

// postAsPerson stores what a person typed in a channel and, when the bot is
// a member, tells it with a message event.
func (s *Server) postAsPerson(p Person, channel, text string) {
	m := s.fake.AddMessage(slackfake.Message{Channel: channel, User: p.ID, Text: linkify(text), Via: "user"})
	if ch, ok := s.fake.Channel(m.Channel); ok && slices.Contains(ch.Members, slackfake.BotUserID) && !ch.BotAbsent {
		s.sendEvent(s.fake.MessageEvent(m))
	}
}

// echoBotPosts sends the bot's own channel posts back to it as message
// events, as Slack does for an app subscribed to message.channels, so that
// not answering its own posts can be tried here too.
func (s *Server) echoBotPosts() {
	if !s.botEvents["message.channels"] && !s.botEvents["message.groups"] {
		return
	}
	for _, m := range s.fake.Messages("") {
		if m.Ephemeral || m.User != slackfake.BotUserID || m.Via != "chat.postMessage" {
			continue
		}
		s.mu.Lock()
		done := s.seen[echoKey(m)]
		s.seen[echoKey(m)] = true
		s.mu.Unlock()
		if ch, ok := s.fake.Channel(m.Channel); !done && ok && slices.Contains(ch.Members, slackfake.BotUserID) && !ch.BotAbsent {
			s.sendEvent(s.fake.MessageEvent(m))
		}
	}
}

func echoKey(m slackfake.Message) string { return "echo:" + m.Channel + "/" + m.TS }

// archived reports whether channel is an archived channel; Slack lets no one
// post there.
func (s *Server) archived(channel string) bool {
	ch, ok := s.fake.Channel(channel)
	return ok && ch.Archived
}

// channelJSON is a channel as the page lists it.
type channelJSON struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Private  bool   `json:"private"`
	Archived bool   `json:"archived"`
	Member   bool   `json:"member"`
}

// channelsFor lists the channels user sees: every public channel and the
// private ones they are in.
func (s *Server) channelsFor(user string) []channelJSON {
	out := []channelJSON{}
	for _, ch := range s.fake.Channels() {
		member := slices.Contains(ch.Members, user)
		if ch.IsPrivate && !member {
			continue
		}
		out = append(out, channelJSON{ID: ch.ID, Name: ch.Name, Private: ch.IsPrivate, Archived: ch.Archived, Member: member})
	}
	return out
}

// handleShortcut sends the message_action of a message shortcut that the
// person chose in a message's "…" menu.
func (s *Server) handleShortcut(w http.ResponseWriter, r *http.Request) {
	var in struct {
		User       string `json:"user"`
		Channel    string `json:"channel"`
		TS         string `json:"ts"`
		CallbackID string `json:"callback_id"`
	}
	if !readJSON(w, r, &in) {
		return
	}
	p, ok := s.person(in.User)
	if !ok {
		http.Error(w, "unknown user", http.StatusBadRequest)
		return
	}
	known := slices.ContainsFunc(s.shortcuts, func(sc Shortcut) bool { return sc.Type == "message" && sc.CallbackID == in.CallbackID })
	if !known {
		http.Error(w, "the manifest has no message shortcut "+in.CallbackID, http.StatusBadRequest)
		return
	}
	found := slices.ContainsFunc(s.fake.Messages(in.Channel), func(m slackfake.Message) bool { return m.TS == in.TS && !m.Ephemeral })
	if !found {
		// Slack offers no shortcuts on ephemeral messages.
		http.Error(w, "unknown message", http.StatusNotFound)
		return
	}
	s.goTracked(func() {
		ctx, cancel := contextWithDeadline(s, ackDeadline)
		defer cancel()
		id, err := s.fake.SendMessageShortcut(ctx, slackfake.MessageShortcut{TeamID: TeamID, UserID: p.ID, UserName: p.Name,
			CallbackID: in.CallbackID, Channel: in.Channel, MessageTS: in.TS})
		if err == nil {
			s.ownTrigger(id, p.ID)
			_, err = s.waitAck(id)
		}
		if err != nil {
			s.slackbot(in.Channel, p.ID, "salesbot did not respond to that shortcut in time ("+err.Error()+").")
		}
	})
	writeJSON(w, http.StatusOK, map[string]any{"ok": true})
}

// ownTrigger gives the trigger_id of a sent envelope to user, so the modal
// it opens goes on their stack.
func (s *Server) ownTrigger(envID, user string) {
	env, ok := s.fake.Envelope(envID)
	if !ok {
		return
	}
	var pl struct {
		TriggerID string `json:"trigger_id"`
	}
	_ = json.Unmarshal(env.Payload, &pl)
	s.mu.Lock()
	s.triggers[pl.TriggerID] = user
	s.mu.Unlock()
	s.fake.Notify() // a modal the bot opened already is placed now
}

// handleChannel does what a person does to a channel in Slack's own menus:
// rename or archive it. The bot hears of it through the subscribed events.
func (s *Server) handleChannel(w http.ResponseWriter, r *http.Request) {
	var in struct {
		User    string `json:"user"`
		Channel string `json:"channel"`
		Op      string `json:"op"` // rename or archive
		Name    string `json:"name"`
	}
	if !readJSON(w, r, &in) {
		return
	}
	p, ok := s.person(in.User)
	if !ok {
		http.Error(w, "unknown user", http.StatusBadRequest)
		return
	}
	var ev map[string]any
	var err error
	switch in.Op {
	case "rename":
		ev, err = s.fake.RenameChannel(in.Channel, strings.TrimPrefix(strings.TrimSpace(in.Name), "#"))
	case "archive":
		ev, err = s.fake.ArchiveChannel(in.Channel, p.ID)
	default:
		http.Error(w, "op must be rename or archive", http.StatusBadRequest)
		return
	}
	if err != nil {
		// What Slack's client says, by the API's error code.
		writeJSON(w, http.StatusOK, map[string]any{"ok": false, "error": err.Error(),
			"message": fmt.Sprintf("Slack refused: %s", channelRefusal(err.Error()))})
		return
	}
	s.sendEvent(ev)
	writeJSON(w, http.StatusOK, map[string]any{"ok": true})
}

// channelRefusal is what Slack's client shows for a refused channel name.
func channelRefusal(code string) string {
	switch code {
	case "invalid_name_specials":
		return "channel names can only contain lowercase letters, numbers, hyphens, and underscores."
	case "invalid_name_maxlength":
		return "channel names must be 80 characters or fewer."
	case "invalid_name_required", "invalid_name_punctuation":
		return "channel names need at least one letter or number."
	case "name_taken":
		return "that name is already taken by a channel, username, or user group."
	case "already_archived", "is_archived":
		return "the channel is archived."
	}
	return code
}
