package simulator

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"

	"salesbot"
	"salesbot/internal/slackfake"
)

func TestManifestShortcutsAndEvents(t *testing.T) {
	scs := parseShortcuts(salesbot.Manifest)
	if len(scs) == 0 || scs[0].CallbackID != "new_lead" || scs[0].Type != "global" || scs[0].Name != "New lead" {
		t.Fatalf("shortcuts = %+v", scs)
	}
	if ev := parseBotEvents(salesbot.Manifest); !ev["app_home_opened"] || !ev["message.channels"] || !ev["message.groups"] {
		t.Fatalf("bot events = %v", ev)
	}
}

const roomsManifest = `features:
  shortcuts:
    - name: Add to deal
      type: message
      callback_id: add_to_deal
      description: Log this message on a deal
  slash_commands:
    - command: /form
settings:
  event_subscriptions:
    bot_events:
      - app_home_opened
      - message.channels
      - message.groups
      - group_rename
`

// roomBot is a Socket Mode app on the real slack-go client that acks
// everything, hands events and interactions to the test, and opens a modal
// for a message shortcut.
func roomBot(t *testing.T, ctx context.Context, api *slack.Client) (chan slackevents.EventsAPIEvent, chan slack.InteractionCallback) {
	client := socketmode.New(api)
	events, inters := make(chan slackevents.EventsAPIEvent, 10), make(chan slack.InteractionCallback, 10)
	go func() { _ = client.RunContext(ctx) }()
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case evt := <-client.Events:
				switch data := evt.Data.(type) {
				case slackevents.EventsAPIEvent:
					client.Ack(*evt.Request)
					events <- data
				case slack.InteractionCallback:
					client.Ack(*evt.Request)
					if data.Type == slack.InteractionTypeMessageAction {
						_, err := api.OpenViewContext(ctx, data.TriggerID, slack.ModalViewRequest{Type: slack.VTModal,
							Title:  slack.NewTextBlockObject("plain_text", "Add to deal", false, false),
							Blocks: slack.Blocks{BlockSet: []slack.Block{slack.NewDividerBlock()}}})
						if err != nil {
							t.Errorf("views.open: %v", err)
						}
					}
					inters <- data
				}
			}
		}
	}()
	return events, inters
}

func stateOf(t *testing.T, s *Server, user, channel string) state {
	t.Helper()
	resp, err := http.Get(s.fake.URL() + "/sim/state?user=" + user + "&channel=" + url.QueryEscape(channel))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var st state
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		t.Fatal(err)
	}
	return st
}

func recvOne[T any](t *testing.T, ctx context.Context, ch <-chan T) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-ctx.Done():
		t.Fatalf("timed out waiting for %T", *new(T))
		panic("unreachable")
	}
}

