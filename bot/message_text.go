package bot

import (
	"context"

	"github.com/slack-go/slack"

	"salesbot/commands"
)

// MessageText reads a message's text from Slack as it is now:
// conversations.history for a message at the top of a channel,
// conversations.replies for one in a thread (threadTS its parent's ts). Both
// bound the answer to the message's ts; it is picked by ts, since replies
// always answers the thread's parent first.
func (a *API) MessageText(ctx context.Context, channelID, ts, threadTS string) (string, error) {
	var msgs []slack.Message
	if threadTS != "" && threadTS != ts {
		got, _, _, err := a.GetConversationRepliesContext(ctx, &slack.GetConversationRepliesParameters{
			ChannelID: channelID, Timestamp: threadTS, Oldest: ts, Latest: ts, Inclusive: true, Limit: 2})
		if err != nil {
			return "", refusal("read message", err)
		}
		msgs = got
	} else {
		resp, err := a.GetConversationHistoryContext(ctx, &slack.GetConversationHistoryParameters{
			ChannelID: channelID, Latest: ts, Inclusive: true, Limit: 1})
		if err != nil {
			return "", refusal("read message", err)
		}
		msgs = resp.Messages
	}
	for _, m := range msgs {
		if m.Timestamp == ts {
			return m.Text, nil
		}
	}
	return "", commands.NewSlackRefusal("read message", "message_not_found", "")
}
