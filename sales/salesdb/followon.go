package salesdb

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/jmoiron/sqlx"

	"salesbot/pipeline"
)

// OpenFollowOnDeal opens an upsell or cross-sell deal for in.Actor, in one
// transaction keyed by in.IdempotencyKey: the actor's right to the parent
// checked (ErrNotFound, ErrForbidden), and the new deal, a lead the actor
// owns on the parent's account, numbered next in the workspace and linked
// to the parent, stored with its history.
func (s *Service) OpenFollowOnDeal(ctx context.Context, in OpenFollowOnDeal) (FollowOnDealOpened, error) {
	in.Title = strings.TrimSpace(in.Title)
	if err := validFollowOn(in); err != nil {
		return FollowOnDealOpened{}, err
	}
	var res FollowOnDealOpened
	err := s.once(ctx, in.Team, in.IdempotencyKey, func(tx *sqlx.Tx) error {
		parent, err := s.lockDeal(ctx, tx, in.Actor, in.Number)
		if err != nil {
			return err
		}
		res.Parent = parent
		title := in.Title
		if title == "" {
			title = parent.AccountName + " " + FollowOnLabel(in.Kind)
		}
		res.Deal, err = s.store.CreateFollowOnDeal(ctx, tx, parent, in.Kind, title, in.Actor.ID, s.now())
		return err
	})
	if err != nil {
		return FollowOnDealOpened{}, err
	}
	return res, nil
}

// FollowOnLabel is a follow-on kind in words: "upsell", "cross-sell".
func FollowOnLabel(kind string) string { return strings.ReplaceAll(kind, "_", "-") }

func validFollowOn(in OpenFollowOnDeal) error {
	switch {
	case in.Team == "":
		return invalid("team", "The workspace is missing.")
	case in.Actor.ID == "":
		return invalid("actor", "Who opens the deal is missing.")
	case in.Actor.WorkspaceID != in.Team:
		return invalid("actor", "The person opening the deal is not in this workspace.")
	case in.Number <= 0:
		return invalid("deal", "The deal number is missing.")
	case in.Kind != Upsell && in.Kind != CrossSell:
		return invalid("kind", "Choose an upsell or a cross-sell.")
	}
	if n := utf8.RuneCountInString(in.Title); n > pipeline.MaxNameLen {
		return invalid("title", "The title is %d characters long; the limit is %d.", n, pipeline.MaxNameLen)
	}
	return nil
}
