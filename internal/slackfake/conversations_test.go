package slackfake

import (
	"errors"
	"strings"
	"testing"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
)

func TestChannelNames(t *testing.T) {
	for name, want := range map[string]string{
		"deal-42-acme_inc":      "",
		"d":                     "",
		"":                      "invalid_name_required",
		strings.Repeat("a", 80): "",
		strings.Repeat("a", 81): "invalid_name_maxlength",
		"Deal-42":               "invalid_name_specials",
		"deal 42":               "invalid_name_specials",
		"deal.42":               "invalid_name_specials",
		"déal":                  "invalid_name_specials",
		"---":                   "invalid_name_punctuation",
	} {
		if got := ChannelNameError(name); got != want {
			t.Errorf("ChannelNameError(%q) = %q, want %q", name, got, want)
		}
	}
}

// slackCode is the Slack error code slack-go returned, or "".
func slackCode(err error) string {
	var se slack.SlackErrorResponse
	if errors.As(err, &se) {
		return se.Err
	}
	if err != nil {
		return "other: " + err.Error()
	}
	return ""
}

func TestCreateInviteRenameArchivePin(t *testing.T) {
	s := New(t, WithStrictUsers())
	ctx := testCtx(t)
	api := slack.New("xoxb-test", slack.OptionAPIURL(s.APIURL()))
	s.AddUser(User{ID: "U1", Name: "ann"})
	s.AddUser(User{ID: "U2", Name: "bob"})

	for _, tc := range []struct{ name, code string }{
		{"Deal-42", "invalid_name_specials"},
		{"deal 42", "invalid_name_specials"},
		{strings.Repeat("x", 81), "invalid_name_maxlength"},
		{"", "invalid_name_required"},
	} {
		_, err := api.CreateConversationContext(ctx, slack.CreateConversationParams{ChannelName: tc.name})
		if got := slackCode(err); got != tc.code {
			t.Errorf("create %q: %q, want %q", tc.name, got, tc.code)
		}
	}
	room, err := api.CreateConversationContext(ctx, slack.CreateConversationParams{ChannelName: "deal-42-acme", IsPrivate: true})
	if err != nil || room.Name != "deal-42-acme" || !room.IsPrivate || !room.IsMember || room.Creator != BotUserID {
		t.Fatalf("create = %+v, %v", room, err)
	}
	if _, err := api.CreateConversationContext(ctx, slack.CreateConversationParams{ChannelName: "deal-42-acme"}); slackCode(err) != "name_taken" {
		t.Fatalf("second create: %v", err)
	}

	for _, tc := range []struct {
		channel string
		users   []string
		code    string
	}{
		{room.ID, []string{BotUserID}, "cant_invite_self"},
		{room.ID, []string{"U9"}, "user_not_found"},
		{room.ID, []string{"U1", "U9"}, "user_not_found"}, // all or nothing: U1 is not added
		{"C999", []string{"U1"}, "channel_not_found"},
	} {
		if _, err := api.InviteUsersToConversationContext(ctx, tc.channel, tc.users...); slackCode(err) != tc.code {
			t.Errorf("invite %v to %s: %v, want %s", tc.users, tc.channel, err, tc.code)
		}
	}
	if _, err := api.InviteUsersToConversationContext(ctx, room.ID, "U1", "U2"); err != nil {
		t.Fatal(err)
	}
	if _, err := api.InviteUsersToConversationContext(ctx, room.ID, "U1"); slackCode(err) != "already_in_channel" {
		t.Fatalf("second invite: %v", err)
	}
	if ch, _ := s.Channel(room.ID); strings.Join(ch.Members, ",") != BotUserID+",U1,U2" {
		t.Fatalf("members = %v", ch.Members)
	}
	s.AddChannel(Channel{ID: "C2", Name: "elsewhere", BotAbsent: true})
	if _, err := api.InviteUsersToConversationContext(ctx, "C2", "U1"); slackCode(err) != "not_in_channel" {
		t.Fatalf("invite where the bot is not: %v", err)
	}

	if _, err := api.RenameConversationContext(ctx, room.ID, "elsewhere"); slackCode(err) != "name_taken" {
		t.Fatalf("rename to a taken name: %v", err)
	}
	if _, err := api.RenameConversationContext(ctx, room.ID, "Big Deal"); slackCode(err) != "invalid_name_specials" {
		t.Fatalf("rename to a bad name: %v", err)
	}
	renamed, err := api.RenameConversationContext(ctx, room.ID, "deal-42-acme-won")
	if err != nil || renamed.Name != "deal-42-acme-won" {
		t.Fatalf("rename = %+v, %v", renamed, err)
	}

	_, ts, err := api.PostMessageContext(ctx, room.ID, slack.MsgOptionText("card", false))
	if err != nil {
		t.Fatal(err)
	}
	if err := api.AddPinContext(ctx, room.ID, slack.ItemRef{Timestamp: "1.000001"}); slackCode(err) != "message_not_found" {
		t.Fatalf("pin an unknown message: %v", err)
	}
	if err := api.AddPinContext(ctx, room.ID, slack.NewRefToMessage(room.ID, ts)); err != nil {
		t.Fatal(err)
	}
	if err := api.AddPinContext(ctx, room.ID, slack.NewRefToMessage(room.ID, ts)); slackCode(err) != "already_pinned" {
		t.Fatalf("second pin: %v", err)
	}
	if pins := s.Pins(room.ID); len(pins) != 1 || pins[0] != ts {
		t.Fatalf("pins = %v", pins)
	}
	link, err := api.GetPermalinkContext(ctx, &slack.PermalinkParameters{Channel: room.ID, Ts: ts})
	if err != nil || !strings.HasSuffix(link, "/archives/"+room.ID+"/p"+strings.Replace(ts, ".", "", 1)) {
		t.Fatalf("permalink = %q, %v", link, err)
	}
	if _, err := api.GetPermalinkContext(ctx, &slack.PermalinkParameters{Channel: room.ID, Ts: "1.000001"}); slackCode(err) != "message_not_found" {
		t.Fatalf("permalink of an unknown message: %v", err)
	}

	if err := api.ArchiveConversationContext(ctx, room.ID); err != nil {
		t.Fatal(err)
	}
	if err := api.ArchiveConversationContext(ctx, room.ID); slackCode(err) != "already_archived" {
		t.Fatalf("second archive: %v", err)
	}
	info, err := api.GetConversationInfoContext(ctx, &slack.GetConversationInfoInput{ChannelID: room.ID})
	if err != nil || !info.IsArchived || info.Name != "deal-42-acme-won" {
		t.Fatalf("info = %+v, %v", info, err)
	}
	if _, _, err := api.PostMessageContext(ctx, room.ID, slack.MsgOptionText("late", false)); slackCode(err) != "is_archived" {
		t.Fatalf("post to an archived channel: %v", err)
	}
	if _, err := api.InviteUsersToConversationContext(ctx, room.ID, "U2"); slackCode(err) != "is_archived" {
		t.Fatalf("invite to an archived channel: %v", err)
	}
}

