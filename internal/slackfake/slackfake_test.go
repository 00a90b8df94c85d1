package slackfake

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"
)

// bot is a minimal Socket Mode app on slack-go's real client: it acks every
// envelope at once and hands the payloads to the test.
type bot struct {
	client *socketmode.Client
	hello  chan struct{}
	cmds   chan slack.SlashCommand
	inters chan slack.InteractionCallback
	events chan slackevents.EventsAPIEvent
	runErr chan error
}

func startBot(t *testing.T, s *Server) *bot {
	t.Helper()
	api := slack.New("xoxb-test", slack.OptionAppLevelToken("xapp-test"), slack.OptionAPIURL(s.APIURL()))
	b := &bot{
		client: socketmode.New(api),
		hello:  make(chan struct{}, 10),
		cmds:   make(chan slack.SlashCommand, 10),
		inters: make(chan slack.InteractionCallback, 10),
		events: make(chan slackevents.EventsAPIEvent, 10),
		runErr: make(chan error, 1),
	}
	ctx, cancel := context.WithCancel(context.Background())
	loopDone := make(chan struct{})
	go func() { b.runErr <- b.client.RunContext(ctx) }()
	go func() {
		defer close(loopDone)
		b.loop(ctx)
	}()
	t.Cleanup(func() {
		cancel()
		<-loopDone
		select {
		case <-b.runErr:
		case <-time.After(10 * time.Second):
			t.Error("RunContext did not return after cancel")
		}
	})
	return b
}

func (b *bot) loop(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case evt := <-b.client.Events:
			switch evt.Type {
			case socketmode.EventTypeHello:
				b.hello <- struct{}{}
			case socketmode.EventTypeSlashCommand:
				cmd := evt.Data.(slack.SlashCommand)
				_ = b.client.AckCtx(ctx, evt.Request.EnvelopeID, map[string]string{"text": "got " + cmd.Text})
				b.cmds <- cmd
			case socketmode.EventTypeInteractive:
				_ = b.client.AckCtx(ctx, evt.Request.EnvelopeID, nil)
				b.inters <- evt.Data.(slack.InteractionCallback)
			case socketmode.EventTypeEventsAPI:
				_ = b.client.AckCtx(ctx, evt.Request.EnvelopeID, nil)
				b.events <- evt.Data.(slackevents.EventsAPIEvent)
			}
		}
	}
}

