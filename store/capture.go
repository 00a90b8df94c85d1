package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"salesbot/pipeline"
)

// Deals a message mentions: its account's name or its contact's name as
// whole words, or its contact's email, anywhere in the text. The cheap
// position() test runs first, so the word-boundary regex (the name's
// punctuation escaped) only runs on names the text contains; names shorter
// than 3 characters would match almost any message and are left out. $3,
// when not NULL, keeps the deals of those owners only. Open deals first,
// then the most recently active.
const captureMatches = `
WITH t AS (SELECT lower($2::text) AS txt)` + selectDeals + `
CROSS JOIN t
WHERE d.workspace_id = $1 AND ($3::text[] IS NULL OR d.owner_id = ANY($3::text[]))
  AND (
    (char_length(btrim(a.name)) >= 3 AND position(lower(btrim(a.name)) IN t.txt) > 0
     AND t.txt ~ ('(^|[^[:alnum:]])' || regexp_replace(lower(btrim(a.name)), '([^[:alnum:][:space:]])', '\\\1', 'g') || '($|[^[:alnum:]])'))
    OR (char_length(btrim(c.name)) >= 3 AND position(lower(btrim(c.name)) IN t.txt) > 0
     AND t.txt ~ ('(^|[^[:alnum:]])' || regexp_replace(lower(btrim(c.name)), '([^[:alnum:][:space:]])', '\\\1', 'g') || '($|[^[:alnum:]])'))
    OR (c.email <> '' AND position(lower(c.email) IN t.txt) > 0))
ORDER BY d.closed_at IS NULL DESC, d.last_activity_at DESC, d.id DESC
LIMIT $4`

// CaptureMatches returns up to limit of the workspace's deals (of owners
// only, unless nil) whose account name, contact name or contact email
// appears in text, open deals first, then by most recent activity.
func (s *Store) CaptureMatches(ctx context.Context, ex Executor, teamID, text string, ownerIDs []string, limit int) ([]pipeline.Deal, error) {
	if text == "" {
		return nil, nil
	}
	return s.selectDeals(ctx, ex, "deals a message mentions", captureMatches, teamID, text, owners(ownerIDs), limit)
}

// A person's recent deals: their own first, then those of the owners they
// may work on ($2, NULL = all), open first, most recently active first.
const recentDeals = selectDeals + `
WHERE d.workspace_id = $1 AND ($2::text[] IS NULL OR d.owner_id = ANY($2::text[]))
ORDER BY d.owner_id = $3 DESC, d.closed_at IS NULL DESC, d.last_activity_at DESC, d.id DESC
LIMIT $4`

// RecentDeals returns up to limit deals of owners (nil = everyone's) for
// userID: their own first, open before closed, most recently active first.
func (s *Store) RecentDeals(ctx context.Context, ex Executor, teamID, userID string, ownerIDs []string, limit int) ([]pipeline.Deal, error) {
	return s.selectDeals(ctx, ex, "recent deals", recentDeals, teamID, owners(ownerIDs), userID, limit)
}

// Adding a message is logging an activity (see insertActivity): it resets
// the deal's staleness and appends history. The history row is action
// "message", field the message's writer, old_value its permalink and
// new_value its text, so the history can show all three.
const insertMessageActivity = `
WITH d AS (
    UPDATE deals SET last_activity_at = $10
    WHERE workspace_id = $1 AND id = $2
    RETURNING id
), a AS (
    INSERT INTO activities (workspace_id, deal_id, author_id, kind, body, created_at,
                            source_channel, source_ts, source_author, source_at, source_permalink)
    SELECT $1, d.id, $3, 'message', $4, $10, $5, $6, $7, $8, $9 FROM d
    RETURNING ` + messageColumns + `
), h AS (
    INSERT INTO deal_history (workspace_id, deal_id, actor_id, action, field, old_value, new_value, created_at)
    SELECT $1, a.deal_id, a.author_id, 'message', a.source_author, a.source_permalink, a.body, a.created_at FROM a
)
SELECT * FROM a`

const messageColumns = `id, deal_id, author_id, kind, body, created_at,
    source_channel, source_ts, source_author, source_at, source_permalink`

const selectMessageActivity = `
SELECT ` + messageColumns + ` FROM activities
WHERE workspace_id = $1 AND deal_id = $2 AND source_channel = $3 AND source_ts = $4`

type messageRow struct {
	activityRow
	Channel   string    `db:"source_channel"`
	TS        string    `db:"source_ts"`
	Author    string    `db:"source_author"`
	At        time.Time `db:"source_at"`
	Permalink string    `db:"source_permalink"`
}

func (r messageRow) activity() pipeline.Activity {
	return pipeline.Activity{ID: r.ID, DealID: r.DealID, AuthorID: r.AuthorID, Kind: r.Kind, Body: r.Body, CreatedAt: r.CreatedAt,
		Source: &pipeline.CapturedMessage{Channel: r.Channel, TS: r.TS, Author: r.Author, At: r.At, Text: r.Body, Permalink: r.Permalink}}
}

// AddMessageActivity logs message m on deal d, added by addedBy at now,
// resets the deal's staleness and appends its history. ErrNotFound when
// the workspace has no such deal; a message already on the deal violates
// activities_source_idx (check with MessageActivity first, under the
// deal's lock).
func (s *Store) AddMessageActivity(ctx context.Context, ex Executor, d pipeline.Deal, addedBy string, m pipeline.CapturedMessage, now time.Time) (pipeline.Activity, error) {
	if err := s.ensurePeople(ctx, ex, d.WorkspaceID, addedBy); err != nil {
		return pipeline.Activity{}, fmt.Errorf("store: add message to %s: %w", d.Ref(), err)
	}
	var r messageRow
	err := sqlx.GetContext(ctx, ex, &r, insertMessageActivity, d.WorkspaceID, d.ID, addedBy, m.Text,
		m.Channel, m.TS, m.Author, m.At, m.Permalink, now)
	if err != nil {
		return pipeline.Activity{}, fmt.Errorf("store: add message to %s: %w", d.Ref(), notFound(err))
	}
	return r.activity(), nil
}

// MessageActivity reads the activity that keeps the message channel/ts on
// deal d; false when the message is not on it.
func (s *Store) MessageActivity(ctx context.Context, ex Executor, d pipeline.Deal, channel, ts string) (pipeline.Activity, bool, error) {
	var r messageRow
	err := sqlx.GetContext(ctx, ex, &r, selectMessageActivity, d.WorkspaceID, d.ID, channel, ts)
	if errors.Is(err, sql.ErrNoRows) {
		return pipeline.Activity{}, false, nil
	}
	if err != nil {
		return pipeline.Activity{}, false, fmt.Errorf("store: message on %s: %w", d.Ref(), err)
	}
	return r.activity(), true, nil
}
