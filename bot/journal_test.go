package bot

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"salesbot/commands"
	"salesbot/internal/slackfake"
)

// memJournal is a Journal in memory; the database-backed one is tested with
// the outbox and end to end in cmd/salesbot.
type memJournal struct {
	fake *slackfake.Server
	err  error // Record's answer when set

	mu            sync.Mutex
	recorded      map[int64]string // id -> envelope type
	payloads      map[int64]json.RawMessage
	ackedAtRecord []bool // whether any ack had arrived when Record ran
	done          chan int64
}

func (j *memJournal) Record(_ context.Context, _, typ string, payload json.RawMessage) (int64, error) {
	if j.err != nil {
		return 0, j.err
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	j.ackedAtRecord = append(j.ackedAtRecord, len(j.fake.Acks()) > 0)
	id := int64(len(j.recorded) + 1)
	j.recorded[id] = typ
	if j.payloads == nil {
		j.payloads = map[int64]json.RawMessage{}
	}
	j.payloads[id] = payload
	return id, nil
}

func (j *memJournal) Done(_ context.Context, id int64) error {
	j.done <- id
	return nil
}

// recorder is a Handler whose every envelope has after-ack work that posts
// "worked" to the user.
type recorder struct{ api *API }

func (h recorder) later(user string) commands.Reply {
	return commands.Reply{Later: func(ctx context.Context) error {
		_, _, err := h.api.PostMessageContext(ctx, user, slack.MsgOptionText("worked", false))
		return err
	}}
}
func (h recorder) SlashCommand(_ context.Context, cmd slack.SlashCommand) commands.Reply {
	return h.later(cmd.UserID)
}
func (h recorder) Interaction(_ context.Context, cb slack.InteractionCallback) commands.Reply {
	return h.later(cb.User.ID)
}
func (h recorder) Event(context.Context, slackevents.EventsAPIEvent) commands.Reply {
	return commands.Reply{}
}

func startJournaled(t *testing.T, j *memJournal) (*slackfake.Server, *Bot) {
	t.Helper()
	fake := slackfake.New(t)
	j.fake, j.recorded, j.done = fake, map[int64]string{}, make(chan int64, 10)
	api := NewAPI("xoxb-test", "xapp-test", fake.APIURL())
	b := New(api, recorder{api}, slog.New(slog.NewTextHandler(io.Discard, nil)), NewMetrics(), Options{Journal: j})
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.Run(ctx) }()
	t.Cleanup(func() { stop(); <-done })
	wctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := fake.WaitConnected(wctx); err != nil {
		t.Fatal(err)
	}
	return fake, b
}

