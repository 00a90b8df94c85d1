package commands

import (
	"context"

	"github.com/slack-go/slack"

	"salesbot/sales"
)

// UserInfo is the Slack call the sales directory needs.
type UserInfo interface {
	GetUserInfoContext(ctx context.Context, user string, options ...slack.GetUserInfoOption) (*slack.User, error)
}

// slackDirectory answers the use cases' "is this person active" with users.info.
type slackDirectory struct{ users UserInfo }

// SalesDirectory is the directory the use cases ask who is active; nil
// users gives nil (everyone taken as active).
func SalesDirectory(users UserInfo) sales.Directory {
	if users == nil {
		return nil
	}
	return slackDirectory{users}
}

func (d slackDirectory) Active(ctx context.Context, userID string) (bool, error) {
	u, err := d.users.GetUserInfoContext(ctx, userID)
	if err != nil {
		return false, err
	}
	return !u.Deleted, nil
}
