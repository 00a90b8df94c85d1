package slackfake

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// SlashCommand is what a user typed. Empty TeamID means TeamID; the fake
// fills trigger_id, response_url and api_app_id itself.
type SlashCommand struct {
	TeamID, ChannelID, UserID, UserName, Command, Text string
}

// Envelope is a Socket Mode envelope the fake sent.
type Envelope struct {
	ID           string
	Type         string // slash_commands, interactive, events_api, or whatever SendRaw sent
	Payload      json.RawMessage
	RetryAttempt int
	RetryReason  string
	// RedeliveryOf is the ID of the first delivery when this is a
	// redelivery, else empty.
	RedeliveryOf string
	SentAt       time.Time
}

// Ack is a frame the client sent back for an envelope.
type Ack struct {
	EnvelopeID string
	Payload    json.RawMessage // nil when the ack carried no payload
	Latency    time.Duration   // from writing the envelope to reading this ack; 0 if the envelope is unknown
	At         time.Time
}

// SendSlashCommand sends a slash_commands envelope and returns its envelope ID.
// The trigger ID and response URL it carries can be read back with Envelope.
//
// Like every Send method, it waits for a connected client when there is none
// (for instance right after Disconnect) until ctx ends, so tests need not race
// the client's reconnect.
func (s *Server) SendSlashCommand(ctx context.Context, cmd SlashCommand) (string, error) {
	if cmd.TeamID == "" {
		cmd.TeamID = TeamID
	}
	payload := map[string]string{
		"token":        "fake-verification-token",
		"team_id":      cmd.TeamID,
		"team_domain":  "fake",
		"channel_id":   cmd.ChannelID,
		"user_id":      cmd.UserID,
		"user_name":    cmd.UserName,
		"command":      cmd.Command,
		"text":         cmd.Text,
		"trigger_id":   s.NewTriggerID(),
		"response_url": s.NewResponseURL(cmd.ChannelID, cmd.UserID),
		"api_app_id":   AppID,
	}
	return s.send(ctx, "slash_commands", payload, true, 0, "")
}

// SendInteraction sends an interactive envelope; payload is marshalled as is
// (a map, a slack.InteractionCallback, …).
func (s *Server) SendInteraction(ctx context.Context, payload any) (string, error) {
	return s.send(ctx, "interactive", payload, true, 0, "")
}

// SendEvent wraps event in an event_callback with a fresh event_id and sends it
// as an events_api envelope.
func (s *Server) SendEvent(ctx context.Context, teamID string, event any) (string, error) {
	if teamID == "" {
		teamID = TeamID
	}
	payload := map[string]any{
		"token":      "fake-verification-token",
		"team_id":    teamID,
		"api_app_id": AppID,
		"type":       "event_callback",
		"event_id":   s.nextID("Ev"),
		"event_time": time.Now().Unix(),
		"event":      event,
		"authorizations": []map[string]any{
			{"team_id": teamID, "user_id": BotUserID, "is_bot": true},
		},
	}
	return s.send(ctx, "events_api", payload, false, 0, "")
}

// Redeliver sends envelope envelopeID again under a new envelope ID with
// retry_attempt incremented, as Slack does after a late ack. An empty reason
// means "timeout".
func (s *Server) Redeliver(ctx context.Context, envelopeID, reason string) (string, error) {
	env, ok := s.Envelope(envelopeID)
	if !ok {
		return "", fmt.Errorf("slackfake: unknown envelope %q", envelopeID)
	}
	if reason == "" {
		reason = "timeout"
	}
	first := env.RedeliveryOf
	if first == "" {
		first = env.ID
	}
	return s.sendEnvelope(ctx, env.Type, env.Payload, env.Type != "events_api", env.RetryAttempt+1, reason, first)
}

func (s *Server) send(ctx context.Context, typ string, payload any, accepts bool, attempt int, reason string) (string, error) {
	return s.sendEnvelope(ctx, typ, payload, accepts, attempt, reason, "")
}

func (s *Server) sendEnvelope(ctx context.Context, typ string, payload any, accepts bool, attempt int, reason, first string) (string, error) {
	raw, err := json.Marshal(payload)
	if err != nil {
		return "", fmt.Errorf("slackfake: marshal payload: %w", err)
	}
	c, err := s.currentConn(ctx)
	if err != nil {
		return "", err
	}
	env := &Envelope{ID: s.nextID("env-"), Type: typ, Payload: raw, RetryAttempt: attempt, RetryReason: reason, RedeliveryOf: first}
	frame := map[string]any{
		"envelope_id":              env.ID,
		"type":                     typ,
		"accepts_response_payload": accepts,
		"payload":                  json.RawMessage(raw),
	}
	if attempt > 0 {
		frame["retry_attempt"] = attempt
		frame["retry_reason"] = reason
	}
	data, err := json.Marshal(frame)
	if err != nil {
		return "", err
	}
	s.registerEnvelope(env)
	for {
		s.noteSent(env.ID, c)
		err := c.write(data)
		if err == nil {
			return env.ID, nil
		}
		if !s.cfg.spread {
			return env.ID, fmt.Errorf("slackfake: write envelope: %w", err)
		}
		// The connection died under the write: Slack would deliver to
		// another one.
		s.retire(c)
		if c, err = s.currentConn(ctx); err != nil {
			return env.ID, err
		}
	}
}

