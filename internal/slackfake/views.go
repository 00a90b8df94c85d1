package slackfake

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// triggerTTL is how long Slack honours a trigger_id.
const triggerTTL = 3 * time.Second

// View is a modal or Home tab as the fake stores it.
type View struct {
	ID              string
	Hash            string
	Type            string // modal or home
	CallbackID      string
	PrivateMetadata string
	ExternalID      string
	UserID          string // owner of a Home tab (views.publish)
	TriggerID       string // trigger that opened or pushed it
	RootViewID      string
	Pushed          bool            // opened by views.push or a push response_action, on top of the user's modal
	JSON            json.RawMessage // the view object as last returned to the client
}

// View returns a stored view by ID.
func (s *Server) View(id string) (View, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.views[id]
	if !ok {
		return View{}, false
	}
	return *v, true
}

// HomeView returns the Home tab last published for userID.
func (s *Server) HomeView(userID string) (View, bool) {
	s.mu.Lock()
	id, ok := s.homes[userID]
	s.mu.Unlock()
	if !ok {
		return View{}, false
	}
	return s.View(id)
}

// Views returns every stored view in creation order.
func (s *Server) Views() []View {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]View, 0, len(s.views))
	for _, v := range s.views {
		out = append(out, *v)
	}
	// IDs come from one increasing counter, so they sort in creation order.
	slices.SortFunc(out, func(a, b View) int { return compareIDs(a.ID, b.ID) })
	return out
}

func compareIDs(a, b string) int {
	return cmp.Or(cmp.Compare(len(a), len(b)), strings.Compare(a, b))
}

// viewBody is the "view" argument, sent as JSON by slack-go or as a form value.
func viewBody(c Call) map[string]any {
	if m, ok := c.JSON["view"].(map[string]any); ok {
		return m
	}
	var m map[string]any
	if raw, ok := rawParam(c, "view"); ok && raw != nil {
		_ = json.Unmarshal(raw, &m)
	}
	return m
}

// viewsPush serves views.push: like views.open, marked as pushed.
func (s *Server) viewsPush(c Call) reply {
	r := s.viewsOpen(c)
	if v, ok := r["view"].(map[string]any); ok {
		s.mu.Lock()
		s.views[v["id"].(string)].Pushed = true
		s.mu.Unlock()
	}
	return r
}

