package salesdb

import (
	"context"

	"github.com/jmoiron/sqlx"

	"salesbot/pipeline"
)

// SetNotify stores in.Actor's notification choices, in one transaction
// keyed by in.IdempotencyKey. Anyone may set their own.
func (s *Service) SetNotify(ctx context.Context, in SetNotify) error {
	switch {
	case in.Team == "":
		return invalid("team", "The workspace is missing.")
	case in.Actor.ID == "":
		return invalid("actor", "Whose notifications these are is missing.")
	case in.Actor.WorkspaceID != in.Team:
		return invalid("actor", "That person is not in this workspace.")
	case (in.QuietStart == "") != (in.QuietEnd == ""):
		return invalid("quiet_hours", "Say when your quiet hours start and end, or leave both empty.")
	}
	prefs := pipeline.NotifyPrefs{Wants: in.Wants, QuietStart: in.QuietStart, QuietEnd: in.QuietEnd}
	return s.once(ctx, in.Team, in.IdempotencyKey, func(tx *sqlx.Tx) error {
		return s.store.SetNotify(ctx, tx, in.Team, in.Actor.ID, prefs)
	})
}

// NotifyChoices are actor's own notification choices, as SetNotify stored
// them; choices that cannot be read count as the defaults.
func (s *Service) NotifyChoices(ctx context.Context, actor pipeline.User) (NotifyChoices, error) {
	people, err := s.store.Recipients(ctx, s.store.DB(), actor.WorkspaceID, []string{actor.ID})
	if err != nil {
		return NotifyChoices{}, err
	}
	c := people[actor.ID].Notify
	if c.Wants == nil {
		c.Wants = map[string]bool{}
	}
	return c, nil
}