func TestDealRoomChannelsShortcutsAndMessageEvents(t *testing.T) {
	s, err := Start(Options{Addr: "127.0.0.1:0", Manifest: []byte(roomsManifest)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	api := slack.New("xoxb-test", slack.OptionAppLevelToken("xapp-test"), slack.OptionAPIURL(s.APIURL()))
	events, inters := roomBot(t, ctx, api)
	if err := s.Fake().WaitConnected(ctx); err != nil {
		t.Fatal(err)
	}

	// The bot opens a private room for Sam and pins its card there.
	room, err := api.CreateConversationContext(ctx, slack.CreateConversationParams{ChannelName: "deal-42-acme", IsPrivate: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := api.InviteUsersToConversationContext(ctx, room.ID, "U03SAM"); err != nil {
		t.Fatal(err)
	}
	_, card, err := api.PostMessageContext(ctx, room.ID, slack.MsgOptionText("D-42 Acme", false))
	if err != nil {
		t.Fatal(err)
	}
	if err := api.AddPinContext(ctx, room.ID, slack.NewRefToMessage(room.ID, card)); err != nil {
		t.Fatal(err)
	}
	// Slack tells the bot of its own post, as of anyone's.
	echo, ok := recvOne(t, ctx, events).InnerEvent.Data.(*slackevents.MessageEvent)
	if !ok || echo.TimeStamp != card || echo.User != slackfake.BotUserID || echo.BotID != slackfake.BotID {
		t.Fatalf("echo of the card = %#v", echo)
	}
	st := stateOf(t, s, "U03SAM", room.ID)
	i := slices.IndexFunc(st.Channels, func(c channelJSON) bool { return c.ID == room.ID })
	if i < 0 || !st.Channels[i].Private || st.Channels[i].Name != "deal-42-acme" || len(st.Messages) != 1 || !st.Messages[0].Pinned {
		t.Fatalf("Sam's view of the room: channels %+v, messages %+v", st.Channels, st.Messages)
	}
	if st := stateOf(t, s, "U04PRIYA", room.ID); slices.ContainsFunc(st.Channels, func(c channelJSON) bool { return c.ID == room.ID }) {
		t.Fatalf("Priya sees the private room: %+v", st.Channels)
	}

	// A post where the bot is not a member is not sent; one in the room is.
	s.Fake().AddChannel(slackfake.Channel{ID: "C09QUIET", Name: "quiet", Members: []string{"U03SAM"}})
	post(t, s, "/sim/command", map[string]any{"user": "U03SAM", "channel": "C09QUIET", "text": "nothing for the bot"})
	post(t, s, "/sim/command", map[string]any{"user": "U03SAM", "channel": room.ID, "text": "Acme wants 40 seats"})
	ev := recvOne(t, ctx, events)
	msg, ok := ev.InnerEvent.Data.(*slackevents.MessageEvent)
	if !ok || msg.Channel != room.ID || msg.User != "U03SAM" || msg.Text != "Acme wants 40 seats" || msg.ChannelType != "group" || msg.BotID != "" {
		t.Fatalf("message event = %#v", ev.InnerEvent.Data)
	}

	// "Add to deal" on Sam's message: a message_action, whose trigger opens
	// a modal for Sam.
	if r := post(t, s, "/sim/shortcut", map[string]any{"user": "U03SAM", "channel": room.ID, "ts": msg.TimeStamp, "callback_id": "add_to_deal"}); r["ok"] != true {
		t.Fatalf("shortcut = %v", r)
	}
	cb := recvOne(t, ctx, inters)
	if cb.Type != slack.InteractionTypeMessageAction || cb.CallbackID != "add_to_deal" || cb.Channel.ID != room.ID ||
		cb.Message.Timestamp != msg.TimeStamp || cb.Message.User != "U03SAM" || cb.User.ID != "U03SAM" || cb.ResponseURL == "" {
		t.Fatalf("message_action = %+v", cb)
	}
	waitState(t, ctx, s, func(st state) bool { return st.Modal != nil })

	// A person renames the room (the bot hears it) and then archives it
	// (the manifest does not subscribe to group_archive).
	if r := post(t, s, "/sim/channel", map[string]any{"user": "U03SAM", "channel": room.ID, "op": "rename", "name": "Deal 42"}); r["ok"] != false || r["error"] != "invalid_name_specials" {
		t.Fatalf("bad rename = %v", r)
	}
	if r := post(t, s, "/sim/channel", map[string]any{"user": "U03SAM", "channel": room.ID, "op": "rename", "name": "deal-42-acme-won"}); r["ok"] != true {
		t.Fatalf("rename = %v", r)
	}
	if rn, ok := recvOne(t, ctx, events).InnerEvent.Data.(*slackevents.GroupRenameEvent); !ok || rn.Channel.Name != "deal-42-acme-won" {
		t.Fatalf("group_rename = %#v", rn)
	}
	if r := post(t, s, "/sim/channel", map[string]any{"user": "U03SAM", "channel": room.ID, "op": "archive"}); r["ok"] != true {
		t.Fatalf("archive = %v", r)
	}
	post(t, s, "/sim/command", map[string]any{"user": "U03SAM", "channel": room.ID, "text": "too late"})
	st = stateOf(t, s, "U03SAM", room.ID)
	i = slices.IndexFunc(st.Channels, func(c channelJSON) bool { return c.ID == room.ID })
	last := st.Messages[len(st.Messages)-1]
	if i < 0 || !st.Channels[i].Archived || last.Via != "slackbot" || !strings.Contains(last.Text, "archived") {
		t.Fatalf("after archiving: channels %+v, last message %+v", st.Channels, last)
	}
	var messageEvents int
	for _, env := range s.Fake().Envelopes() {
		if env.Type == "events_api" && strings.Contains(string(env.Payload), `"type":"message"`) {
			messageEvents++
		}
	}
	if messageEvents != 2 {
		t.Fatalf("%d message events, want 2 (the room's card and Sam's post)", messageEvents)
	}

	// Only the manifest's message shortcuts are sent.
	b, _ := json.Marshal(map[string]any{"user": "U03SAM", "channel": room.ID, "ts": msg.TimeStamp, "callback_id": "new_lead"})
	resp, err := http.Post(s.fake.URL()+"/sim/shortcut", "application/json", strings.NewReader(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("unknown shortcut: %s", resp.Status)
	}
}
