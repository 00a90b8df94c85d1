package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"salesbot/pipeline"
)

const webhookColumns = `id, workspace_id, url, events, state, created_by, created_at, last_success_at,
	failing_since, last_failure_at, last_error, disabled_at`

const insertWebhook = `
INSERT INTO webhook_endpoints (workspace_id, url, events, secret, created_by, created_at)
VALUES ($1, $2, $3, $4, $5, $6)
RETURNING ` + webhookColumns

const selectWebhooks = `SELECT ` + webhookColumns + ` FROM webhook_endpoints WHERE workspace_id = $1 ORDER BY id`

const selectWebhookSubscribers = `
SELECT id FROM webhook_endpoints
WHERE workspace_id = $1 AND state = 'active' AND $2 = ANY (events)
ORDER BY id`

const selectWebhookTarget = `SELECT ` + webhookColumns + `, secret FROM webhook_endpoints WHERE workspace_id = $1 AND id = $2`

const deleteWebhook = `DELETE FROM webhook_endpoints WHERE workspace_id = $1 AND id = $2 RETURNING ` + webhookColumns

// A success ends the failing streak, and brings back a disabled endpoint
// (only a test delivery reaches one). A healthy endpoint's row is written
// at most once a minute: busy endpoints get many deliveries at once, and
// each write would lock the row.
const webhookSucceeded = `
UPDATE webhook_endpoints
SET last_success_at = $3, failing_since = NULL, state = 'active', disabled_at = NULL
WHERE workspace_id = $1 AND id = $2
  AND (failing_since IS NOT NULL OR state <> 'active' OR last_success_at IS NULL
       OR last_success_at < $3::timestamptz - interval '1 minute')`

// The streak starts at the first failure after the last success.
const webhookFailed = `
UPDATE webhook_endpoints
SET failing_since = COALESCE(failing_since, $4), last_failure_at = $4, last_error = $3
WHERE workspace_id = $1 AND id = $2
RETURNING ` + webhookColumns

// Only an active endpoint is disabled, so a second failure disables nothing more.
const disableWebhook = `
UPDATE webhook_endpoints SET state = 'disabled', disabled_at = $3
WHERE workspace_id = $1 AND id = $2 AND state = 'active'
RETURNING ` + webhookColumns

type webhookRow struct {
	ID            int64          `db:"id"`
	Team          string         `db:"workspace_id"`
	URL           string         `db:"url"`
	Events        pq.StringArray `db:"events"`
	State         string         `db:"state"`
	CreatedBy     string         `db:"created_by"`
	CreatedAt     time.Time      `db:"created_at"`
	LastSuccessAt *time.Time     `db:"last_success_at"`
	FailingSince  *time.Time     `db:"failing_since"`
	LastFailureAt *time.Time     `db:"last_failure_at"`
	LastError     string         `db:"last_error"`
	DisabledAt    *time.Time     `db:"disabled_at"`
	Secret        string         `db:"secret"`
}

func (r webhookRow) webhook() pipeline.Webhook {
	return pipeline.Webhook{ID: r.ID, Team: r.Team, URL: r.URL, Events: []string(r.Events), State: r.State,
		CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt, LastSuccessAt: r.LastSuccessAt, FailingSince: r.FailingSince,
		LastFailureAt: r.LastFailureAt, LastError: r.LastError, DisabledAt: r.DisabledAt}
}

// InsertWebhook stores w, active, with its signing secret, and returns it
// with its ID.
func (s *Store) InsertWebhook(ctx context.Context, ex Executor, w pipeline.Webhook, secret string) (pipeline.Webhook, error) {
	var r webhookRow
	if err := sqlx.GetContext(ctx, ex, &r, insertWebhook, w.Team, w.URL, pq.StringArray(w.Events), secret,
		w.CreatedBy, w.CreatedAt); err != nil {
		return pipeline.Webhook{}, fmt.Errorf("store: insert webhook of %s: %w", w.Team, err)
	}
	return r.webhook(), nil
}

