package simulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"salesbot/internal/slackfake"
)

// What a person does on the page becomes the envelope Slack would send.

func readJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(v); err != nil {
		http.Error(w, "bad request: "+err.Error(), http.StatusBadRequest)
		return false
	}
	return true
}

func (s *Server) person(id string) (Person, bool) {
	for _, p := range people {
		if p.ID == id {
			return p, true
		}
	}
	return Person{}, false
}

func (s *Server) channelName(id string) string {
	for _, ch := range s.fake.Channels() {
		if ch.ID == id {
			return ch.Name
		}
	}
	if strings.HasPrefix(id, "D") {
		return "directmessage"
	}
	return id
}

// handleCommand takes what the person typed in the composer: a slash command
// goes to the bot as a slash_commands envelope; anything else is posted as
// their own message, with a message event when the bot is in the channel
// and the manifest subscribes to it.
func (s *Server) handleCommand(w http.ResponseWriter, r *http.Request) {
	var in struct{ User, Channel, Text string }
	if !readJSON(w, r, &in) {
		return
	}
	p, ok := s.person(in.User)
	text := strings.TrimSpace(in.Text)
	if !ok || in.Channel == "" || text == "" {
		http.Error(w, "user, channel and text are required", http.StatusBadRequest)
		return
	}
	if s.archived(in.Channel) {
		s.slackbot(in.Channel, p.ID, "You can't post in this channel: it has been archived.")
		writeJSON(w, http.StatusOK, map[string]any{"ok": true})
		return
	}
	if !strings.HasPrefix(text, "/") {
		s.postAsPerson(p, in.Channel, text)
		writeJSON(w, http.StatusOK, map[string]any{"ok": true})
		return
	}
	command, args, _ := strings.Cut(text, " ")
	known, ok := s.command(command)
	if !ok {
		s.slackbot(in.Channel, p.ID, fmt.Sprintf("%s is not a valid command. In Slack, all messages that start with the \"/\" character are interpreted as commands.", command))
		writeJSON(w, http.StatusOK, map[string]any{"ok": true})
		return
	}
	args = s.slashText(strings.TrimSpace(args), known.ShouldEscape)
	s.goTracked(func() { s.slash(p, in.Channel, command, args) })
	writeJSON(w, http.StatusOK, map[string]any{"ok": true})
}

func (s *Server) command(c string) (Command, bool) {
	for _, k := range s.commands {
		if k.Command == c {
			return k, true
		}
	}
	return Command{}, false
}

// slash sends the command and shows its ack payload as Slack does: as an
// ephemeral reply, or in the channel for response_type in_channel.
func (s *Server) slash(p Person, channel, command, text string) {
	ctx, cancel := contextWithDeadline(s, ackDeadline)
	defer cancel()
	envID, err := s.fake.SendSlashCommand(ctx, slackfake.SlashCommand{TeamID: TeamID, ChannelID: channel,
		UserID: p.ID, UserName: p.Name, Command: command, Text: text})
	if err != nil {
		s.slackbot(channel, p.ID, fmt.Sprintf("%s failed with the error \"dispatch_failed\" (salesbot is not connected).", command))
		return
	}
	if env, ok := s.fake.Envelope(envID); ok {
		var pl struct {
			TriggerID string `json:"trigger_id"`
		}
		_ = json.Unmarshal(env.Payload, &pl)
		s.mu.Lock()
		s.triggers[pl.TriggerID] = p.ID
		s.mu.Unlock()
		s.fake.Notify() // a modal the bot opened already is placed now
	}
	ack, err := s.waitAck(envID)
	if err != nil {
		s.slackbot(channel, p.ID, fmt.Sprintf("%s failed with the error \"operation_timeout\".", command))
		return
	}
	s.showAckMessage(channel, p.ID, command, ack.Payload)
}

// showAckMessage turns a slash command's ack payload into a message.
func (s *Server) showAckMessage(channel, user, command string, payload json.RawMessage) {
	if len(payload) == 0 || string(payload) == "null" || string(payload) == "{}" {
		return
	}
	if len(payload) > 20480 {
		s.slackbot(channel, user, fmt.Sprintf("salesbot's reply to %s was dropped: an ack payload must be under 20,480 bytes (this one is %d).", command, len(payload)))
		return
	}
	var msg struct {
		ResponseType string          `json:"response_type"`
		Text         string          `json:"text"`
		Blocks       json.RawMessage `json:"blocks"`
	}
	if err := json.Unmarshal(payload, &msg); err != nil {
		s.slackbot(channel, user, fmt.Sprintf("salesbot answered %s with an ack payload that is not a message: %v", command, err))
		return
	}
	if string(msg.Blocks) == "null" {
		msg.Blocks = nil
	}
	if errs := slackfake.ValidateBlocks(msg.Blocks, slackfake.SurfaceMessage, "/blocks"); errs != nil {
		s.slackbot(channel, user, fmt.Sprintf("Slack would not show salesbot's reply to %s (invalid_blocks):\n%s", command, strings.Join(errs, "\n")))
		return
	}
	if msg.Text == "" && msg.Blocks == nil {
		return
	}
	m := slackfake.Message{Channel: channel, Text: msg.Text, Blocks: msg.Blocks, User: user, Ephemeral: true, Via: "ack"}
	if msg.ResponseType == "in_channel" {
		m.User, m.Ephemeral = slackfake.BotUserID, false
	}
	s.fake.AddMessage(m)
}

// handleHome sends app_home_opened, as Slack does when someone opens the
// app's Home tab.
func (s *Server) handleHome(w http.ResponseWriter, r *http.Request) {
	var in struct{ User string }
	if !readJSON(w, r, &in) {
		return
	}
	if _, ok := s.person(in.User); !ok {
		http.Error(w, "unknown user", http.StatusBadRequest)
		return
	}
	event := map[string]any{"type": "app_home_opened", "user": in.User, "channel": "D" + in.User, "tab": "home",
		"event_ts": fmt.Sprintf("%d.000100", s.now().Unix())}
	if v, ok := s.fake.HomeView(in.User); ok {
		event["view"] = json.RawMessage(v.JSON)
	}
	s.goTracked(func() {
		ctx, cancel := contextWithDeadline(s, ackDeadline)
		defer cancel()
		if id, err := s.fake.SendEvent(ctx, TeamID, event); err == nil {
			if _, err := s.waitAck(id); err != nil {
				s.log.Warn("app_home_opened was not acked in time", "user", in.User, "error", err)
			}
		}
	})
	writeJSON(w, http.StatusOK, map[string]any{"ok": true})
}
