package commands

import (
	"context"

	"github.com/slack-go/slack"
)

// The Slack Web API the commands use, in four ports. Each is complete: every
// method a handler calls is named here, so a client that lacks one fails to
// compile instead of quietly turning a feature off. *bot.API implements them
// all; tests use the real slack-go client against a fake Slack.

// Messages posts and updates messages, and answers through response_url.
type Messages interface {
	PostMessageContext(ctx context.Context, channelID string, options ...slack.MsgOption) (string, string, error)
	UpdateMessageContext(ctx context.Context, channelID, timestamp string, options ...slack.MsgOption) (string, string, string, error)
	// PostEphemeralContext shows a message in a channel to one of its
	// members only (chat.postEphemeral); it returns the message's ts.
	PostEphemeralContext(ctx context.Context, channelID, userID string, options ...slack.MsgOption) (string, error)
	// Respond posts to a slash command's or a button's response_url.
	Respond(ctx context.Context, responseURL string, msg slack.WebhookMessage) error
}

// Views opens modals (views.open) and publishes Home tabs (views.publish).
type Views interface {
	OpenViewContext(ctx context.Context, triggerID string, view slack.ModalViewRequest) (*slack.ViewResponse, error)
	PublishViewContext(ctx context.Context, req slack.PublishViewContextRequest) (*slack.ViewResponse, error)
}

// Files shares files: slack-go's UploadFileContext runs Slack's current
// flow (files.getUploadURLExternal, the upload, files.completeUploadExternal).
type Files interface {
	UploadFileContext(ctx context.Context, params slack.UploadFileParameters) (*slack.FileSummary, error)
}

// Directory looks up people and conversations: users.info (is a rep still
// active), conversations.info (is the bot in a channel) and
// conversations.open (a person's DM with the bot).
type Directory interface {
	GetUserInfoContext(ctx context.Context, user string, options ...slack.GetUserInfoOption) (*slack.User, error)
	GetConversationInfoContext(ctx context.Context, input *slack.GetConversationInfoInput) (*slack.Channel, error)
	OpenConversationContext(ctx context.Context, params *slack.OpenConversationParameters) (*slack.Channel, bool, bool, error)
}

// Channels makes and keeps channels the bot owns, such as deal rooms:
// conversations.create, .invite, .rename and .archive, pins.add and
// chat.getPermalink. Slack's refusals come back as *SlackRefusal, so a use
// case can tell the person why (errors.Is with ErrNameTaken,
// ErrMissingScope, ErrRestricted, …). Inviting someone already there,
// archiving twice and pinning twice succeed, so a redelivered job can redo
// them.
type Channels interface {
	// CreateChannel makes a public or private channel and returns its ID.
	CreateChannel(ctx context.Context, name string, private bool) (string, error)
	InviteToChannel(ctx context.Context, channelID string, users ...string) error
	RenameChannel(ctx context.Context, channelID, name string) error
	ArchiveChannel(ctx context.Context, channelID string) error
	PinMessage(ctx context.Context, channelID, ts string) error
	// MessagePermalink is a link to the message for people of the workspace.
	MessagePermalink(ctx context.Context, channelID, ts string) (string, error)
	// ChannelByName finds the channel called name among the public ones
	// and the private ones the bot is in, archived included: its ID, who
	// made it and whether it is archived; found is false when there is none.
	ChannelByName(ctx context.Context, name string) (id, creator string, archived, found bool, err error)
	// MessageText is the message's text as Slack has it now (threadTS: its
	// thread's parent, "" at the top of the channel); a *SlackRefusal when
	// Slack will not show it.
	MessageText(ctx context.Context, channelID, ts, threadTS string) (string, error)
}

// Slack is the whole of the Web API that commands use.
type Slack interface {
	Messages
	Views
	Files
	Directory
}
