package slackfake

import (
	"context"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/slack-go/slack"
)

// rawClient is one Socket Mode connection driven by hand: the test decides
// which envelopes it acks.
type rawClient struct {
	ws     *websocket.Conn
	frames chan map[string]any
}

func dialRaw(t *testing.T, ctx context.Context, s *Server) *rawClient {
	t.Helper()
	api := slack.New("xoxb-test", slack.OptionAppLevelToken("xapp-test"), slack.OptionAPIURL(s.APIURL()))
	_, url, err := api.StartSocketModeContext(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ws, _, err := websocket.DefaultDialer.DialContext(ctx, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	c := &rawClient{ws: ws, frames: make(chan map[string]any, 100)}
	go func() {
		defer close(c.frames)
		for {
			var f map[string]any
			if err := ws.ReadJSON(&f); err != nil {
				return
			}
			if f["type"] != "hello" {
				c.frames <- f
			}
		}
	}()
	t.Cleanup(func() { ws.Close() })
	return c
}

func (c *rawClient) next(t *testing.T) map[string]any {
	t.Helper()
	select {
	case f := <-c.frames:
		return f
	case <-time.After(10 * time.Second):
		t.Fatal("no envelope arrived")
		return nil
	}
}

func TestSpreadSendsToEveryConnectionAndRedeliversWhatADeadOneDidNotAck(t *testing.T) {
	s := New(t, WithSpread())
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	a, b := dialRaw(t, ctx, s), dialRaw(t, ctx, s)
	if err := s.WaitConnections(ctx, 2); err != nil {
		t.Fatal(err)
	}
	// Random choice: 40 envelopes all on one of two connections would be
	// a 1 in 2^39 accident.
	sent := map[string]bool{}
	for range 40 {
		id, err := s.SendSlashCommand(ctx, SlashCommand{UserID: "U1", Command: "/lead", Text: "list"})
		if err != nil {
			t.Fatal(err)
		}
		sent[id] = true
	}
	got := map[*rawClient][]string{}
	for len(got[a])+len(got[b]) < 40 {
		select {
		case f := <-a.frames:
			got[a] = append(got[a], f["envelope_id"].(string))
		case f := <-b.frames:
			got[b] = append(got[b], f["envelope_id"].(string))
		case <-ctx.Done():
			t.Fatalf("received %d and %d of 40 envelopes", len(got[a]), len(got[b]))
		}
	}
	if len(got[a]) == 0 || len(got[b]) == 0 {
		t.Fatalf("envelopes per connection = %d and %d, want both used", len(got[a]), len(got[b]))
	}
	// a acks one envelope and dies; b acks everything it gets.
	ackedByA := got[a][0]
	if err := a.ws.WriteJSON(map[string]any{"envelope_id": ackedByA}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.WaitAck(ctx, ackedByA); err != nil {
		t.Fatal(err)
	}
	a.ws.Close()
	redelivered := map[string]bool{}
	for len(redelivered) < len(got[a])-1 {
		f := b.next(t)
		id := f["envelope_id"].(string)
		env, _ := s.Envelope(id)
		if env.RedeliveryOf == "" || env.RetryAttempt != 1 || f["retry_attempt"] != float64(1) {
			t.Fatalf("envelope %s on the live connection: %+v, want a redelivery with retry_attempt 1", id, f)
		}
		redelivered[env.RedeliveryOf] = true
		if err := b.ws.WriteJSON(map[string]any{"envelope_id": id}); err != nil {
			t.Fatal(err)
		}
	}
	for _, id := range got[a][1:] {
		if !redelivered[id] {
			t.Errorf("%s was sent to the dead connection unacked and never redelivered", id)
		}
	}
	if redelivered[ackedByA] {
		t.Errorf("%s was acked and still redelivered", ackedByA)
	}
}
