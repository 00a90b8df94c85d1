package simulator

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"

	"salesbot/internal/slackfake"
)

// watch places what the bot creates through the Web API: a modal opened or
// pushed with a trigger goes on the stack of the person whose action issued
// the trigger, and a shared file becomes a message in its channel, as Slack
// shows it.
func (s *Server) watch() {
	for {
		changed := s.fake.Changes()
		if s.placeViews() {
			// The stacks are kept here, beside the fake, so placing a modal
			// is a change the fake cannot announce by itself: without this,
			// whoever read the state just before would never see the modal.
			s.fake.Notify()
		}
		s.placeFiles()
		s.echoBotPosts()
		select {
		case <-changed:
		case <-s.ctx.Done():
			return
		}
	}
}

// placeViews puts newly opened modals on their people's stacks and reports
// whether it placed any.
func (s *Server) placeViews() (placed bool) {
	views := s.fake.Views()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, v := range views {
		if s.seen[v.ID] || v.Type != "modal" {
			continue
		}
		user, ok := s.triggers[v.TriggerID]
		if !ok {
			// Not ours yet: the trigger is registered just after the
			// envelope that carries it is sent, so look again next time.
			if v.TriggerID == "" {
				s.seen[v.ID] = true
			}
			continue
		}
		s.seen[v.ID] = true
		placed = true
		if v.Pushed && len(s.stacks[user]) > 0 {
			s.stacks[user] = append(s.stacks[user], v.ID)
		} else {
			s.stacks[user] = []string{v.ID}
		}
	}
	return placed
}

func (s *Server) placeFiles() {
	for _, f := range s.fake.Files() {
		if !f.Completed || f.Channel == "" {
			continue
		}
		s.mu.Lock()
		done := s.seen[f.ID]
		s.seen[f.ID] = true
		s.mu.Unlock()
		if done {
			continue
		}
		channel, _, _ := strings.Cut(f.Channel, ",")
		s.fake.AddMessage(slackfake.Message{Channel: channel, User: slackfake.BotUserID, Text: f.InitialComment,
			ThreadTS: f.ThreadTS, Files: []string{f.ID}, Via: "files.completeUploadExternal"})
	}
}

// workspace is what the page needs to know once: who is there and what can
// be typed.
type workspace struct {
	Team     string           `json:"team"`
	Bot      map[string]any   `json:"bot"`
	People   []personJSON     `json:"people"`
	Channels []map[string]any `json:"channels"`
	Commands []Command        `json:"commands"`
	// Shortcuts are the manifest's message shortcuts, for a message's menu.
	Shortcuts []Shortcut `json:"shortcuts"`
}

type personJSON struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	RealName string `json:"real_name"`
	Title    string `json:"title"`
	TZ       string `json:"tz"`
}

func (s *Server) handleWorkspace(w http.ResponseWriter, r *http.Request) {
	ws := workspace{
		Team:     slackfake.TeamID,
		Bot:      map[string]any{"id": slackfake.BotUserID, "name": slackfake.BotName},
		Commands: s.commands,
	}
	for _, p := range people {
		ws.People = append(ws.People, personJSON{p.ID, p.Name, p.RealName, p.Title, p.TZ})
	}
	ws.Shortcuts = []Shortcut{}
	for _, sc := range s.shortcuts {
		if sc.Type == "message" {
			ws.Shortcuts = append(ws.Shortcuts, sc)
		}
	}
	for _, ch := range s.fake.Channels() {
		ws.Channels = append(ws.Channels, map[string]any{"id": ch.ID, "name": ch.Name})
	}
	writeJSON(w, http.StatusOK, ws)
}

// messageJSON is a message as the page shows it.
type messageJSON struct {
	TS        string          `json:"ts"`
	ThreadTS  string          `json:"thread_ts,omitempty"`
	User      string          `json:"user"`
	Text      string          `json:"text"`
	Blocks    json.RawMessage `json:"blocks,omitempty"`
	Ephemeral bool            `json:"ephemeral"`
	Edited    bool            `json:"edited"`
	Via       string          `json:"via"`
	Files     []fileJSON      `json:"files,omitempty"`
	Pinned    bool            `json:"pinned,omitempty"`
}

