package slackfake

import (
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"slices"
	"strings"
)

// What a live front end (the simulator) needs on top of what tests use:
// change notifications, the workspace's directory, messages that Slack itself
// shows, and the views that response_action answers open.

// WithListener makes the fake serve on l instead of a fresh 127.0.0.1 port,
// so that it can live at a fixed address.
func WithListener(l net.Listener) Option {
	return func(c *config) { c.listener = l }
}

// WithRoutes lets the caller add handlers to the fake's mux before it
// starts, so a front end and the fake can share one address.
func WithRoutes(register func(mux *http.ServeMux)) Option {
	return func(c *config) { c.routes = append(c.routes, register) }
}

// Changes returns a channel that is closed at the fake's next state change
// (a Web API call, an ack, a message, a connection coming or going). Take a
// new one after each wake-up.
func (s *Server) Changes() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.changed
}

// Notify wakes everyone waiting on Changes, for state that a front end keeps
// beside the fake's (such as which modal a person has open).
func (s *Server) Notify() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.broadcastLocked()
}

// Users returns the users added with AddUser, sorted by ID.
func (s *Server) Users() []User {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]User, 0, len(s.users))
	for _, u := range s.users {
		out = append(out, u)
	}
	slices.SortFunc(out, func(a, b User) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// Channels returns the channels added with AddChannel, sorted by name.
func (s *Server) Channels() []Channel {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Channel, 0, len(s.channels))
	for _, ch := range s.channels {
		ch.Members = slices.Clone(ch.Members)
		out = append(out, ch)
	}
	slices.SortFunc(out, func(a, b Channel) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// AddMessage stores a message that Slack itself shows rather than the bot
// posting it through the Web API: a slash command's ack payload, an error
// line, a shared file. It gets a fresh ts, which is returned with it; an empty
// Via becomes "slack".
func (s *Server) AddMessage(m Message) Message {
	m.Channel = dmChannel(m.Channel)
	if m.Via == "" {
		m.Via = "slack"
	}
	m.Files = slices.Clone(m.Files)
	s.mu.Lock()
	defer s.mu.Unlock()
	m.TS = s.nextTSLocked()
	s.messages[m.Channel] = append(s.messages[m.Channel], m)
	s.broadcastLocked()
	return m
}

// ErrInvalidView is wrapped by OpenView and UpdateView when Slack would
// refuse the view; its message lists Slack's complaints.
var ErrInvalidView = errors.New("slackfake: invalid view")

// OpenView stores a view that a view_submission ack opened (response_action
// "push"), validated like views.push, and returns it.
func (s *Server) OpenView(view json.RawMessage, pushed bool) (View, error) {
	body, err := viewObject(view)
	if err != nil {
		return View{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	v := &View{ID: s.nextIDLocked("V"), Pushed: pushed}
	v.RootViewID = v.ID
	s.storeViewLocked(v, body)
	s.broadcastLocked()
	return *v, nil
}

// UpdateView replaces view id with a view that a view_submission ack sent
// (response_action "update"), validated like views.update, keeping its ID.
func (s *Server) UpdateView(id string, view json.RawMessage) (View, error) {
	body, err := viewObject(view)
	if err != nil {
		return View{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	old, ok := s.views[id]
	if !ok {
		return View{}, errors.New("slackfake: unknown view " + id)
	}
	v := &View{ID: old.ID, TriggerID: old.TriggerID, RootViewID: old.RootViewID, UserID: old.UserID, Pushed: old.Pushed}
	s.storeViewLocked(v, body)
	s.broadcastLocked()
	return *v, nil
}

func viewObject(view json.RawMessage) (map[string]any, error) {
	var body map[string]any
	if err := json.Unmarshal(view, &body); err != nil || body == nil {
		return nil, errors.Join(ErrInvalidView, errors.New("view is not a JSON object"))
	}
	if r := validateView(body); r != nil {
		meta, _ := r["response_metadata"].(map[string]any)
		msgs, _ := meta["messages"].([]string)
		return nil, errors.Join(ErrInvalidView, errors.New(strings.Join(msgs, "; ")))
	}
	return body, nil
}
