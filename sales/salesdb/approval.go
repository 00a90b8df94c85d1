package salesdb

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/jmoiron/sqlx"

	"salesbot/pipeline"
	"salesbot/sales"
	"salesbot/store"
)

// RequestApproval asks for in.DiscountBps off deal in.Number to be
// approved, for in.Actor (who may work on the deal), in one transaction
// keyed by in.IdempotencyKey: the deal locked, the discount checked against
// the workspace's threshold (a discount that needs no approval is refused,
// saying so), the approvers found (the owner's manager, else the admins;
// never the requester: ErrNoApprover when no one is left), the deal's live
// request replaced, the discount set on the deal, the request and its
// history stored, and one ApprovalRequested queued per approver.
func (s *Service) RequestApproval(ctx context.Context, in sales.RequestApproval) (sales.ApprovalRequest, error) {
	if err := validTarget(in.Team, in.Actor, in.Number, "deal"); err != nil {
		return sales.ApprovalRequest{}, err
	}
	if in.DiscountBps <= 0 || in.DiscountBps > pipeline.MaxDiscountBps {
		return sales.ApprovalRequest{}, invalid("discount", "Enter the discount to approve as a percentage above 0 and up to 100, such as 15.")
	}
	if n := utf8.RuneCountInString(in.Reason); n > pipeline.MaxReasonLen {
		return sales.ApprovalRequest{}, invalid("reason", "The reason is %d characters long; the limit is %d.", n, pipeline.MaxReasonLen)
	}
	if _, err := s.store.EnsureWorkspace(ctx, s.store.DB(), in.Team, s.defaults); err != nil {
		return sales.ApprovalRequest{}, err
	}
	var res sales.ApprovalRequest
	err := s.once(ctx, in.Team, in.IdempotencyKey, func(tx *sqlx.Tx) error {
		d, err := s.lockDeal(ctx, tx, in.Actor, in.Number)
		if err != nil {
			return err
		}
		if d.Stage.Closed() {
			return invalid("deal", "%s is closed: reopen it before asking for a discount.", d.Ref())
		}
		if d.Value.Minor <= 0 {
			return invalid("deal", "%s has no amount: set the amount first (Edit on its card), then ask for the discount.", d.Ref())
		}
		rules, err := s.store.ApprovalRules(ctx, tx, in.Team)
		if err != nil {
			return err
		}
		if !rules.NeedsApproval(in.DiscountBps) {
			if !rules.On {
				return invalid("discount", "Discounts need no approval in this workspace: set the discount with Edit.")
			}
			return invalid("discount", "A %s discount needs no approval here (only above %s): set it with Edit.",
				pipeline.FormatDiscount(in.DiscountBps), pipeline.FormatDiscount(rules.DiscountOverBps))
		}
		owner, err := s.store.User(ctx, tx, in.Team, d.OwnerID)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		owner.WorkspaceID, owner.ID = in.Team, d.OwnerID
		if owner.ManagerID != "" {
			// A manager who left cannot approve: the admins do instead.
			if m, err := s.store.User(ctx, tx, in.Team, owner.ManagerID); err != nil || m.Deactivated {
				owner.ManagerID = ""
			}
		}
		admins, err := s.adminIDs(ctx, tx, in.Team)
		if err != nil {
			return err
		}
		approvers, err := pipeline.ApproversFor(owner, in.Actor.ID, admins)
		if err != nil {
			return err
		}
		if err := s.repeatsApproved(ctx, tx, d, in.DiscountBps); err != nil {
			return err
		}
		res.Deal = d
		if d.DiscountBps != in.DiscountBps {
			edited := d
			edited.DiscountBps = in.DiscountBps
			change := pipeline.FieldChange{Field: string(pipeline.FieldDealDiscount),
				Old: pipeline.FormatDiscount(d.DiscountBps), New: pipeline.FormatDiscount(in.DiscountBps)}
			if res.Deal, err = s.store.UpdateDeal(ctx, tx, d, []pipeline.FieldChange{change}, edited, in.Actor.ID, s.now()); err != nil {
				return err
			}
			// A discount changes the price: subscribers hear of it as of any edit.
			if err := s.publish(ctx, tx, pipeline.EventDealUpdated, res.Deal, ""); err != nil {
				return err
			}
		}
		// Voided after the update, so its notice tells the new discount.
		replaced, err := s.voidApprovals(ctx, tx, res.Deal, in.Actor.ID, sales.VoidReplaced)
		if err != nil {
			return err
		}
		if len(replaced) > 0 {
			res.Replaced = &replaced[0]
		}
		res.Approval, err = s.store.InsertApproval(ctx, tx, pipeline.Approval{WorkspaceID: in.Team, DealID: d.ID,
			RequestedBy: in.Actor.ID, Approvers: approvers, DiscountBps: in.DiscountBps, Amount: d.Value, Reason: in.Reason}, s.now())
		if err != nil {
			return err
		}
		if err := s.store.AppendApprovalHistory(ctx, tx, res.Approval, "requested", in.Actor.ID, approvalWhat(res.Approval, res.Approval.Reason), s.now()); err != nil {
			return err
		}
		if err := s.roomApproval(ctx, tx, res.Deal, res.Approval, in.Actor.ID); err != nil {
			return err
		}
		for _, to := range approvers {
			if err := s.outbox.Enqueue(ctx, tx.Tx, sales.ApprovalRequested{To: to, Deal: res.Deal, Approval: res.Approval}); err != nil {
				return err
			}
		}
		return nil
	})
	return res, err
}