// viewsOpen serves views.open: a new view from a trigger.
func (s *Server) viewsOpen(c Call) reply {
	trigger := c.Param("trigger_id")
	body := viewBody(c)
	if trigger == "" || body == nil {
		return apiError("invalid_arguments")
	}
	if r := validateView(body); r != nil {
		return r
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if code := s.useTriggerLocked(trigger); code != "" {
		return apiError(code)
	}
	v := &View{ID: s.nextIDLocked("V"), TriggerID: trigger}
	v.RootViewID = v.ID
	return s.storeViewLocked(v, body)
}

// useTriggerLocked consumes a trigger ID. Outside strict mode any trigger
// passes; in it, Slack's one-use, 3-second rule applies.
func (s *Server) useTriggerLocked(trigger string) string {
	issued, known := s.triggers[trigger]
	if known {
		s.triggers[trigger] = time.Time{} // zero marks "used"
	}
	switch {
	case !s.cfg.strictTriggers:
		return ""
	case !known:
		return "invalid_trigger_id"
	case issued.IsZero():
		return "exchanged_trigger_id"
	case time.Since(issued) > triggerTTL:
		return "expired_trigger_id"
	}
	return ""
}

// viewsUpdate replaces a view found by view_id or external_id, keeping its ID
// and refusing a stale hash like Slack.
func (s *Server) viewsUpdate(c Call) reply {
	body := viewBody(c)
	if body == nil {
		return apiError("invalid_arguments")
	}
	if r := validateView(body); r != nil {
		return r
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	id, ext := c.Param("view_id"), c.Param("external_id")
	var old *View
	for _, v := range s.views {
		if (id != "" && v.ID == id) || (id == "" && ext != "" && v.ExternalID == ext) {
			old = v
		}
	}
	if old == nil {
		return apiError("not_found")
	}
	if h := c.Param("hash"); h != "" && h != old.Hash {
		return apiError("hash_conflict")
	}
	v := &View{ID: old.ID, TriggerID: old.TriggerID, RootViewID: old.RootViewID, UserID: old.UserID}
	return s.storeViewLocked(v, body)
}

// viewsPublish sets a user's Home tab; the view keeps one ID per user.
func (s *Server) viewsPublish(c Call) reply {
	user, body := c.Param("user_id"), viewBody(c)
	if user == "" || body == nil {
		return apiError("invalid_arguments")
	}
	if r := validateView(body); r != nil {
		return r
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	v := &View{UserID: user}
	if id, ok := s.homes[user]; ok {
		if h := c.Param("hash"); h != "" && h != s.views[id].Hash {
			return apiError("hash_conflict")
		}
		v.ID = id
	} else {
		v.ID = s.nextIDLocked("V")
		s.homes[user] = v.ID
	}
	v.RootViewID = v.ID
	return s.storeViewLocked(v, body)
}

// storeViewLocked completes the view object with what Slack adds (id, hash,
// empty state, …), stores it and returns the views.* reply.
func (s *Server) storeViewLocked(v *View, body map[string]any) reply {
	v.Hash = fmt.Sprintf("%d.%s", time.Now().Unix(), s.nextIDLocked("h"))
	out := maps.Clone(body)
	defaults := map[string]any{"private_metadata": "", "callback_id": "", "external_id": "",
		"clear_on_close": false, "notify_on_close": false, "previous_view_id": nil}
	for k, def := range defaults {
		if _, ok := out[k]; !ok {
			out[k] = def
		}
	}
	out["state"] = map[string]any{"values": map[string]any{}}
	out["id"], out["hash"], out["root_view_id"] = v.ID, v.Hash, v.RootViewID
	out["team_id"], out["app_id"], out["bot_id"], out["app_installed_team_id"] = TeamID, AppID, BotID, TeamID
	v.Type, _ = out["type"].(string)
	v.CallbackID, _ = out["callback_id"].(string)
	v.PrivateMetadata, _ = out["private_metadata"].(string)
	v.ExternalID, _ = out["external_id"].(string)
	v.JSON, _ = json.Marshal(out)
	s.views[v.ID] = v
	return reply{"view": out}
}

// validateView applies the Block Kit limits Slack enforces on views, answering
// invalid_arguments with messages shaped like Slack's.
func validateView(body map[string]any) reply {
	var msgs []string
	textLen := func(key string) int {
		obj, _ := body[key].(map[string]any)
		t, _ := obj["text"].(string)
		return utf8.RuneCountInString(t)
	}
	typ, _ := body["type"].(string)
	if typ == "modal" {
		if textLen("title") == 0 {
			msgs = append(msgs, "[ERROR] missing required field: title [json-pointer:/view/title]")
		}
		for _, k := range []string{"title", "submit", "close"} {
			if textLen(k) > 24 {
				msgs = append(msgs, fmt.Sprintf("[ERROR] must be less than 25 characters [json-pointer:/view/%s/text]", k))
			}
		}
	} else if typ != "home" {
		msgs = append(msgs, "[ERROR] must be a valid enum value [json-pointer:/view/type]")
	}
	var blocks json.RawMessage
	if body["blocks"] != nil {
		blocks, _ = json.Marshal(body["blocks"])
	}
	msgs = append(msgs, ValidateBlocks(blocks, typ, "/view/blocks")...)
	if typ == "modal" && textLen("submit") == 0 && bytes.Contains(blocks, []byte(`"type":"input"`)) {
		msgs = append(msgs, "[ERROR] must provide submit argument when input blocks are present in the view [json-pointer:/view/submit]")
	}
	if pm, _ := body["private_metadata"].(string); len(pm) > 3000 {
		msgs = append(msgs, "[ERROR] must be less than 3001 characters [json-pointer:/view/private_metadata]")
	}
	if id, _ := body["callback_id"].(string); len(id) > maxIDLen {
		msgs = append(msgs, "[ERROR] must be less than 256 characters [json-pointer:/view/callback_id]")
	}
	if all, _ := json.Marshal(body); len(all) > maxViewJSONBytes {
		msgs = append(msgs, "[ERROR] view is too large (over 250 kB) [json-pointer:/view]")
	}
	if len(msgs) == 0 {
		return nil
	}
	return reply{"ok": false, "error": "invalid_arguments", "response_metadata": map[string]any{"messages": msgs}}
}
