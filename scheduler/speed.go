package scheduler

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"

	"salesbot/outbox"
	"salesbot/pipeline"
)

// responseSLA escalates the workspace's inbound leads whose response
// deadline passed by at, in the transaction that claims the occurrence:
// the misses, re-routings and messages commit with the claim, or none does.
func (s *Scheduler) responseSLA(st pipeline.Settings, at time.Time) plan {
	return func(ctx context.Context, tx *sqlx.Tx, _ *outbox.Outbox) error {
		return s.sales.EnforceResponseSLATx(ctx, tx, st.WorkspaceID, at)
	}
}

// approvalReminders reminds the approvers of the workspace's discount
// requests pending for a working day by at, in the transaction that claims
// the occurrence.
func (s *Scheduler) approvalReminders(st pipeline.Settings, at time.Time) plan {
	return func(ctx context.Context, tx *sqlx.Tx, _ *outbox.Outbox) error {
		_, err := s.sales.RemindApprovalsTx(ctx, tx, st.WorkspaceID, at)
		return err
	}
}