// Webhooks are the workspace's endpoints, oldest first.
func (s *Store) Webhooks(ctx context.Context, ex Executor, teamID string) ([]pipeline.Webhook, error) {
	var rows []webhookRow
	if err := sqlx.SelectContext(ctx, ex, &rows, selectWebhooks, teamID); err != nil {
		return nil, fmt.Errorf("store: webhooks of %s: %w", teamID, err)
	}
	out := make([]pipeline.Webhook, len(rows))
	for i, r := range rows {
		out[i] = r.webhook()
	}
	return out, nil
}

// WebhookSubscribers are the IDs of the workspace's active endpoints that
// take event.
func (s *Store) WebhookSubscribers(ctx context.Context, ex Executor, teamID, event string) ([]int64, error) {
	var ids []int64
	if err := s.sel(ctx, ex, &ids, selectWebhookSubscribers, teamID, event); err != nil {
		return nil, fmt.Errorf("store: webhooks of %s for %s: %w", teamID, event, err)
	}
	return ids, nil
}

// WebhookTarget is the workspace's endpoint id with its signing secret
// (ErrNotFound when there is none).
func (s *Store) WebhookTarget(ctx context.Context, ex Executor, teamID string, id int64) (pipeline.Webhook, string, error) {
	var r webhookRow
	if err := sqlx.GetContext(ctx, ex, &r, selectWebhookTarget, teamID, id); err != nil {
		return pipeline.Webhook{}, "", fmt.Errorf("store: webhook %d of %s: %w", id, teamID, notFound(err))
	}
	return r.webhook(), r.Secret, nil
}

// DeleteWebhook removes the workspace's endpoint id (ErrNotFound when there
// is none). Its deliveries still queued find it gone and stop.
func (s *Store) DeleteWebhook(ctx context.Context, ex Executor, teamID string, id int64) (pipeline.Webhook, error) {
	var r webhookRow
	if err := sqlx.GetContext(ctx, ex, &r, deleteWebhook, teamID, id); err != nil {
		return pipeline.Webhook{}, fmt.Errorf("store: delete webhook %d of %s: %w", id, teamID, notFound(err))
	}
	return r.webhook(), nil
}

// WebhookSucceeded records a delivery to endpoint id at at.
func (s *Store) WebhookSucceeded(ctx context.Context, ex Executor, teamID string, id int64, at time.Time) error {
	if _, err := ex.ExecContext(ctx, webhookSucceeded, teamID, id, at); err != nil {
		return fmt.Errorf("store: webhook %d of %s succeeded: %w", id, teamID, err)
	}
	return nil
}

// WebhookFailed records a failed delivery to endpoint id at at, and
// returns the endpoint as it now is (ErrNotFound when it is gone).
func (s *Store) WebhookFailed(ctx context.Context, ex Executor, teamID string, id int64, reason string, at time.Time) (pipeline.Webhook, error) {
	var r webhookRow
	if err := sqlx.GetContext(ctx, ex, &r, webhookFailed, teamID, id, reason, at); err != nil {
		return pipeline.Webhook{}, fmt.Errorf("store: webhook %d of %s failed: %w", id, teamID, notFound(err))
	}
	return r.webhook(), nil
}

// DisableWebhook disables the active endpoint id at at; ok is false when it
// was not active (disabled already, or gone).
func (s *Store) DisableWebhook(ctx context.Context, ex Executor, teamID string, id int64, at time.Time) (w pipeline.Webhook, ok bool, err error) {
	var r webhookRow
	err = sqlx.GetContext(ctx, ex, &r, disableWebhook, teamID, id, at)
	if err = notFound(err); err == ErrNotFound {
		return pipeline.Webhook{}, false, nil
	}
	if err != nil {
		return pipeline.Webhook{}, false, fmt.Errorf("store: disable webhook %d of %s: %w", id, teamID, err)
	}
	return r.webhook(), true, nil
}
