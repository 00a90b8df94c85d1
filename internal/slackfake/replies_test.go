package slackfake

import (
	"strings"
	"testing"

	"github.com/slack-go/slack"
)

// conversations.replies answers a thread, its parent first, bounded as
// asked; a private channel without the bot is channel_not_found to
// conversations.info, .history, .replies and chat.getPermalink, as in Slack.
func TestRepliesAndHiddenPrivateChannels(t *testing.T) {
	s := New(t)
	ctx := testCtx(t)
	api := slack.New("xoxb-test", slack.OptionAPIURL(s.APIURL()))
	s.AddChannel(Channel{ID: "C1", Name: "sales", Members: []string{BotUserID, "U1"}})
	parent := s.AddMessage(Message{Channel: "C1", User: "U1", Text: "parent", Via: "user"})
	r1 := s.AddMessage(Message{Channel: "C1", User: "U1", ThreadTS: parent.TS, Text: "first", Via: "user"})
	s.AddMessage(Message{Channel: "C1", User: "U1", ThreadTS: parent.TS, Text: "second", Via: "user"})

	all, _, _, err := api.GetConversationRepliesContext(ctx, &slack.GetConversationRepliesParameters{ChannelID: "C1", Timestamp: r1.TS})
	var texts []string
	for _, m := range all {
		texts = append(texts, m.Text)
	}
	if err != nil || strings.Join(texts, ",") != "parent,first,second" {
		t.Fatalf("replies = %v, %v", texts, err)
	}
	one, _, _, err := api.GetConversationRepliesContext(ctx, &slack.GetConversationRepliesParameters{ChannelID: "C1", Timestamp: parent.TS,
		Oldest: r1.TS, Latest: r1.TS, Inclusive: true, Limit: 2})
	if err != nil || len(one) != 2 || one[0].Text != "parent" || one[1].Text != "first" || one[1].ThreadTimestamp != parent.TS {
		t.Fatalf("bounded replies = %+v, %v", one, err)
	}
	if _, _, _, err := api.GetConversationRepliesContext(ctx, &slack.GetConversationRepliesParameters{ChannelID: "C1", Timestamp: "1.000001"}); err == nil || err.Error() != "thread_not_found" {
		t.Errorf("replies of no message: %v", err)
	}

	s.AddChannel(Channel{ID: "G1", Name: "secret", IsPrivate: true, BotAbsent: true, Members: []string{"U1"}})
	m := s.AddMessage(Message{Channel: "G1", User: "U1", Text: "hidden", Via: "user"})
	if _, err := api.GetConversationInfoContext(ctx, &slack.GetConversationInfoInput{ChannelID: "G1"}); err == nil || err.Error() != "channel_not_found" {
		t.Errorf("conversations.info: %v", err)
	}
	if _, err := api.GetConversationHistoryContext(ctx, &slack.GetConversationHistoryParameters{ChannelID: "G1"}); err == nil || err.Error() != "channel_not_found" {
		t.Errorf("conversations.history: %v", err)
	}
	if _, _, _, err := api.GetConversationRepliesContext(ctx, &slack.GetConversationRepliesParameters{ChannelID: "G1", Timestamp: m.TS}); err == nil || err.Error() != "channel_not_found" {
		t.Errorf("conversations.replies: %v", err)
	}
	if _, err := api.GetPermalinkContext(ctx, &slack.PermalinkParameters{Channel: "G1", Ts: m.TS}); err == nil || err.Error() != "channel_not_found" {
		t.Errorf("chat.getPermalink: %v", err)
	}
}
