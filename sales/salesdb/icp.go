package salesdb

import (
	"context"

	"github.com/jmoiron/sqlx"
)

// SetICP stores in.ICP and rescores every open deal of the workspace
// against it, in one transaction keyed by in.IdempotencyKey, when in.Actor
// is an admin (ErrForbidden otherwise, and nothing is written).
func (s *Service) SetICP(ctx context.Context, in SetICP) error {
	switch {
	case in.Team == "":
		return invalid("team", "The workspace is missing.")
	case in.Actor.ID == "":
		return invalid("actor", "Who changes the profile is missing.")
	case in.Actor.WorkspaceID != in.Team:
		return invalid("actor", "That person is not in this workspace.")
	}
	if err := requireAdmin(in.Actor, "change the ideal customer profile"); err != nil {
		return err
	}
	return s.once(ctx, in.Team, in.IdempotencyKey, func(tx *sqlx.Tx) error {
		if err := s.store.SaveICP(ctx, tx, in.Team, in.ICP); err != nil {
			return err
		}
		_, err := s.Rescore(ctx, tx, in.Team, 0)
		return err
	})
}