type fileJSON struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	URL   string `json:"url"`
	Image bool   `json:"image"`
}

// state is what one person sees in one conversation right now.
type state struct {
	Connected bool            `json:"connected"`
	Messages  []messageJSON   `json:"messages"`
	Modal     *modalJSON      `json:"modal"`
	Home      json.RawMessage `json:"home"`
	Unread    map[string]int  `json:"counts"` // visible messages per conversation, for badges
	// Channels are those the person sees, the bot's new rooms included.
	Channels []channelJSON `json:"channels"`
}

type modalJSON struct {
	View   json.RawMessage   `json:"view"`
	Depth  int               `json:"depth"`
	Errors map[string]string `json:"errors,omitempty"`
	Alert  string            `json:"alert,omitempty"`
}

func visible(m slackfake.Message, user string) bool {
	return !m.Ephemeral || m.User == user
}

func (s *Server) handleState(w http.ResponseWriter, r *http.Request) {
	user, channel := r.URL.Query().Get("user"), r.URL.Query().Get("channel")
	st := state{Connected: s.fake.Connected(), Messages: []messageJSON{}, Unread: map[string]int{},
		Channels: s.channelsFor(user)}
	pinned := s.fake.Pins(channel)
	files := map[string]slackfake.File{}
	for _, f := range s.fake.Files() {
		files[f.ID] = f
	}
	for _, m := range s.fake.Messages("") {
		if !visible(m, user) {
			continue
		}
		st.Unread[m.Channel]++
		if m.Channel != channel {
			continue
		}
		mj := messageJSON{TS: m.TS, ThreadTS: m.ThreadTS, User: m.User, Text: m.Text, Blocks: m.Blocks,
			Ephemeral: m.Ephemeral, Edited: m.Edits > 0, Via: m.Via, Pinned: slices.Contains(pinned, m.TS)}
		for _, id := range m.Files {
			f := files[id]
			mj.Files = append(mj.Files, fileJSON{ID: id, Title: f.Title, URL: "/sim/files/" + id, Image: isImage(f)})
		}
		st.Messages = append(st.Messages, mj)
	}
	if home, ok := s.fake.HomeView(user); ok {
		st.Home = home.JSON
	}
	s.mu.Lock()
	stack := slices.Clone(s.stacks[user])
	var errs map[string]string
	var alert string
	if n := len(stack); n > 0 {
		errs, alert = s.errs[stack[n-1]], s.alerts[stack[n-1]]
	}
	s.mu.Unlock()
	if n := len(stack); n > 0 {
		if v, ok := s.fake.View(stack[n-1]); ok {
			st.Modal = &modalJSON{View: v.JSON, Depth: n, Errors: errs, Alert: alert}
		}
	}
	writeJSON(w, http.StatusOK, st)
}

func isImage(f slackfake.File) bool {
	ct := http.DetectContentType(f.Data)
	return strings.HasPrefix(ct, "image/")
}

// handleFile serves an uploaded file's bytes, so the page can show charts.
func (s *Server) handleFile(w http.ResponseWriter, r *http.Request) {
	for _, f := range s.fake.Files() {
		if f.ID == r.PathValue("id") && f.Uploaded {
			w.Header().Set("Content-Type", http.DetectContentType(f.Data))
			w.Header().Set("Content-Disposition", "inline")
			_, _ = w.Write(f.Data)
			return
		}
	}
	http.NotFound(w, r)
}

// handleEvents streams a "change" server-sent event whenever anything in the
// workspace changes; the page then fetches what it shows.
func (s *Server) handleEvents(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	for {
		changed := s.fake.Changes()
		if _, err := w.Write([]byte("event: change\ndata: {}\n\n")); err != nil {
			return
		}
		flusher.Flush()
		select {
		case <-changed:
		case <-r.Context().Done():
			return
		case <-s.ctx.Done():
			return
		}
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
