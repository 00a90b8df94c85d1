package bot

import (
	"context"
	"errors"
	"fmt"

	"github.com/slack-go/slack"

	"salesbot/commands"
)

var _ commands.Channels = (*API)(nil)

// refusal turns Slack's ok:false answer into a *commands.SlackRefusal, so the
// caller can tell the person why; other errors (network, rate limit) are
// wrapped as they are.
func refusal(op string, err error) error {
	var se slack.SlackErrorResponse
	if errors.As(err, &se) {
		return commands.NewSlackRefusal(op, se.Err, se.Needed)
	}
	return fmt.Errorf("slack %s: %w", op, RedactError(err))
}

// slackCode is Slack's error code in err, or "".
func slackCode(err error) string {
	var se slack.SlackErrorResponse
	if errors.As(err, &se) {
		return se.Err
	}
	return ""
}

// CreateChannel makes a channel with exactly name; Slack refuses names it
// would have to change (see commands.ErrBadChannelName), and name_taken
// includes archived channels.
func (a *API) CreateChannel(ctx context.Context, name string, private bool) (string, error) {
	ch, err := a.CreateConversationContext(ctx, slack.CreateConversationParams{ChannelName: name, IsPrivate: private})
	if err != nil {
		return "", refusal("create", err)
	}
	return ch.ID, nil
}

// InviteToChannel invites users. Slack refuses the whole call when one of
// them is already there, so on already_in_channel each is invited alone and
// those already in are skipped: inviting again after a redelivery succeeds.
func (a *API) InviteToChannel(ctx context.Context, channelID string, users ...string) error {
	if len(users) == 0 {
		return nil
	}
	_, err := a.InviteUsersToConversationContext(ctx, channelID, users...)
	if slackCode(err) == "already_in_channel" && len(users) > 1 {
		for _, u := range users {
			if err := a.InviteToChannel(ctx, channelID, u); err != nil {
				return err
			}
		}
		return nil
	}
	if err != nil && slackCode(err) != "already_in_channel" {
		return refusal("invite", err)
	}
	return nil
}

func (a *API) RenameChannel(ctx context.Context, channelID, name string) error {
	if _, err := a.RenameConversationContext(ctx, channelID, name); err != nil {
		return refusal("rename", err)
	}
	return nil
}

// ArchiveChannel archives a channel; one already archived (by a person, or
// by an earlier attempt) counts as done.
func (a *API) ArchiveChannel(ctx context.Context, channelID string) error {
	if err := a.ArchiveConversationContext(ctx, channelID); err != nil && slackCode(err) != "already_archived" {
		return refusal("archive", err)
	}
	return nil
}

// PinMessage pins a message; one already pinned counts as done.
func (a *API) PinMessage(ctx context.Context, channelID, ts string) error {
	if err := a.AddPinContext(ctx, channelID, slack.NewRefToMessage(channelID, ts)); err != nil && slackCode(err) != "already_pinned" {
		return refusal("pin", err)
	}
	return nil
}

func (a *API) MessagePermalink(ctx context.Context, channelID, ts string) (string, error) {
	link, err := a.GetPermalinkContext(ctx, &slack.PermalinkParameters{Channel: channelID, Ts: ts})
	if err != nil {
		return "", refusal("permalink", err)
	}
	return link, nil
}

// channelPage is how many channels one conversations.list call asks for:
// Slack's advice for a paged list is 200 or fewer.
const channelPage = 200

// ChannelByName pages through conversations.list (public channels, and
// the private ones the bot is in, archived included) for the channel
// called name. Names are unique in a workspace, archived channels
// included, so the first match is the one.
func (a *API) ChannelByName(ctx context.Context, name string) (string, string, bool, bool, error) {
	p := &slack.GetConversationsParameters{Types: []string{"public_channel", "private_channel"}, Limit: channelPage}
	for {
		chs, next, err := a.GetConversationsContext(ctx, p)
		if err != nil {
			return "", "", false, false, refusal("list", err)
		}
		for _, ch := range chs {
			if ch.Name == name {
				return ch.ID, ch.Creator, ch.IsArchived, true, nil
			}
		}
		if next == "" {
			return "", "", false, false, nil
		}
		p.Cursor = next
	}
}