// DecideApproval approves or rejects request in.ApprovalID for in.Actor, in
// one transaction keyed by in.IdempotencyKey. Only one of its approvers
// decides (ErrNotApprover), a rejection says why, and only a pending
// request is decided: the store's conditional update lets one of two
// decisions at once through, and the other (or a second click) gets
// ErrAlreadyDecided naming the decision that stands. The decision goes to
// the deal's history and, as ApprovalDecided, to the requester.
func (s *Service) DecideApproval(ctx context.Context, in sales.DecideApproval) (sales.ApprovalDecision, error) {
	if err := validTarget(in.Team, in.Actor, in.ApprovalID, "approval"); err != nil {
		return sales.ApprovalDecision{}, err
	}
	var res sales.ApprovalDecision
	err := s.once(ctx, in.Team, in.IdempotencyKey, func(tx *sqlx.Tx) error {
		a, err := s.store.ApprovalByID(ctx, tx, in.Team, in.ApprovalID)
		if errors.Is(err, store.ErrNotFound) {
			return sales.ErrApprovalNotFound
		}
		if err != nil {
			return err
		}
		if err := s.refuseClosed(ctx, tx, a); err != nil {
			return err
		}
		decided, err := pipeline.Decide(a, in.Actor.ID, in.Approve, in.Reason, s.now())
		if err != nil {
			return err
		}
		got, ok, err := s.store.DecideApproval(ctx, tx, decided, s.now())
		if err != nil {
			return err
		}
		if !ok { // decided or invalidated since it was read: say what stands
			cur, err := s.store.ApprovalByID(ctx, tx, in.Team, in.ApprovalID)
			if err != nil {
				return err
			}
			return sales.ErrAlreadyDecided{Number: cur.DealNumber, State: cur.State, By: cur.DecidedBy, At: cur.DecidedAt}
		}
		res.Approval = got
		if res.Deal, err = s.store.DealByID(ctx, tx, in.Team, got.DealID); err != nil {
			return err
		}
		if err := s.store.AppendApprovalHistory(ctx, tx, got, string(got.State), in.Actor.ID, approvalWhat(got, got.DecisionReason), s.now()); err != nil {
			return err
		}
		if err := s.roomApproval(ctx, tx, res.Deal, got, in.Actor.ID); err != nil {
			return err
		}
		return s.outbox.Enqueue(ctx, tx.Tx, sales.ApprovalDecided{To: got.RequestedBy, Deal: res.Deal, Approval: got})
	})
	return res, err
}

// invalidateApprovals voids d's live requests after by changed its amount
// or discount, records it in the history and tells the requester and the
// approvers (not by, who knows).
func (s *Service) invalidateApprovals(ctx context.Context, tx *sqlx.Tx, d pipeline.Deal, by string) ([]pipeline.Approval, error) {
	return s.voidApprovals(ctx, tx, d, by, sales.VoidChanged)
}

