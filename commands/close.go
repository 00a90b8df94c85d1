package commands

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"salesbot/pipeline"
	"salesbot/render"
	"salesbot/sales"
)

// closeUseCases are the use cases around closed deals' follow-ups and the
// refusals that name who can.
type closeUseCases interface {
	KeepFollowUps(ctx context.Context, in sales.KeepFollowUps) (sales.FollowUpsKept, error)
	Admins(ctx context.Context, team string) ([]string, error)
}

// errAnswered is work that has answered the person itself (a question with
// buttons): nothing more to say.
var errAnswered = errors.New("answered already")

// closingSummary is the line above the card after a move: what moved, and
// the follow-ups closing it finished.
func closingSummary(res sales.MovedDeal) string {
	s := render.MoveSummary(res.After, res.Change)
	if more := render.FollowUpsClosed(res.ClosedFollowUps); more != "" {
		s += " " + more
	}
	return s
}

// withKeepButton adds the button that keeps the closed follow-ups open.
func withKeepButton(m message, res sales.MovedDeal) message {
	if b := render.KeepFollowUpsBlock(res.After.Number, res.ClosedFollowUps); b != nil {
		m.Blocks = append(m.Blocks, b)
	}
	return m
}

// askClosedFollowUp asks before a follow-up on a closed deal, as the answer
// to a follow-up modal.
func (a *App) askClosedFollowUp(ctx context.Context, cb slack.InteractionCallback, e sales.ErrDealClosed, due time.Time, note string, loc *time.Location) error {
	m := render.ConfirmClosedFollowUp(e, due, note, loc)
	ref, _ := decodeCardRef(cb.View.PrivateMetadata)
	if err := a.tell(ctx, ref.ResponseURL, cb.User.ID, ephemeral(m.Text, m.Blocks...)); err != nil {
		return err
	}
	return errAnswered
}

// closeAction handles the buttons of closedeal answers: Keep, and the
// confirm or cancel of a follow-up on a closed deal.
func (a *App) closeAction(cb slack.InteractionCallback) (Reply, bool) {
	if len(cb.ActionCallback.BlockActions) == 0 {
		return Reply{}, false
	}
	act := cb.ActionCallback.BlockActions[0]
	switch act.ActionID {
	case render.ActKeepFollowUps:
		n, closed, err := render.DecodeClosedFollowUps(act.Value)
		if err != nil {
			a.log.Warn("keep button", "team", cb.Team.ID, "error", err)
			return Reply{}, true
		}
		return a.buttonReply(cb, func(ctx context.Context, actor pipeline.User) (message, error) {
			res, err := a.sales.KeepFollowUps(ctx, sales.KeepFollowUps{Team: actor.WorkspaceID, Actor: actor, Number: n, Closed: closed, IdempotencyKey: actionKey(cb)})
			if err != nil {
				return message{}, err
			}
			a.dealsChanged(ctx, res.Deal.WorkspaceID, res.Deal.OwnerID)
			return ephemeral(render.FollowUpsKept(res)), nil
		}), true
	case render.ActFollowupConfirm:
		n, due, note, err := render.DecodeFollowUpConfirm(act.Value)
		if err != nil {
			a.log.Warn("confirm button", "team", cb.Team.ID, "error", err)
			return Reply{}, true
		}
		return a.replaceReply(cb, func(ctx context.Context, actor pipeline.User) (message, error) {
			res, err := a.sales.ScheduleFollowUp(ctx, sales.ScheduleFollowUp{Team: actor.WorkspaceID, Actor: actor, Number: n,
				Due: due, Note: note, OnClosedDeal: true, IdempotencyKey: actionKey(cb)})
			if err != nil {
				return message{}, err
			}
			loc := a.userLocation(ctx, actor)
			return a.changedCard(ctx, actor, res.Deal, render.FollowUpSet(res.Deal, due, loc))
		}), true
	case render.ActFollowupCancel:
		n, _ := strconv.ParseInt(strings.TrimSpace(act.Value), 10, 64)
		m := ephemeral(render.FollowUpCancelled(n))
		m.ReplaceOriginal = true
		return Reply{Later: func(ctx context.Context) error { return a.respond(ctx, cb.ResponseURL, m) }}, true
	}
	return Reply{}, false
}

// replaceReply answers a click by replacing the message the button sits on
// (a question, once answered, has no use left).
func (a *App) replaceReply(cb slack.InteractionCallback, work func(context.Context, pipeline.User) (message, error)) Reply {
	return a.afterAck(cb.Team.ID, cb.User.ID, func(ctx context.Context, m message) error {
		m.ResponseType, m.ReplaceOriginal = slack.ResponseTypeEphemeral, true
		return a.tell(ctx, cb.ResponseURL, cb.User.ID, m)
	}, func(ctx context.Context, actor pipeline.User, _ pipeline.Settings) (message, error) {
		return work(ctx, actor)
	})
}

// adminOnlyText refuses an admin-only request naming the workspace's
// admins, so the person knows whom to ask.
func (a *App) adminOnlyText(e pipeline.AdminOnlyError, team string) string {
	ctx, cancel := context.WithTimeout(context.Background(), fastDBTimeout)
	defer cancel()
	admins, err := a.sales.Admins(ctx, team)
	if err != nil {
		a.log.Warn("admins for a refusal", "team", team, "error", err)
		admins = nil
	}
	return render.AdminOnly(e, admins)
}

// pastCloseDate refuses an expected close date in the past that the person
// picked in an edit form; the date the deal already had (was, when the form
// opened), as on an overdue deal edited for something else, stays as it is.
func pastCloseDate(was, picked string, now time.Time, errs map[string]string) {
	if picked == "" || picked == was {
		return
	}
	d, err := time.Parse(time.DateOnly, picked)
	if err != nil {
		return // the form's own validation says so
	}
	if msg := pipeline.CloseDateInPast(&d, now); msg != "" {
		errs[string(pipeline.FieldExpectedClose)] = msg
	}
}