func TestInjectedRefusalsNameTheScope(t *testing.T) {
	s := New(t)
	ctx := testCtx(t)
	api := slack.New("xoxb-test", slack.OptionAPIURL(s.APIURL()))
	s.SetFailure("conversations.create", Failure{Times: 1, Error: "missing_scope", Needed: "groups:write", Provided: "commands,chat:write"})
	_, err := api.CreateConversationContext(ctx, slack.CreateConversationParams{ChannelName: "deal-1", IsPrivate: true})
	var se slack.SlackErrorResponse
	if !errors.As(err, &se) || se.Err != "missing_scope" || se.Needed != "groups:write" || se.Provided != "commands,chat:write" {
		t.Fatalf("missing scope: %#v", err)
	}
	s.SetFailure("conversations.create", Failure{Times: 1, Error: "restricted_action"})
	if _, err := api.CreateConversationContext(ctx, slack.CreateConversationParams{ChannelName: "deal-1"}); slackCode(err) != "restricted_action" {
		t.Fatalf("restricted: %v", err)
	}
	if len(s.Channels()) != 0 {
		t.Fatalf("a refused create made a channel: %+v", s.Channels())
	}
	if _, err := api.CreateConversationContext(ctx, slack.CreateConversationParams{ChannelName: "deal-1"}); err != nil {
		t.Fatalf("after the refusals: %v", err)
	}
}

