package salesdb

import (
	"context"
	"errors"

	"github.com/jmoiron/sqlx"

	"salesbot/pipeline"
	"salesbot/sales"
)

// SetMentions turns deal mentions on or off in in.Channel, when in.Actor is
// an admin (ErrForbidden otherwise, and nothing is written), once per
// in.IdempotencyKey. It returns the channel's settings after the change.
func (s *Service) SetMentions(ctx context.Context, in sales.SetMentions) (pipeline.ChannelSettings, error) {
	cs := pipeline.ChannelSettings{WorkspaceID: in.Team, ChannelID: in.Channel}
	switch {
	case in.Team == "":
		return cs, invalid("team", "The workspace is missing.")
	case in.Actor.ID == "" || in.Actor.WorkspaceID != in.Team:
		return cs, invalid("actor", "The person asking is not in this workspace.")
	case in.Channel == "" || in.Channel[0] == 'D':
		return cs, invalid("channel", "Deal mentions are set per channel: use this command in the channel.")
	}
	if err := requireAdmin(in.Actor, "turn deal mentions on or off"); err != nil {
		return cs, err
	}
	now := s.now()
	err := s.once(ctx, in.Team, in.IdempotencyKey, func(tx *sqlx.Tx) error {
		return s.store.SetChannelMentions(ctx, tx, in.Team, in.Channel, in.On, in.Actor.ID, now)
	})
	if err != nil {
		return cs, err
	}
	cs.Mentions, cs.ChangedBy, cs.ChangedAt = in.On, in.Actor.ID, now
	return cs, nil
}

// ChannelSettings reads what admins set for channel (every setting off when
// nobody did).
func (s *Service) ChannelSettings(ctx context.Context, team, channel string) (pipeline.ChannelSettings, error) {
	return s.store.ChannelSettings(ctx, s.store.DB(), team, channel)
}

// MentionedDeals reads the deals numbers names that actor may see, by the
// rule of the deal card (Deal), in the order given. A number that is no
// deal of actor's workspace, or one they may not see, is left out without a
// word: a mention must not tell anyone a deal exists.
func (s *Service) MentionedDeals(ctx context.Context, actor pipeline.User, numbers []int64) ([]pipeline.Deal, error) {
	var out []pipeline.Deal
	for _, n := range numbers {
		d, err := s.Deal(ctx, actor, n)
		var nf ErrNotFound
		var fb ErrForbidden
		switch {
		case errors.As(err, &nf), errors.As(err, &fb):
			continue
		case err != nil:
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}