// voidApprovals voids d's live requests for cause: all of them, but only
// the pending ones when d was won (the approval it was won at stays as the
// record of its price). The history's step is the cause. The room hears
// only of a changed deal: a new request or the close posts its own line.
func (s *Service) voidApprovals(ctx context.Context, tx *sqlx.Tx, d pipeline.Deal, by string, cause sales.VoidCause) ([]pipeline.Approval, error) {
	var voided []pipeline.Approval
	var err error
	if d.Stage == pipeline.StageWon {
		voided, err = s.store.InvalidatePendingApprovals(ctx, tx, d.WorkspaceID, d.ID, s.now())
	} else {
		voided, err = s.store.InvalidateApprovals(ctx, tx, d.WorkspaceID, d.ID, s.now())
	}
	if err != nil {
		return nil, err
	}
	for _, a := range voided {
		if err := s.store.AppendApprovalHistory(ctx, tx, a, string(cause), by, approvalWhat(a, ""), s.now()); err != nil {
			return nil, err
		}
		if cause == sales.VoidChanged {
			if err := s.roomApproval(ctx, tx, d, a, by); err != nil {
				return nil, err
			}
		}
		to := append([]string{a.RequestedBy}, a.Approvers...)
		for i, id := range to {
			if id == by || slices.Contains(to[:i], id) {
				continue
			}
			if err := s.outbox.Enqueue(ctx, tx.Tx, sales.ApprovalInvalidated{To: id, Deal: d, Approval: a, By: by, Cause: cause}); err != nil {
				return nil, err
			}
		}
	}
	return voided, nil
}

// repeatsApproved refuses a request for the discount d's live approval
// already grants at d's amount: asking again would only void it.
func (s *Service) repeatsApproved(ctx context.Context, tx *sqlx.Tx, d pipeline.Deal, bps int) error {
	live, err := s.store.LiveApproval(ctx, tx, d.WorkspaceID, d.ID)
	if err != nil || live == nil {
		return err
	}
	if live.State == pipeline.ApprovalApproved && live.DiscountBps == bps && live.Amount == d.Value {
		return invalid("discount", "%s off %s on %s is already approved by <@%s>: nothing to ask.",
			pipeline.FormatDiscount(bps), d.Value, d.Ref(), live.DecidedBy)
	}
	return nil
}

// refuseClosed refuses a decision on a request of a closed deal: closing
// voids its requests, but one from before that rule may still be pending.
func (s *Service) refuseClosed(ctx context.Context, tx *sqlx.Tx, a pipeline.Approval) error {
	d, err := s.store.DealByID(ctx, tx, a.WorkspaceID, a.DealID)
	if err != nil {
		return err
	}
	if d.Stage.Closed() && a.State == pipeline.ApprovalPending {
		return invalid("deal", "%s is closed %s: there is nothing left to approve. Nothing was decided.", d.Ref(), d.Stage)
	}
	return nil
}

// checkDealRules refuses change c of d when the stage it goes to requires
// fields d lacks, or when it wins d below the price its discount was
// approved at. Inside the move's transaction, d locked.
func (s *Service) checkDealRules(ctx context.Context, tx *sqlx.Tx, d pipeline.Deal, c pipeline.StageChange, stages []pipeline.StageDef) error {
	rules, err := s.store.ApprovalRules(ctx, tx, d.WorkspaceID)
	if err != nil {
		return err
	}
	if err := pipeline.CheckRequired(d, c, rules, stages); err != nil {
		return err
	}
	if c.To != pipeline.StageWon || !rules.NeedsApproval(d.DiscountBps) {
		return nil
	}
	live, err := s.store.LiveApproval(ctx, tx, d.WorkspaceID, d.ID)
	if err != nil {
		return err
	}
	return pipeline.CheckWon(d, c, rules, live)
}

// DealApproval reads deal n's approval standing for actor, who must be
// allowed to work on it (ErrNotFound, ErrForbidden), for its card.
func (s *Service) DealApproval(ctx context.Context, actor pipeline.User, n int64) (sales.DealApproval, error) {
	d, err := s.Deal(ctx, actor, n)
	if err != nil {
		return sales.DealApproval{}, err
	}
	res := sales.DealApproval{Deal: d}
	if res.Rules, err = s.store.ApprovalRules(ctx, s.store.DB(), d.WorkspaceID); err != nil {
		return res, err
	}
	res.NeedsApproval = res.Rules.NeedsApproval(d.DiscountBps)
	a, err := s.store.LatestApproval(ctx, s.store.DB(), d.WorkspaceID, d.ID)
	if errors.Is(err, store.ErrNotFound) {
		return res, nil
	}
	if err != nil {
		return res, err
	}
	res.Latest = &a
	return res, nil
}

