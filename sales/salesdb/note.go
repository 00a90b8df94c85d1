package salesdb

import (
	"context"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/jmoiron/sqlx"

	"salesbot/pipeline"
)

// AddNote logs an activity on a deal for in.Actor, in one transaction keyed
// by in.IdempotencyKey: the actor's right to the deal checked (ErrNotFound,
// ErrForbidden), the activity and its history stored, and the deal
// rescored, engagement counting in the lead score.
func (s *Service) AddNote(ctx context.Context, in AddNote) (NoteAdded, error) {
	if in.Kind == "" {
		in.Kind = "note"
	}
	in.Body = strings.TrimSpace(in.Body)
	if err := validNote(in); err != nil {
		return NoteAdded{}, err
	}
	var res NoteAdded
	err := s.once(ctx, in.Team, in.IdempotencyKey, func(tx *sqlx.Tx) error {
		d, err := s.lockDeal(ctx, tx, in.Actor, in.Number)
		if err != nil {
			return err
		}
		if res.Activity, err = s.store.AddActivity(ctx, tx, d, in.Actor.ID, in.Kind, in.Body, s.now()); err != nil {
			return err
		}
		if err := s.roomActivity(ctx, tx, d, res.Activity); err != nil {
			return err
		}
		res.Deal, err = s.Rescored(ctx, tx, d)
		return err
	})
	if err != nil {
		return NoteAdded{}, err
	}
	res.Deal.LastActivityAt = s.now()
	return res, nil
}

func validNote(in AddNote) error {
	switch {
	case in.Team == "":
		return invalid("team", "The workspace is missing.")
	case in.Actor.ID == "":
		return invalid("actor", "Who logs the activity is missing.")
	case in.Actor.WorkspaceID != in.Team:
		return invalid("actor", "The person logging the activity is not in this workspace.")
	case in.Number <= 0:
		return invalid("deal", "The deal number is missing.")
	case !slices.Contains(ActivityKinds, in.Kind):
		return invalid("kind", "Choose what kind of activity this was.")
	case in.Body == "":
		return invalid("body", "Say what happened.")
	}
	if n := utf8.RuneCountInString(in.Body); n > pipeline.MaxNotesLen {
		return invalid("body", "That is %d characters long; the limit is %d.", n, pipeline.MaxNotesLen)
	}
	return nil
}
