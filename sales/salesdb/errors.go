package salesdb

import (
	"context"
	"errors"

	"github.com/jmoiron/sqlx"

	"salesbot/pipeline"
	"salesbot/store"
)

// Claim marks the request key as carried out for the workspace, in tx: the
// claim commits with the change, and a change that fails releases it with
// everything else it wrote. ErrDuplicate when the key was claimed already;
// an empty key (a request that cannot repeat) claims nothing. Every use
// case claims its key this way, first thing in its transaction.
func (s *Service) Claim(ctx context.Context, tx *sqlx.Tx, team, key string) error {
	if key == "" {
		return nil
	}
	ok, err := s.store.ClaimKey(ctx, tx, team, key)
	if err == nil && !ok {
		return ErrDuplicate
	}
	return err
}

// Once carries out work, which writes nothing to the database (a file
// sent, a report told), once per key of team: the key is claimed and held
// while work runs, so a redelivery waits and then gets ErrDuplicate, and a
// work that fails releases it for a retry.
func (s *Service) Once(ctx context.Context, team, key string, work func() error) error {
	return s.once(ctx, team, key, func(*sqlx.Tx) error { return work() })
}

// once runs change in a transaction that first claims key for team.
func (s *Service) once(ctx context.Context, team, key string, change func(tx *sqlx.Tx) error) error {
	return s.store.WithTx(ctx, func(tx *sqlx.Tx) error {
		if err := s.Claim(ctx, tx, team, key); err != nil {
			return err
		}
		return change(tx)
	})
}

// lockDeal reads deal n of actor's workspace for update inside tx and
// checks that actor may change it.
func (s *Service) lockDeal(ctx context.Context, tx *sqlx.Tx, actor pipeline.User, n int64) (pipeline.Deal, error) {
	d, err := s.store.DealForUpdate(ctx, tx, actor.WorkspaceID, n)
	if errors.Is(err, store.ErrNotFound) {
		return d, ErrNotFound{Number: n}
	}
	if err != nil {
		return d, err
	}
	return d, s.authorize(ctx, actor, d)
}

// authorize checks that actor may work on d: its owner, the owner's manager
// or an admin (pipeline.Authorize).
func (s *Service) authorize(ctx context.Context, actor pipeline.User, d pipeline.Deal) error {
	if actor.ID == d.OwnerID || actor.Role == pipeline.RoleAdmin {
		return nil // no need to read the owner
	}
	owner, err := s.store.User(ctx, s.store.DB(), d.WorkspaceID, d.OwnerID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	owner.WorkspaceID, owner.ID = d.WorkspaceID, d.OwnerID
	if pipeline.Authorize(actor, owner) == nil {
		return nil
	}
	// Refused: name who can instead.
	admins, err := s.adminIDs(ctx, s.store.DB(), d.WorkspaceID)
	if err != nil {
		return err
	}
	return ErrForbidden{Owner: d.OwnerID, Why: pipeline.RefuseDeal(actor, owner, admins)}
}
