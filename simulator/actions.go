package simulator

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"salesbot/internal/slackfake"
)

func contextWithDeadline(s *Server, d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(s.ctx, d)
}

// actionRequest is a click or a choice on the page: on a message (Channel and
// TS) or in a view (ViewID: a modal or the Home tab).
type actionRequest struct {
	User    string          `json:"user"`
	Channel string          `json:"channel"`
	TS      string          `json:"ts"`
	ViewID  string          `json:"view_id"`
	Action  map[string]any  `json:"action"` // action_id, block_id, type and the value fields of Slack's action
	Values  json.RawMessage `json:"values"` // state.values of the view or message
}

func (s *Server) userJSON(p Person) map[string]any {
	return map[string]any{"id": p.ID, "username": p.Name, "name": p.Name, "team_id": TeamID}
}

// newTrigger issues a trigger_id that belongs to user, so the modal it opens
// goes on their stack.
func (s *Server) newTrigger(user string) string {
	t := s.fake.NewTriggerID()
	s.mu.Lock()
	s.triggers[t] = user
	s.mu.Unlock()
	return t
}

// withState returns a stored view object with state.values set, as Slack
// sends views in interaction payloads.
func withState(view json.RawMessage, values json.RawMessage) (map[string]any, error) {
	var v map[string]any
	if err := json.Unmarshal(view, &v); err != nil {
		return nil, err
	}
	if len(values) == 0 || string(values) == "null" {
		values = json.RawMessage(`{}`)
	}
	v["state"] = map[string]any{"values": values}
	return v, nil
}

// handleAction sends a block_actions interaction shaped like Slack's.
func (s *Server) handleAction(w http.ResponseWriter, r *http.Request) {
	var in actionRequest
	if !readJSON(w, r, &in) {
		return
	}
	p, ok := s.person(in.User)
	if !ok || in.Action == nil {
		http.Error(w, "user and action are required", http.StatusBadRequest)
		return
	}
	in.Action["action_ts"] = fmt.Sprintf("%.6f", float64(s.now().UnixMicro())/1e6)
	payload := map[string]any{
		"type": "block_actions", "token": "fake-verification-token", "api_app_id": slackfake.AppID,
		"team": map[string]any{"id": TeamID, "domain": "simulator"}, "user": s.userJSON(p),
		"trigger_id": s.newTrigger(p.ID), "actions": []any{in.Action}, "is_enterprise_install": false,
	}
	switch {
	case in.ViewID != "":
		v, ok := s.fake.View(in.ViewID)
		if !ok {
			http.Error(w, "unknown view", http.StatusNotFound)
			return
		}
		view, err := withState(v.JSON, in.Values)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		payload["view"] = view
		payload["container"] = map[string]any{"type": "view", "view_id": v.ID}
		payload["state"] = view["state"]
	case in.Channel != "" && in.TS != "":
		var msg *slackfake.Message
		for _, m := range s.fake.Messages(in.Channel) {
			if m.TS == in.TS && visible(m, p.ID) {
				msg = &m
			}
		}
		if msg == nil {
			http.Error(w, "unknown message", http.StatusNotFound)
			return
		}
		payload["container"] = map[string]any{"type": "message", "message_ts": msg.TS, "channel_id": msg.Channel,
			"is_ephemeral": msg.Ephemeral}
		payload["channel"] = map[string]any{"id": msg.Channel, "name": s.channelName(msg.Channel)}
		payload["message"] = map[string]any{"type": "message", "ts": msg.TS, "text": msg.Text, "blocks": msg.Blocks,
			"user": slackfake.BotUserID, "bot_id": slackfake.BotID, "team": TeamID}
		payload["response_url"] = s.fake.NewMessageResponseURL(msg.Channel, p.ID, msg.TS)
		values := in.Values
		if len(values) == 0 {
			values = json.RawMessage(`{}`)
		}
		payload["state"] = map[string]any{"values": values}
	default:
		http.Error(w, "a view_id or a channel and ts are required", http.StatusBadRequest)
		return
	}
	s.goTracked(func() {
		ctx, cancel := contextWithDeadline(s, ackDeadline)
		defer cancel()
		id, err := s.fake.SendInteraction(ctx, payload)
		if err == nil {
			_, err = s.waitAck(id)
		}
		if err != nil && in.Channel != "" {
			// Slack shows a warning next to an action the app did not answer.
			s.slackbot(in.Channel, p.ID, "salesbot did not respond to that action in time ("+err.Error()+").")
		}
	})
	writeJSON(w, http.StatusOK, map[string]any{"ok": true})
}

// handleClose closes the top modal (the Close button; a pushed view goes back
// to the one below) or, with all, the whole stack (the × and Escape). A view
// with notify_on_close tells the bot with a view_closed interaction.
func (s *Server) handleClose(w http.ResponseWriter, r *http.Request) {
	var in struct {
		User   string `json:"user"`
		ViewID string `json:"view_id"`
		All    bool   `json:"all"`
	}
	if !readJSON(w, r, &in) {
		return
	}
	p, ok := s.person(in.User)
	if !ok {
		http.Error(w, "unknown user", http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	stack := s.stacks[p.ID]
	if n := len(stack); n == 0 || stack[n-1] != in.ViewID {
		s.mu.Unlock()
		writeJSON(w, http.StatusConflict, map[string]any{"ok": false, "error": "not the open view"})
		return
	}
	if in.All {
		s.stacks[p.ID] = nil
	} else {
		s.stacks[p.ID] = stack[:len(stack)-1]
	}
	s.mu.Unlock()
	if v, ok := s.fake.View(in.ViewID); ok {
		var meta struct {
			Notify bool `json:"notify_on_close"`
		}
		_ = json.Unmarshal(v.JSON, &meta)
		if meta.Notify {
			view, _ := withState(v.JSON, nil)
			payload := map[string]any{"type": "view_closed", "team": map[string]any{"id": TeamID},
				"user": s.userJSON(p), "api_app_id": slackfake.AppID, "view": view, "is_cleared": in.All}
			s.goTracked(func() {
				ctx, cancel := contextWithDeadline(s, ackDeadline)
				defer cancel()
				if id, err := s.fake.SendInteraction(ctx, payload); err == nil {
					_, _ = s.waitAck(id)
				}
			})
		}
	}
	s.fake.Notify()
	writeJSON(w, http.StatusOK, map[string]any{"ok": true})
}