// SaveApprovalRules stores in.Rules as the workspace's, when in.Actor is
// an admin (ErrForbidden otherwise) and the rules hold (a *ValidationError
// naming the problem), in one transaction keyed by in.IdempotencyKey.
func (s *Service) SaveApprovalRules(ctx context.Context, in sales.SaveApprovalRules) error {
	switch {
	case in.Team == "" || in.Actor.ID == "":
		return invalid("actor", "Who changes the approval rules is missing.")
	case in.Actor.WorkspaceID != in.Team:
		return invalid("actor", "The person changing the approval rules is not in this workspace.")
	}
	if err := requireAdmin(in.Actor, "change the approval rules"); err != nil {
		return err
	}
	if _, err := s.store.EnsureWorkspace(ctx, s.store.DB(), in.Team, s.defaults); err != nil {
		return err
	}
	stages, err := s.store.Stages(ctx, s.store.DB(), in.Team)
	if err != nil {
		return err
	}
	if err := pipeline.ValidateApprovalRules(in.Rules, stages); err != nil {
		return invalid("rules", "%s", capitalize(err.Error())+".")
	}
	return s.once(ctx, in.Team, in.IdempotencyKey, func(tx *sqlx.Tx) error {
		return s.store.SaveApprovalRules(ctx, tx, in.Team, in.Rules, s.now())
	})
}

// ApprovalRules reads the workspace's approval rules, for the settings form.
func (s *Service) ApprovalRules(ctx context.Context, team string) (pipeline.ApprovalRules, error) {
	return s.store.ApprovalRules(ctx, s.store.DB(), team)
}

// RemindApprovals reminds the approvers of each of team's requests pending
// for a working day (the workspace's working hours and days), once per
// request: the reminder is marked in the transaction that queues it, so a
// second run, or a run after a crash, reminds no one twice.
func (s *Service) RemindApprovals(ctx context.Context, team string) (sales.ApprovalsReminded, error) {
	if _, err := s.store.EnsureWorkspace(ctx, s.store.DB(), team, s.defaults); err != nil {
		return sales.ApprovalsReminded{}, err
	}
	var res sales.ApprovalsReminded
	err := s.store.WithTx(ctx, func(tx *sqlx.Tx) error {
		var err error
		res, err = s.RemindApprovalsTx(ctx, tx, team, s.now())
		return err
	})
	return res, err
}

// RemindApprovalsTx is RemindApprovals at at inside the caller's
// transaction: the scheduler's, which claims the occurrence with it.
func (s *Service) RemindApprovalsTx(ctx context.Context, tx *sqlx.Tx, team string, at time.Time) (sales.ApprovalsReminded, error) {
	var res sales.ApprovalsReminded
	st, err := s.store.Settings(ctx, tx, team)
	if err != nil {
		return res, err
	}
	pending, err := s.store.UnremindedApprovals(ctx, tx, team, at)
	if err != nil {
		return res, err
	}
	loc := pipeline.Zone(st.Timezone)
	for _, a := range pending {
		if pipeline.ApprovalRemindAt(a.RequestedAt, loc, st.WorkingDays, st.WorkHours()).After(at) {
			continue
		}
		d, err := s.store.DealByID(ctx, tx, team, a.DealID)
		if err != nil {
			return res, err
		}
		if d.Stage.Closed() { // nothing left to decide: no one is reminded
			continue
		}
		ok, err := s.store.MarkApprovalReminded(ctx, tx, team, a.ID, at)
		if err != nil {
			return res, err
		}
		if !ok {
			continue
		}
		for _, to := range a.Approvers {
			if err := s.outbox.Enqueue(ctx, tx.Tx, sales.ApprovalReminder{To: to, Deal: d, Approval: a, Since: a.RequestedAt}); err != nil {
				return res, fmt.Errorf("remind approval %d: %w", a.ID, err)
			}
		}
		res.Reminded++
	}
	return res, nil
}

// approvalWhat is a request in the history's words: "15% off $10,000 =
// $8,500", then why.
func approvalWhat(a pipeline.Approval, why string) string {
	s := fmt.Sprintf("%s off %s = %s", pipeline.FormatDiscount(a.DiscountBps), a.Amount, a.Price())
	if why != "" {
		s += ": " + clip(why, 200)
	}
	return s
}
