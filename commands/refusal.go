package commands

import (
	"errors"
	"fmt"
)

// Why Slack refused a channel operation, for errors.Is on a *SlackRefusal.
var (
	ErrNameTaken       = errors.New("a channel with that name already exists")
	ErrBadChannelName  = errors.New("the channel name is not allowed")
	ErrMissingScope    = errors.New("the app lacks a permission (scope)")
	ErrRestricted      = errors.New("the workspace does not allow the app to do this")
	ErrChannelArchived = errors.New("the channel is archived")
	ErrChannelNotFound = errors.New("the channel no longer exists")
	ErrNotInChannel    = errors.New("the app is not in the channel")
	ErrUserNotFound    = errors.New("the person is not in the workspace")
)

// SlackRefusal is Slack answering ok:false to a channel operation. Kind is
// one of the errors above, or nil for a code salesbot does not sort.
type SlackRefusal struct {
	Op     string // create, invite, rename, archive, pin, permalink
	Code   string // Slack's error code, e.g. name_taken
	Needed string // for missing_scope: the scope Slack named, e.g. channels:manage
	Kind   error
}

func (e *SlackRefusal) Error() string {
	if e.Needed != "" {
		return fmt.Sprintf("slack %s: %s (needs %s)", e.Op, e.Code, e.Needed)
	}
	return fmt.Sprintf("slack %s: %s", e.Op, e.Code)
}

func (e *SlackRefusal) Unwrap() error { return e.Kind }

// refusalKinds sorts Slack's error codes of the channel methods.
var refusalKinds = map[string]error{
	"name_taken":                          ErrNameTaken,
	"invalid_name":                        ErrBadChannelName,
	"invalid_name_required":               ErrBadChannelName,
	"invalid_name_maxlength":              ErrBadChannelName,
	"invalid_name_specials":               ErrBadChannelName,
	"invalid_name_punctuation":            ErrBadChannelName,
	"missing_scope":                       ErrMissingScope,
	"restricted_action":                   ErrRestricted,
	"restricted_action_read_only_channel": ErrRestricted,
	"team_access_not_granted":             ErrRestricted,
	"is_archived":                         ErrChannelArchived,
	"channel_not_found":                   ErrChannelNotFound,
	"not_in_channel":                      ErrNotInChannel,
	"user_not_found":                      ErrUserNotFound,
	"user_is_deactivated":                 ErrUserNotFound,
}

// NewSlackRefusal sorts Slack's error code for op.
func NewSlackRefusal(op, code, needed string) *SlackRefusal {
	return &SlackRefusal{Op: op, Code: code, Needed: needed, Kind: refusalKinds[code]}
}