func TestChannelEventsAndMessageShortcut(t *testing.T) {
	s := New(t)
	ctx := testCtx(t)
	b := startBot(t, s)
	if err := s.WaitConnected(ctx); err != nil {
		t.Fatal(err)
	}
	s.AddChannel(Channel{ID: "C1", Name: "sales", Members: []string{BotUserID, "U1"}})
	s.AddChannel(Channel{ID: "C2", Name: "secret", IsPrivate: true, Members: []string{BotUserID}})

	posted, _, err := s.PostAsUser(ctx, Message{Channel: "C1", User: "U1", Text: "Acme wants 40 seats, see D-42"})
	if err != nil {
		t.Fatal(err)
	}
	ev := recv(t, b.events)
	msg, ok := ev.InnerEvent.Data.(*slackevents.MessageEvent)
	if !ok || msg.Channel != "C1" || msg.User != "U1" || msg.TimeStamp != posted.TS || msg.ChannelType != "channel" ||
		msg.BotID != "" || msg.SubType != "" || !strings.Contains(msg.Text, "D-42") {
		t.Fatalf("message event = %#v", ev.InnerEvent.Data)
	}

	// Another app's message, and the bot's own post echoed back.
	if _, _, err := s.PostAsUser(ctx, Message{Channel: "C2", User: "U0OTHER", BotID: "B0OTHER", SubType: "bot_message", Text: "D-1"}); err != nil {
		t.Fatal(err)
	}
	if msg := recv(t, b.events).InnerEvent.Data.(*slackevents.MessageEvent); msg.BotID != "B0OTHER" || msg.SubType != "bot_message" || msg.ChannelType != "group" {
		t.Fatalf("bot message event = %#v", msg)
	}
	api := slack.New("xoxb-test", slack.OptionAPIURL(s.APIURL()))
	_, ts, err := api.PostMessageContext(ctx, "C1", slack.MsgOptionText("D-42: Acme", false))
	if err != nil {
		t.Fatal(err)
	}
	own, err := s.WaitMessage(ctx, "C1", func(m Message) bool { return m.TS == ts })
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SendEvent(ctx, "", s.MessageEvent(own)); err != nil {
		t.Fatal(err)
	}
	if msg := recv(t, b.events).InnerEvent.Data.(*slackevents.MessageEvent); msg.User != BotUserID || msg.BotID != BotID {
		t.Fatalf("own message event = %#v", msg)
	}

	if _, err := s.RenameChannel("C1", "Sales"); err == nil || err.Error() != "invalid_name_specials" {
		t.Fatalf("rename to a bad name: %v", err)
	}
	send(t, s, func() (map[string]any, error) { return s.RenameChannel("C1", "sales-emea") })
	if rn, ok := recv(t, b.events).InnerEvent.Data.(*slackevents.ChannelRenameEvent); !ok || rn.Channel.ID != "C1" || rn.Channel.Name != "sales-emea" {
		t.Fatalf("channel_rename = %#v", rn)
	}
	send(t, s, func() (map[string]any, error) { return s.JoinChannel("C1", "U2", "U1") })
	if j, ok := recv(t, b.events).InnerEvent.Data.(*slackevents.MemberJoinedChannelEvent); !ok || j.User != "U2" || j.Inviter != "U1" || j.ChannelType != "C" {
		t.Fatalf("member_joined_channel = %#v", j)
	}
	send(t, s, func() (map[string]any, error) { return s.ArchiveChannel("C1", "U1") })
	if a, ok := recv(t, b.events).InnerEvent.Data.(*slackevents.ChannelArchiveEvent); !ok || a.Channel != "C1" || a.User != "U1" {
		t.Fatalf("channel_archive = %#v", a)
	}
	if ch, _ := s.Channel("C1"); !ch.Archived || ch.Name != "sales-emea" {
		t.Fatalf("channel after the events = %+v", ch)
	}

	if _, err := s.SendMessageShortcut(ctx, MessageShortcut{UserID: "U1", UserName: "ann", CallbackID: "add_to_deal", Channel: "C1", MessageTS: "1.000001"}); err == nil {
		t.Fatal("a shortcut on an unknown message was sent")
	}
	if _, err := s.SendMessageShortcut(ctx, MessageShortcut{UserID: "U1", UserName: "ann", CallbackID: "add_to_deal", Channel: "C1", MessageTS: posted.TS}); err != nil {
		t.Fatal(err)
	}
	cb := recv(t, b.inters)
	if cb.Type != slack.InteractionTypeMessageAction || cb.CallbackID != "add_to_deal" || cb.Channel.ID != "C1" || cb.Channel.Name != "sales-emea" ||
		cb.Message.Timestamp != posted.TS || cb.Message.User != "U1" || cb.Message.Text != posted.Text || cb.MessageTs != posted.TS ||
		cb.User.ID != "U1" || cb.Team.ID != TeamID || cb.TriggerID == "" || !strings.HasPrefix(cb.ResponseURL, s.URL()+"/response/") {
		t.Fatalf("message_action = %+v", cb)
	}
}

// send sends the event a person's doing returned.
func send(t *testing.T, s *Server, do func() (map[string]any, error)) {
	t.Helper()
	ev, err := do()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SendEvent(testCtx(t), "", ev); err != nil {
		t.Fatal(err)
	}
}
