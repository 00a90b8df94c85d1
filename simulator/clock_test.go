package simulator

import (
	"context"
	"encoding/json"
	"testing"
	"time"
)

// The simulator stamps what people do with its own clock, as Slack stamps
// events with Slack's: opening the Home tab at a pinned moment sends an
// app_home_opened whose event_ts is that moment.
func TestEventsAreStampedByTheSimulatorsClock(t *testing.T) {
	at := time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC)
	s, err := Start(Options{Addr: "127.0.0.1:0", Now: func() time.Time { return at }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	stubBot(t, ctx, s.APIURL())
	if err := s.Fake().WaitConnected(ctx); err != nil {
		t.Fatal(err)
	}
	if r := post(t, s, "/sim/home", map[string]any{"user": "U03SAM"}); r["ok"] != true {
		t.Fatalf("/sim/home = %v", r)
	}
	for {
		for _, env := range s.Fake().Envelopes() {
			if env.Type != "events_api" {
				continue
			}
			var p struct {
				Event struct {
					Type    string `json:"type"`
					EventTS string `json:"event_ts"`
				} `json:"event"`
			}
			if err := json.Unmarshal(env.Payload, &p); err != nil {
				t.Fatal(err)
			}
			if want := "1773136800.000100"; p.Event.Type != "app_home_opened" || p.Event.EventTS != want {
				t.Fatalf("event %s at %q, want app_home_opened at %q", p.Event.Type, p.Event.EventTS, want)
			}
			return
		}
		select {
		case <-ctx.Done():
			t.Fatal("no app_home_opened was sent")
		case <-time.After(20 * time.Millisecond):
		}
	}
}
