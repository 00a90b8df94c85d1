package outbox

import (
	"context"
	"fmt"
	"strings"
)

// Kinds of River queue. Every job of a workspace goes to a queue named by
// QueueFor from one of these and the workspace's team ID.
const (
	QueueOutbox    = "outbox"    // messages to deliver
	QueueScheduler = "scheduler" // scheduled job occurrences
	QueueJournal   = "envelopes" // envelopes acked and not yet handled (see Journal)
)

// legacyQueues are the shared queues of versions before per-workspace
// queues; see Outbox.adoptLegacy.
var legacyQueues = []string{QueueOutbox, QueueScheduler}

// QueueFor names the River queue of kind's jobs for workspace team: a
// process works only the queues of the workspaces it serves, so one serving
// the simulator (`salesbot dev`) never takes a real workspace's jobs from a
// shared database. River allows lowercase letters, digits and single
// underscores or hyphens in a queue name; Slack team IDs are uppercase
// letters and digits (ValidTeam checks).
func QueueFor(kind, team string) string { return kind + "_" + strings.ToLower(team) }

// ValidTeam reports whether team can name a queue: a Slack team ID, letters
// and digits only.
func ValidTeam(team string) error {
	if team == "" {
		return fmt.Errorf("team ID is empty")
	}
	// River caps queue names at 64 characters; the longest kind is 9 plus "_".
	if len(team) > 50 {
		return fmt.Errorf("team ID %q is too long", team)
	}
	for _, r := range team {
		if !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9') {
			return fmt.Errorf("team ID %q is not a Slack team ID (letters and digits)", team)
		}
	}
	return nil
}

// adoptLegacy moves the jobs of the teams this outbox serves that wait in
// the shared queues of earlier versions ("outbox", "scheduler") to their
// workspace's queue, where this process works them: without it an upgrade
// would strand them, and an occurrence stranded there would also keep its
// re-insertion out (River's uniqueness spans queues). Old periodic tick
// jobs, replaced by each process's own ticker, are deleted.
func (o *Outbox) adoptLegacy(ctx context.Context) error {
	if len(o.teams) == 0 {
		return nil
	}
	// Text array literals: ValidTeam let only letters and digits through.
	arr := "{" + strings.Join(o.teams, ",") + "}"
	res, err := o.db.ExecContext(ctx, `
		UPDATE river_job SET queue = queue || '_' || lower(args->>'team_id')
		WHERE queue = ANY($1::text[]) AND args->>'team_id' = ANY($2::text[])
		  AND state IN ('available', 'scheduled', 'retryable')`,
		"{"+strings.Join(legacyQueues, ",")+"}", arr)
	if err != nil {
		return fmt.Errorf("outbox: move jobs from the shared queues: %w", err)
	}
	if n, _ := res.RowsAffected(); n > 0 {
		o.log.InfoContext(ctx, "outbox: jobs moved from the shared queues to their workspace's", "count", n)
	}
	if _, err := o.db.ExecContext(ctx, `
		DELETE FROM river_job WHERE kind = 'scheduler_tick' AND queue = $1
		  AND state IN ('available', 'scheduled', 'retryable')`, QueueScheduler); err != nil {
		return fmt.Errorf("outbox: delete old tick jobs: %w", err)
	}
	return nil
}
