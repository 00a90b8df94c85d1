package simulator

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"salesbot/internal/slackfake"
)

// maxStack is how many views Slack keeps on a modal stack.
const maxStack = 3

// genericFailure is what Slack shows atop a modal when the app's answer to a
// submission is late or unusable.
const genericFailure = "We had some trouble connecting. Try again?"

// handleSubmit sends a view_submission and applies the ack's response_action
// the way Slack does: errors under their inputs, update, push, clear, or (no
// payload) closing the view. It answers once the ack is in, so the page can
// show the result at once.
func (s *Server) handleSubmit(w http.ResponseWriter, r *http.Request) {
	var in struct {
		User   string          `json:"user"`
		ViewID string          `json:"view_id"`
		Values json.RawMessage `json:"values"`
	}
	if !readJSON(w, r, &in) {
		return
	}
	p, ok := s.person(in.User)
	v, found := s.fake.View(in.ViewID)
	if !ok || !found {
		http.Error(w, "unknown user or view", http.StatusBadRequest)
		return
	}
	view, err := withState(v.JSON, in.Values)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	payload := map[string]any{
		"type": "view_submission", "token": "fake-verification-token", "api_app_id": slackfake.AppID,
		"team": map[string]any{"id": TeamID, "domain": "simulator"}, "user": s.userJSON(p),
		"trigger_id": s.newTrigger(p.ID), "view": view, "response_urls": []any{}, "is_enterprise_install": false,
	}
	ctx, cancel := contextWithDeadline(s, ackDeadline)
	defer cancel()
	result := "closed"
	envID, err := s.fake.SendInteraction(ctx, payload)
	var ack slackfake.Ack
	if err == nil {
		ack, err = s.waitAck(envID)
	}
	if err != nil {
		s.setAlert(in.ViewID, genericFailure+" (salesbot did not acknowledge the submission within 3 seconds.)")
		result = "failed"
	} else {
		result = s.applyResponse(p.ID, v, ack.Payload)
	}
	s.fake.Notify()
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "result": result})
}

// applyResponse applies a view_submission ack payload and names the outcome.
func (s *Server) applyResponse(user string, v slackfake.View, payload json.RawMessage) string {
	var resp struct {
		Action string            `json:"response_action"`
		Errors map[string]string `json:"errors"`
		View   json.RawMessage   `json:"view"`
	}
	if len(payload) > 0 && string(payload) != "null" {
		if err := json.Unmarshal(payload, &resp); err != nil {
			s.setAlert(v.ID, genericFailure+" (the ack payload is not a response_action: "+err.Error()+")")
			return "failed"
		}
	}
	s.mu.Lock()
	delete(s.errs, v.ID)
	delete(s.alerts, v.ID)
	s.mu.Unlock()
	switch resp.Action {
	case "":
		s.popView(user, v.ID, false)
		return "closed"
	case "clear":
		s.popView(user, v.ID, true)
		return "cleared"
	case "errors":
		if bad := notInputBlocks(v.JSON, resp.Errors); len(bad) > 0 {
			// Slack refuses the whole answer when a key is not an input block.
			s.setAlert(v.ID, genericFailure+" (errors names blocks that are not input blocks: "+strings.Join(bad, ", ")+")")
			return "failed"
		}
		s.mu.Lock()
		s.errs[v.ID] = resp.Errors
		s.mu.Unlock()
		return "errors"
	case "update":
		if _, err := s.fake.UpdateView(v.ID, resp.View); err != nil {
			s.setAlert(v.ID, genericFailure+" ("+strings.TrimPrefix(err.Error(), slackfake.ErrInvalidView.Error()+"\n")+")")
			return "failed"
		}
		return "updated"
	case "push":
		return s.push(user, v.ID, resp.View)
	}
	s.setAlert(v.ID, fmt.Sprintf("%s (unknown response_action %q)", genericFailure, resp.Action))
	return "failed"
}

func (s *Server) push(user, below string, view json.RawMessage) string {
	s.mu.Lock()
	full := len(s.stacks[user]) >= maxStack
	s.mu.Unlock()
	if full {
		s.setAlert(below, genericFailure+" (push_limit_reached: Slack keeps at most 3 views on a stack)")
		return "failed"
	}
	nv, err := s.fake.OpenView(view, true)
	if errors.Is(err, slackfake.ErrInvalidView) || err != nil {
		s.setAlert(below, genericFailure+" ("+err.Error()+")")
		return "failed"
	}
	s.mu.Lock()
	s.seen[nv.ID] = true
	s.stacks[user] = append(s.stacks[user], nv.ID)
	s.mu.Unlock()
	return "pushed"
}

// popView removes the submitted view (all views with clear), if it is still
// the top one.
func (s *Server) popView(user, id string, all bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	stack := s.stacks[user]
	if n := len(stack); n == 0 || stack[n-1] != id {
		return
	}
	if all {
		s.stacks[user] = nil
		return
	}
	s.stacks[user] = stack[:len(stack)-1]
}

func (s *Server) setAlert(viewID, text string) {
	s.mu.Lock()
	s.alerts[viewID] = text
	s.mu.Unlock()
	s.log.Warn("modal submission failed", "view", viewID, "reason", text)
}

// notInputBlocks returns the keys of errs that are not block IDs of input
// blocks of the view.
func notInputBlocks(view json.RawMessage, errs map[string]string) []string {
	var v struct {
		Blocks []struct {
			Type    string `json:"type"`
			BlockID string `json:"block_id"`
		} `json:"blocks"`
	}
	_ = json.Unmarshal(view, &v)
	inputs := map[string]bool{}
	for _, b := range v.Blocks {
		if b.Type == "input" {
			inputs[b.BlockID] = true
		}
	}
	var bad []string
	for k := range errs {
		if !inputs[k] {
			bad = append(bad, k)
		}
	}
	return bad
}