func recv[T any](t *testing.T, ch <-chan T) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(5 * time.Second):
		t.Fatalf("timed out waiting for %T", *new(T))
		panic("unreachable")
	}
}

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestSocketModeRoundTrip(t *testing.T) {
	s := New(t)
	ctx := testCtx(t)
	b := startBot(t, s)

	if err := s.WaitConnected(ctx); err != nil {
		t.Fatal(err)
	}
	recv(t, b.hello)
	if got := s.Connects(); got != 1 {
		t.Fatalf("Connects() = %d, want 1", got)
	}

	// A slash command reaches the client with trigger and response URL, and
	// its ack (with payload) is recorded with a latency.
	envID, err := s.SendSlashCommand(ctx, SlashCommand{ChannelID: "C1", UserID: "U1", UserName: "ann", Command: "/deal", Text: "new"})
	if err != nil {
		t.Fatal(err)
	}
	cmd := recv(t, b.cmds)
	if cmd.Command != "/deal" || cmd.Text != "new" || cmd.UserID != "U1" || cmd.TeamID != TeamID || cmd.APIAppID != AppID {
		t.Fatalf("slash command = %+v", cmd)
	}
	if cmd.TriggerID == "" || !strings.HasPrefix(cmd.ResponseURL, s.URL()+"/response/") {
		t.Fatalf("trigger %q, response_url %q", cmd.TriggerID, cmd.ResponseURL)
	}
	ack, err := s.WaitAck(ctx, envID)
	if err != nil {
		t.Fatal(err)
	}
	if ack.Latency <= 0 || ack.At.IsZero() || !strings.Contains(string(ack.Payload), "got new") {
		t.Fatalf("ack = %+v (payload %s)", ack, ack.Payload)
	}

	// The modal opened with that trigger is recorded and answered with an ID.
	modal := slack.ModalViewRequest{
		Type:       slack.VTModal,
		Title:      slack.NewTextBlockObject(slack.PlainTextType, "New deal", false, false),
		CallbackID: "deal_new",
		Blocks:     slack.Blocks{BlockSet: []slack.Block{slack.NewDividerBlock()}},
	}
	opened, err := b.client.OpenViewContext(ctx, cmd.TriggerID, modal)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(opened.View.ID, "V") || opened.View.Hash == "" || opened.View.CallbackID != "deal_new" {
		t.Fatalf("opened view = %+v", opened.View)
	}
	call, err := s.WaitCall(ctx, "views.open", func(c Call) bool { return c.Param("trigger_id") == cmd.TriggerID })
	if err != nil {
		t.Fatal(err)
	}
	if call.Token != "xoxb-test" || call.JSON["view"] == nil {
		t.Fatalf("views.open call = %+v", call)
	}
	updated, err := b.client.UpdateViewContext(ctx, modal, "", opened.View.Hash, opened.View.ID)
	if err != nil || updated.View.ID != opened.View.ID || updated.View.Hash == opened.View.Hash {
		t.Fatalf("views.update = %+v, %v", updated, err)
	}
	if _, err := b.client.UpdateViewContext(ctx, modal, "", opened.View.Hash, opened.View.ID); err == nil || err.Error() != "hash_conflict" {
		t.Fatalf("stale hash: err = %v, want hash_conflict", err)
	}

	// A disconnect makes the client reconnect through apps.connections.open,
	// and the new connection keeps serving.
	if err := s.Disconnect("refresh_requested"); err != nil {
		t.Fatal(err)
	}
	if err := s.WaitConnected(ctx); err != nil {
		t.Fatal(err)
	}
	recv(t, b.hello)
	if got := s.Connects(); got != 2 {
		t.Fatalf("Connects() after disconnect = %d, want 2", got)
	}
	envID, err = s.SendSlashCommand(ctx, SlashCommand{ChannelID: "C1", UserID: "U1", Command: "/deal", Text: "again"})
	if err != nil {
		t.Fatal(err)
	}
	if cmd := recv(t, b.cmds); cmd.Text != "again" {
		t.Fatalf("after reconnect: %+v", cmd)
	}
	if _, err := s.WaitAck(ctx, envID); err != nil {
		t.Fatal(err)
	}

	// Interactions and events arrive in the shapes slack-go parses.
	envID, err = s.SendInteraction(ctx, map[string]any{
		"type": "block_actions", "team": map[string]any{"id": TeamID}, "user": map[string]any{"id": "U1"},
		"trigger_id": s.NewTriggerID(),
		"actions":    []map[string]any{{"type": "button", "action_id": "won", "block_id": "b1", "value": "D-1"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	cb := recv(t, b.inters)
	if cb.Type != slack.InteractionTypeBlockActions || len(cb.ActionCallback.BlockActions) != 1 || cb.ActionCallback.BlockActions[0].ActionID != "won" {
		t.Fatalf("interaction = %+v", cb)
	}
	if _, err := s.WaitAck(ctx, envID); err != nil {
		t.Fatal(err)
	}
	envID, err = s.SendEvent(ctx, "", map[string]any{"type": "app_home_opened", "user": "U1", "channel": "DU1", "tab": "home"})
	if err != nil {
		t.Fatal(err)
	}
	ev := recv(t, b.events)
	home, ok := ev.InnerEvent.Data.(*slackevents.AppHomeOpenedEvent)
	if !ok || home.User != "U1" || ev.TeamID != TeamID {
		t.Fatalf("event = %+v", ev)
	}
	if _, err := s.WaitAck(ctx, envID); err != nil {
		t.Fatal(err)
	}
	retryID, err := s.Redeliver(ctx, envID, "")
	if err != nil {
		t.Fatal(err)
	}
	if again := recv(t, b.events); again.InnerEvent.Type != "app_home_opened" {
		t.Fatalf("redelivered event = %+v", again)
	}
	if env, _ := s.Envelope(retryID); env.RetryAttempt != 1 || env.RetryReason != "timeout" {
		t.Fatalf("redelivered envelope = %+v", env)
	}
	if _, err := s.WaitAck(ctx, retryID); err != nil {
		t.Fatal(err)
	}
	if len(s.StrayFrames()) != 0 {
		t.Fatalf("stray frames: %q", s.StrayFrames())
	}
}

func TestPostedMessagesAndHistory(t *testing.T) {
	s := New(t)
	ctx := testCtx(t)
	api := slack.New("xoxb-test", slack.OptionAPIURL(s.APIURL()))

	meta := slack.SlackMetadata{EventType: "deal_created", EventPayload: map[string]any{"deal_id": "D-1"}}
	section := slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, "*Deal*", false, false), nil, nil)
	_, ts1, err := api.PostMessageContext(ctx, "C1", slack.MsgOptionText("first", false),
		slack.MsgOptionBlocks(section), slack.MsgOptionMetadata(meta))
	if err != nil {
		t.Fatal(err)
	}
	ch, ts2, err := api.PostMessageContext(ctx, "C1", slack.MsgOptionText("second", false))
	if err != nil || ch != "C1" || compareTS(ts2, ts1) <= 0 {
		t.Fatalf("second post: %q %q %v (first ts %q)", ch, ts2, err, ts1)
	}
	call, err := s.WaitCall(ctx, "chat.postMessage", func(c Call) bool { return c.Params["text"] == "first" })
	if err != nil || call.Params["channel"] != "C1" || call.Token != "xoxb-test" {
		t.Fatalf("recorded call = %+v, %v", call, err)
	}

	hist, err := api.GetConversationHistoryContext(ctx, &slack.GetConversationHistoryParameters{ChannelID: "C1", Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(hist.Messages) != 2 || hist.Messages[0].Text != "second" || hist.Messages[1].Timestamp != ts1 {
		t.Fatalf("history = %+v", hist.Messages)
	}
	if got := hist.Messages[1].Metadata; got.EventType != "deal_created" || got.EventPayload["deal_id"] != "D-1" {
		t.Fatalf("metadata = %+v", got)
	}
	if len(hist.Messages[1].Blocks.BlockSet) != 1 {
		t.Fatalf("blocks = %+v", hist.Messages[1].Blocks)
	}
	limited, err := api.GetConversationHistoryContext(ctx, &slack.GetConversationHistoryParameters{ChannelID: "C1", Limit: 1})
	if err != nil || len(limited.Messages) != 1 || !limited.HasMore || limited.Messages[0].Timestamp != ts2 {
		t.Fatalf("limit 1 = %+v, %v", limited, err)
	}
	newer, err := api.GetConversationHistoryContext(ctx, &slack.GetConversationHistoryParameters{ChannelID: "C1", Oldest: ts1})
	if err != nil || len(newer.Messages) != 1 || newer.Messages[0].Timestamp != ts2 {
		t.Fatalf("oldest = %+v, %v", newer, err)
	}

	// chat.update replaces text and keeps the blocks and metadata it omits.
	if _, _, _, err := api.UpdateMessageContext(ctx, "C1", ts1, slack.MsgOptionText("first, edited", false)); err != nil {
		t.Fatal(err)
	}
	// chat.postEphemeral checks the channel and its members as Slack does.
	for _, c := range []struct{ channel, user, code string }{
		{"C1", "U1", "channel_not_found"},
		{"C0GONE", "U1", "channel_not_found"},
	} {
		if _, err := api.PostEphemeralContext(ctx, c.channel, c.user, slack.MsgOptionText("x", false)); err == nil || err.Error() != c.code {
			t.Errorf("ephemeral to %s in %s: %v, want %s", c.user, c.channel, err, c.code)
		}
	}
	s.AddChannel(Channel{ID: "C1", Name: "sales", Members: []string{BotUserID, "U1"}})
	s.AddChannel(Channel{ID: "C2", Name: "nobot", Members: []string{"U1"}, BotAbsent: true})
	s.AddChannel(Channel{ID: "C3", Name: "old", Members: []string{BotUserID, "U1"}, Archived: true})
	for _, c := range []struct{ channel, user, code string }{
		{"C1", "U2", "user_not_in_channel"},
		{"C2", "U1", "not_in_channel"},
		{"C3", "U1", "is_archived"},
		{"DU2", "U1", "user_not_in_channel"},
	} {
		if _, err := api.PostEphemeralContext(ctx, c.channel, c.user, slack.MsgOptionText("x", false)); err == nil || err.Error() != c.code {
			t.Errorf("ephemeral to %s in %s: %v, want %s", c.user, c.channel, err, c.code)
		}
	}
	if _, err := api.PostEphemeralContext(ctx, "C1", "U1", slack.MsgOptionText("just for you", false)); err != nil {
		t.Fatal(err)
	}
	if e := s.Ephemerals("C1", "U1"); len(e) != 1 || e[0].Text != "just for you" || len(s.Ephemerals("C1", "U2")) != 0 {
		t.Errorf("ephemerals recorded: %+v", e)
	}
	msgs := s.Messages("C1")
	if len(msgs) != 3 || msgs[0].Text != "first, edited" || msgs[0].Blocks == nil || msgs[0].Metadata == nil || msgs[0].Edits != 1 {
		t.Fatalf("messages = %+v", msgs)
	}
	if !msgs[2].Ephemeral || msgs[2].User != "U1" {
		t.Fatalf("ephemeral = %+v", msgs[2])
	}
	var md slack.SlackMetadata
	if err := json.Unmarshal(msgs[0].Metadata, &md); err != nil || md.EventType != "deal_created" {
		t.Fatalf("stored metadata %s: %v", msgs[0].Metadata, err)
	}
	if _, _, _, err := api.UpdateMessageContext(ctx, "C1", "1.000001", slack.MsgOptionText("x", false)); err == nil || err.Error() != "message_not_found" {
		t.Fatalf("update of unknown ts: %v", err)
	}

	// Posting to a user ID lands in the DM that conversations.open reports.
	dm, _, _, err := api.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{"U2"}})
	if err != nil {
		t.Fatal(err)
	}
	if ch, _, err := api.PostMessageContext(ctx, "U2", slack.MsgOptionText("hi", false)); err != nil || ch != dm.ID {
		t.Fatalf("post to user: channel %q (DM %q), %v", ch, dm.ID, err)
	}
	if m, err := s.WaitMessage(ctx, "U2", nil); err != nil || m.Text != "hi" {
		t.Fatalf("WaitMessage = %+v, %v", m, err)
	}
}