func TestEnvelopeIsJournaledBeforeItsAckAndClearedAfterItsWork(t *testing.T) {
	t.Parallel()
	j := &memJournal{}
	fake, _ := startJournaled(t, j)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := fake.SendSlashCommand(ctx, slackfake.SlashCommand{UserID: "U1", Command: "/deal", Text: "won D-1"}); err != nil {
		t.Fatal(err)
	}
	var id int64
	select {
	case id = <-j.done:
	case <-ctx.Done():
		t.Fatal("the journaled envelope was never cleared")
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.recorded[id] != "slash_commands" || len(j.ackedAtRecord) != 1 || j.ackedAtRecord[0] {
		t.Errorf("recorded %v, acked before recording: %v; want the slash command recorded before its ack", j.recorded, j.ackedAtRecord)
	}
	if msgs := fake.Messages("DU1"); len(msgs) != 1 || msgs[0].Text != "worked" {
		t.Errorf("messages = %+v, want the work done once", msgs)
	}
}

func TestJournalDownTellsThePersonNothingWasSavedAndDoesNothing(t *testing.T) {
	t.Parallel()
	j := &memJournal{err: errors.New("connection refused")}
	fake, _ := startJournaled(t, j)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	id, err := fake.SendSlashCommand(ctx, slackfake.SlashCommand{ChannelID: "C1", UserID: "U1", Command: "/deal", Text: "won D-1"})
	if err != nil {
		t.Fatal(err)
	}
	ack, err := fake.WaitAck(ctx, id)
	if err != nil || !strings.Contains(string(ack.Payload), "not saved") {
		t.Errorf("slash command ack = %s (%v), want it to say nothing was saved", ack.Payload, err)
	}

	// A modal submission keeps the modal open with the error on its first input.
	id, err = fake.SendInteraction(ctx, map[string]any{
		"type": "view_submission", "team": map[string]string{"id": "T1"}, "user": map[string]string{"id": "U2"},
		"view": map[string]any{"id": "V1", "type": "modal",
			"blocks": []map[string]any{
				{"type": "section", "block_id": "intro", "text": map[string]string{"type": "mrkdwn", "text": "hi"}},
				{"type": "input", "block_id": "company", "label": map[string]string{"type": "plain_text", "text": "Company"},
					"element": map[string]string{"type": "plain_text_input", "action_id": "company"}},
			},
			"state": map[string]any{"values": map[string]any{"company": map[string]any{"company": map[string]string{"type": "plain_text_input", "value": "Acme"}}}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	ack, err = fake.WaitAck(ctx, id)
	var resp struct {
		Action string            `json:"response_action"`
		Errors map[string]string `json:"errors"`
	}
	if err != nil || json.Unmarshal(ack.Payload, &resp) != nil || resp.Action != "errors" || !strings.Contains(resp.Errors["company"], "not saved") {
		t.Errorf("view submission ack = %s (%v), want errors on the company input saying nothing was saved", ack.Payload, err)
	}

	// A button: told through its response_url.
	id, err = fake.SendInteraction(ctx, map[string]any{
		"type": "block_actions", "team": map[string]string{"id": "T1"}, "user": map[string]string{"id": "U3"},
		"response_url": fake.NewResponseURL("C1", "U3"),
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fake.WaitAck(ctx, id); err != nil {
		t.Fatal(err)
	}
	if _, err := fake.WaitCall(ctx, "response_url", func(c slackfake.Call) bool { return strings.Contains(string(c.Body), "not saved") }); err != nil {
		t.Errorf("the button's user was not told nothing was saved: %v", err)
	}
	for _, u := range []string{"DU1", "DU2", "DU3"} {
		if msgs := fake.Messages(u); len(msgs) != 0 {
			t.Errorf("work ran although nothing was journaled: %s got %+v", u, msgs)
		}
	}
}

func TestReplayRunsTheWorkOfARecordedEnvelope(t *testing.T) {
	t.Parallel()
	fake, b := startJournaled(t, &memJournal{})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	payload := json.RawMessage(`{"command":"/deal","text":"won D-1","team_id":"T1","user_id":"U9","channel_id":"C1"}`)
	if err := b.Replay(ctx, "slash_commands", payload); err != nil {
		t.Fatal(err)
	}
	if msgs := fake.Messages("DU9"); len(msgs) != 1 || msgs[0].Text != "worked" {
		t.Errorf("messages = %+v, want the replayed work done", msgs)
	}
	if err := b.Replay(ctx, "slash_commands", json.RawMessage(`not json`)); err == nil {
		t.Error("an unreadable envelope replayed without error")
	}
}

func TestTransientWorkIsNotJournaledAndRunsWithTheJournalDown(t *testing.T) {
	t.Parallel()
	j := &memJournal{err: errors.New("connection refused")}
	fake := slackfake.New(t)
	j.fake, j.recorded, j.done = fake, map[int64]string{}, make(chan int64, 10)
	api := NewAPI("xoxb-test", "xapp-test", fake.APIURL())
	opened := scripted{"/lead": func(cmd slack.SlashCommand) commands.Reply {
		return commands.Reply{Transient: true, Later: func(ctx context.Context) error {
			_, _, err := api.PostMessageContext(ctx, cmd.UserID, slack.MsgOptionText("form opened", false))
			return err
		}}
	}}
	b := New(api, opened, slog.New(slog.NewTextHandler(io.Discard, nil)), NewMetrics(), Options{Journal: j})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- b.Run(runCtx) }()
	defer func() { stop(); <-done }()
	id, err := fake.SendSlashCommand(ctx, slackfake.SlashCommand{UserID: "U1", Command: "/lead", Text: "new"})
	if err != nil {
		t.Fatal(err)
	}
	if ack, err := fake.WaitAck(ctx, id); err != nil || !bareAck(ack) {
		t.Errorf("ack = %s (%v), want a bare ack", ack.Payload, err)
	}
	if _, err := fake.WaitMessage(ctx, "DU1", func(m slackfake.Message) bool { return m.Text == "form opened" }); err != nil {
		t.Errorf("transient work did not run with the journal down: %v", err)
	}
}

func bareAck(a slackfake.Ack) bool { return len(a.Payload) == 0 || string(a.Payload) == "null" }

// TestJournalKeepsWhatReplayReadsAndNotTheBlocksShown: a view submission
// carries its whole view back; the journal keeps what a handler reads (what
// was typed, the view's IDs and metadata, who and where) and drops the blocks.
func TestJournalKeepsWhatReplayReadsAndNotTheBlocksShown(t *testing.T) {
	t.Parallel()
	j := &memJournal{}
	fake, b := startJournaled(t, j)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	sent := map[string]any{
		"type": "view_submission", "team": map[string]any{"id": "T1"}, "user": map[string]any{"id": "U7"},
		"response_urls": []any{map[string]any{"block_id": "b", "action_id": "a", "channel_id": "C1", "response_url": fake.APIURL() + "hook"}},
		"view": map[string]any{
			"id": "V1", "callback_id": "lead_new", "private_metadata": `{"currency":"EUR"}`, "hash": "1.x",
			"title":  map[string]any{"type": "plain_text", "text": "New lead"},
			"blocks": []any{map[string]any{"type": "input", "block_id": "company", "label": map[string]any{"type": "plain_text", "text": "Company"}, "element": map[string]any{"type": "plain_text_input", "action_id": "v"}}},
			"state":  map[string]any{"values": map[string]any{"company": map[string]any{"v": map[string]any{"type": "plain_text_input", "value": "Acme <b>"}}}},
		},
	}
	if _, err := fake.SendInteraction(ctx, sent); err != nil {
		t.Fatal(err)
	}
	var id int64
	select {
	case id = <-j.done:
	case <-ctx.Done():
		t.Fatal("the submission was never handled")
	}
	j.mu.Lock()
	payload := j.payloads[id]
	j.mu.Unlock()
	var stored struct {
		View map[string]json.RawMessage `json:"view"`
	}
	if err := json.Unmarshal(payload, &stored); err != nil {
		t.Fatal(err)
	}
	if _, ok := stored.View["blocks"]; ok {
		t.Errorf("journaled the view's blocks: %s", payload)
	}
	var cb slack.InteractionCallback
	if err := json.Unmarshal(payload, &cb); err != nil {
		t.Fatal(err)
	}
	if cb.Type != slack.InteractionTypeViewSubmission || cb.Team.ID != "T1" || cb.User.ID != "U7" ||
		cb.View.ID != "V1" || cb.View.CallbackID != "lead_new" || cb.View.PrivateMetadata != `{"currency":"EUR"}` ||
		cb.View.State == nil || cb.View.State.Values["company"]["v"].Value != "Acme <b>" ||
		len(cb.ResponseURLs) != 1 || cb.ResponseURLs[0].ResponseURL != fake.APIURL()+"hook" {
		t.Errorf("journaled %s, want what the handler reads as sent", payload)
	}
	if err := b.Replay(ctx, "interactive", payload); err != nil {
		t.Fatal(err)
	}
	if msgs := fake.Messages("DU7"); len(msgs) != 2 {
		t.Errorf("messages = %+v, want the work done, then again on replay", msgs)
	}
}
