package outbox

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/riverqueue/river"
	"github.com/slack-go/slack"
)

const (
	// historyMargin is how far before the job's creation the history
	// search starts, for a Slack clock behind the database's.
	historyMargin = 5 * time.Minute
	// historyPageSize and historyMaxPages bound the search: conversations
	// .history is a Tier 3 method (about 50 calls a minute).
	historyPageSize = 100
	historyMaxPages = 10
)

// alreadyPosted reports whether the channel's history holds a message an
// earlier run of job posted, recognised by its metadata. It searches from
// the job's creation (nothing can have been posted before), newest first.
func (w *worker) alreadyPosted(ctx context.Context, job *river.Job[deliveryArgs]) (bool, error) {
	channel, err := w.conversation(ctx, job.Args.Channel)
	if err != nil {
		return false, err
	}
	params := &slack.GetConversationHistoryParameters{
		ChannelID:          channel,
		Oldest:             slackTS(job.CreatedAt.Add(-historyMargin)),
		Limit:              historyPageSize,
		IncludeAllMetadata: true,
	}
	for range historyMaxPages {
		resp, err := w.poster.GetConversationHistoryContext(ctx, params)
		if err != nil {
			return false, err
		}
		for _, m := range resp.Messages {
			if postedBy(m, job.ID) {
				return true, nil
			}
		}
		if !resp.HasMore || len(resp.Messages) == 0 {
			return false, nil
		}
		// Page with the cursor when Slack gives one, else by moving
		// latest below the oldest message seen.
		params.Cursor = resp.ResponseMetaData.NextCursor
		if params.Cursor == "" {
			params.Latest = resp.Messages[len(resp.Messages)-1].Timestamp
		}
	}
	w.log.WarnContext(ctx, "outbox: history too long to search to the job's start; posting",
		attrs(job, "messages_searched", historyPageSize*historyMaxPages)...)
	return false, nil
}

// conversation resolves a user ID to the bot's DM channel with that user,
// where a post to the user ID lands. conversations.open returns the same
// DM every time, so a re-run finds the channel an earlier run posted to
// without having recorded it anywhere.
func (w *worker) conversation(ctx context.Context, channel string) (string, error) {
	if !isUserID(channel) {
		return channel, nil
	}
	c, _, _, err := w.poster.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{channel}, ReturnIM: true})
	if err != nil {
		return "", fmt.Errorf("open DM with %s: %w", channel, err)
	}
	return c.ID, nil
}

// postedBy reports whether m carries the metadata of job's post.
func postedBy(m slack.Message, job int64) bool {
	if m.Metadata.EventType != eventType {
		return false
	}
	switch v := m.Metadata.EventPayload["job_id"].(type) {
	case float64: // how encoding/json decodes any JSON number; exact below 2^53
		return v == float64(job)
	case json.Number:
		return v.String() == strconv.FormatInt(job, 10)
	case string:
		return v == strconv.FormatInt(job, 10)
	}
	return false
}

// slackTS formats t as a Slack timestamp, seconds and microseconds.
func slackTS(t time.Time) string {
	us := t.UnixMicro()
	return fmt.Sprintf("%d.%06d", us/1e6, us%1e6)
}
