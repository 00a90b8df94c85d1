package simulator

import (
	"context"
	"net/http"
	"time"
)

// DemoData adds demo data to the simulator's workspace and says what it
// added, in a sentence for the person who asked.
type DemoData func(ctx context.Context) (string, error)

// OfferDemoData makes the page's "Add demo data" button run add. Without it
// the button answers that demo data is not available here.
func (s *Server) OfferDemoData(add DemoData) {
	s.mu.Lock()
	s.demo = add
	s.mu.Unlock()
}

// demoDataTimeout bounds one run: a demo pipeline is a few hundred rows.
const demoDataTimeout = time.Minute

// handleDemoData runs the demo-data use case for the person on the page, and
// tells them the outcome as Slackbot in the conversation they are in.
func (s *Server) handleDemoData(w http.ResponseWriter, r *http.Request) {
	var in struct {
		User    string `json:"user"`
		Channel string `json:"channel"`
	}
	if !readJSON(w, r, &in) {
		return
	}
	if _, ok := s.person(in.User); !ok || in.Channel == "" {
		http.Error(w, "user and channel are required", http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	add := s.demo
	s.mu.Unlock()
	if add == nil {
		s.slackbot(in.Channel, in.User, "Demo data is not available in this simulator.")
		writeJSON(w, http.StatusOK, map[string]any{"ok": false})
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), demoDataTimeout)
	defer cancel()
	said, err := add(ctx)
	if err != nil {
		s.log.Error("simulator: demo data", "error", err)
		s.slackbot(in.Channel, in.User, "No demo data was added: "+err.Error())
		writeJSON(w, http.StatusOK, map[string]any{"ok": false})
		return
	}
	s.slackbot(in.Channel, in.User, said)
	writeJSON(w, http.StatusOK, map[string]any{"ok": true})
}
