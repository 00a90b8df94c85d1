package salesdb

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/jmoiron/sqlx"

	"salesbot/pipeline"
	"salesbot/sales"
	"salesbot/store"
)

// How many deals each source of suggestions offers at most; the modal's
// menu stays short enough to read.
const (
	suggestMatches = 10
	suggestRecent  = 10
)

// SuggestDeals offers the deals in.Actor may change for a message: the deal
// whose room in.Channel is, the deals the text names, then the actor's
// recent deals, each once. Deals of other workspaces are never read.
func (s *Service) SuggestDeals(ctx context.Context, in sales.SuggestDeals) (sales.DealSuggestions, error) {
	var out sales.DealSuggestions
	if in.Actor.ID == "" || in.Actor.WorkspaceID == "" {
		return out, invalid("actor", "Who asks is missing.")
	}
	team := in.Actor.WorkspaceID
	owners, err := s.visibleOwners(ctx, in.Actor)
	if err != nil {
		return out, err
	}
	mayChange := func(d pipeline.Deal) bool { return owners == nil || slices.Contains(owners, d.OwnerID) }
	add := func(why string, ds ...pipeline.Deal) {
		for _, d := range ds {
			seen := slices.ContainsFunc(out.Deals, func(x sales.DealSuggestion) bool { return x.Deal.ID == d.ID })
			if !seen && mayChange(d) {
				out.Deals = append(out.Deals, sales.DealSuggestion{Deal: d, Why: why})
			}
		}
	}
	db := s.store.DB()
	if in.Channel != "" {
		room, ok, err := s.store.RoomByChannel(ctx, db, team, in.Channel)
		if err != nil {
			return out, err
		}
		if ok {
			d, err := s.store.DealByID(ctx, db, team, room.DealID)
			if err != nil && !errors.Is(err, store.ErrNotFound) {
				return out, err
			}
			if err == nil {
				add(sales.SuggestRoom, d)
			}
		}
	}
	// A deal the message names by its number (D-42) is the likeliest.
	for _, n := range pipeline.MentionedRefs(in.Text) {
		d, err := s.store.DealByNumber(ctx, db, team, n)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return out, err
		}
		add(sales.SuggestMention, d)
	}
	matches, err := s.store.CaptureMatches(ctx, db, team, strings.TrimSpace(in.Text), owners, suggestMatches)
	if err != nil {
		return out, err
	}
	add(sales.SuggestMention, matches...)
	out.Matched = len(out.Deals) > 0
	recent, err := s.store.RecentDeals(ctx, db, team, in.Actor.ID, owners, suggestRecent)
	if err != nil {
		return out, err
	}
	add(sales.SuggestRecent, recent...)
	return out, nil
}

// AddMessage logs a Slack message as an activity on deal in.Number, in one
// transaction keyed by in.IdempotencyKey: the actor's right to change the
// deal checked as for a note (ErrNotFound, ErrForbidden), the message kept
// once per deal (a message already there is reported, not logged again),
// the deal's staleness reset and the deal rescored.
func (s *Service) AddMessage(ctx context.Context, in sales.AddMessage) (sales.MessageAdded, error) {
	in.Message.Text = pipeline.CutActivity(in.Message.Text)
	if err := validMessage(in); err != nil {
		return sales.MessageAdded{}, err
	}
	var res sales.MessageAdded
	err := s.once(ctx, in.Team, in.IdempotencyKey, func(tx *sqlx.Tx) error {
		d, err := s.lockDeal(ctx, tx, in.Actor, in.Number)
		if err != nil {
			return err
		}
		// The deal's lock orders two people adding the same message: the
		// second one reads the first one's activity here.
		if a, ok, err := s.store.MessageActivity(ctx, tx, d, in.Message.Channel, in.Message.TS); err != nil || ok {
			res = sales.MessageAdded{Deal: d, Activity: a, Already: ok}
			return err
		}
		if res.Activity, err = s.store.AddMessageActivity(ctx, tx, d, in.Actor.ID, in.Message, s.now()); err != nil {
			return err
		}
		if err := s.roomActivity(ctx, tx, d, res.Activity); err != nil {
			return err
		}
		res.Deal, err = s.Rescored(ctx, tx, d)
		res.Deal.LastActivityAt = res.Activity.CreatedAt
		return err
	})
	if err != nil {
		return sales.MessageAdded{}, err
	}
	return res, nil
}

func validMessage(in sales.AddMessage) error {
	m := in.Message
	if err := validTarget(in.Team, in.Actor, in.Number, "deal"); err != nil {
		return err
	}
	switch {
	case m.Channel == "" || m.TS == "":
		return invalid("message", "Which message to add is missing.")
	case m.Author == "":
		return invalid("message", "Who wrote the message is missing.")
	case m.At.IsZero():
		return invalid("message", "When the message was posted is missing.")
	case m.Permalink == "":
		return invalid("message", "The link to the message is missing.")
	case m.Text == "":
		return invalid("message", "That message has no text to add; only a message with text can be added to a deal.")
	}
	return nil
}