// registerEnvelope stamps the send time before the write, so an ack can never
// be read before its envelope is known.
func (s *Server) registerEnvelope(env *Envelope) {
	s.mu.Lock()
	defer s.mu.Unlock()
	env.SentAt = time.Now()
	if _, dup := s.envs[env.ID]; !dup {
		s.envOrder = append(s.envOrder, env.ID)
	}
	s.envs[env.ID] = env
}

// SendRaw sends one frame: []byte, string and json.RawMessage go out verbatim
// (malformed input tests), anything else is marshalled. A frame with an
// envelope_id is registered like any envelope, so its ack gets a latency.
func (s *Server) SendRaw(ctx context.Context, envelope any) error {
	var data []byte
	switch v := envelope.(type) {
	case []byte:
		data = v
	case json.RawMessage:
		data = v
	case string:
		data = []byte(v)
	default:
		var err error
		if data, err = json.Marshal(v); err != nil {
			return fmt.Errorf("slackfake: marshal frame: %w", err)
		}
	}
	c, err := s.currentConn(ctx)
	if err != nil {
		return err
	}
	var head struct {
		EnvelopeID   string          `json:"envelope_id"`
		Type         string          `json:"type"`
		Payload      json.RawMessage `json:"payload"`
		RetryAttempt int             `json:"retry_attempt"`
		RetryReason  string          `json:"retry_reason"`
	}
	if json.Unmarshal(data, &head) == nil && head.EnvelopeID != "" {
		s.registerEnvelope(&Envelope{ID: head.EnvelopeID, Type: head.Type, Payload: head.Payload,
			RetryAttempt: head.RetryAttempt, RetryReason: head.RetryReason})
	}
	return c.write(data)
}

// Envelope returns a sent envelope by ID.
func (s *Server) Envelope(id string) (Envelope, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	env, ok := s.envs[id]
	if !ok {
		return Envelope{}, false
	}
	return *env, true
}

// Envelopes returns every envelope sent, in order.
func (s *Server) Envelopes() []Envelope {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Envelope, 0, len(s.envOrder))
	for _, id := range s.envOrder {
		out = append(out, *s.envs[id])
	}
	return out
}

// recordFrame stores a client frame as an ack, or as a stray frame when it is
// not JSON with an envelope_id.
func (s *Server) recordFrame(data []byte) {
	now := time.Now()
	var f struct {
		EnvelopeID string          `json:"envelope_id"`
		Payload    json.RawMessage `json:"payload"`
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	defer s.broadcastLocked()
	if json.Unmarshal(data, &f) != nil || f.EnvelopeID == "" {
		s.stray = append(s.stray, data)
		return
	}
	s.acked[f.EnvelopeID] = true
	ack := Ack{EnvelopeID: f.EnvelopeID, Payload: f.Payload, At: now}
	if env, ok := s.envs[f.EnvelopeID]; ok {
		ack.Latency = now.Sub(env.SentAt)
	}
	if _, ok := s.firstAck[f.EnvelopeID]; !ok {
		s.firstAck[f.EnvelopeID] = len(s.acks)
	}
	s.acks = append(s.acks, ack)
	if ch, ok := s.ackWait[f.EnvelopeID]; ok {
		delete(s.ackWait, f.EnvelopeID)
		ch <- ack
	}
}

// WaitAck returns the first ack for envelopeID, waiting for it if needed.
func (s *Server) WaitAck(ctx context.Context, envelopeID string) (Ack, error) {
	var ack Ack
	err := s.waitFor(ctx, func() bool {
		for _, a := range s.acks {
			if a.EnvelopeID == envelopeID {
				ack = a
				return true
			}
		}
		return false
	})
	if err != nil {
		return Ack{}, fmt.Errorf("slackfake: waiting for ack of %s: %w", envelopeID, err)
	}
	return ack, nil
}

// Acks returns every ack received, in order (duplicates included).
func (s *Server) Acks() []Ack {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Ack(nil), s.acks...)
}

// StrayFrames returns client frames that were not acks (not JSON, or without
// an envelope_id).
func (s *Server) StrayFrames() [][]byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([][]byte(nil), s.stray...)
}

// NewTriggerID issues a trigger ID that views.open and views.push accept,
// e.g. for hand-built interaction payloads under WithStrictTriggers.
func (s *Server) NewTriggerID() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.nextIDLocked("")
	t := fmt.Sprintf("%d.%s.fake%s", time.Now().Unix(), id, id)
	s.triggers[t] = time.Now()
	return t
}

// NewResponseURL issues a response_url on the fake. Posts to it are recorded
// as Calls with Method "response_url" and show up in Messages(channel):
// ephemeral to user unless response_type is "in_channel".
func (s *Server) NewResponseURL(channel, user string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.nextIDLocked("R")
	s.respURLs[id] = respTarget{channel: channel, user: user}
	return s.base + "/response/" + id
}

// NewMessageResponseURL issues the response_url of an interaction with the
// message ts in channel, as Slack does for block_actions: posts to it with
// replace_original or delete_original change or remove that message.
func (s *Server) NewMessageResponseURL(channel, user, ts string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.nextIDLocked("R")
	s.respURLs[id] = respTarget{channel: channel, user: user, ts: ts}
	return s.base + "/response/" + id
}

type respTarget struct{ channel, user, ts string }
