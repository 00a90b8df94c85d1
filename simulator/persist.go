package simulator

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"github.com/lib/pq"

	"salesbot/internal/slackfake"
)

// The simulator keeps what its page shows — messages (edits and deletions
// included) and shared files — in its own schema of salesbot's database, so
// a restarted `salesbot dev` shows the conversations it had. The schema is
// the simulator's alone: `salesbot run` never creates it, and no salesbot
// code reads it.
var schemaSQL = []string{
	// Two simulators starting at once on one database create it once.
	`SELECT pg_advisory_xact_lock(hashtext('salesbot simulator schema'))`,
	`CREATE SCHEMA IF NOT EXISTS simulator`,
	`CREATE TABLE IF NOT EXISTS simulator.messages (
    team_id   text NOT NULL,
    channel   text NOT NULL,
    ts        text NOT NULL,
    thread_ts text NOT NULL DEFAULT '',
    user_id   text NOT NULL DEFAULT '',
    ephemeral boolean NOT NULL DEFAULT false,
    via       text NOT NULL DEFAULT '',
    text      text NOT NULL DEFAULT '',
    blocks    text,  -- Block Kit JSON exactly as the bot sent it
    metadata  text,
    edits     integer NOT NULL DEFAULT 0,
    files     text[] NOT NULL DEFAULT '{}',
    PRIMARY KEY (team_id, channel, ts)
)`,
	`CREATE TABLE IF NOT EXISTS simulator.files (
    team_id         text NOT NULL,
    id              text NOT NULL,
    name            text NOT NULL,
    title           text NOT NULL DEFAULT '',
    channel         text NOT NULL DEFAULT '',
    thread_ts       text NOT NULL DEFAULT '',
    initial_comment text NOT NULL DEFAULT '',
    data            bytea NOT NULL,
    PRIMARY KEY (team_id, id)
)`,
	`CREATE TABLE IF NOT EXISTS simulator.setup (
    team_id text PRIMARY KEY,
    done_at timestamptz NOT NULL
)`,
}

const (
	selectMessagesSQL = `
SELECT channel, ts, thread_ts, user_id, ephemeral, via, text, blocks, metadata, edits, files
FROM simulator.messages WHERE team_id = $1`
	selectFilesSQL = `
SELECT id, name, title, channel, thread_ts, initial_comment, data FROM simulator.files WHERE team_id = $1 ORDER BY id`
	upsertMessageSQL = `
INSERT INTO simulator.messages (team_id, channel, ts, thread_ts, user_id, ephemeral, via, text, blocks, metadata, edits, files)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, COALESCE($12, '{}'::text[]))
ON CONFLICT (team_id, channel, ts) DO UPDATE SET text = EXCLUDED.text, blocks = EXCLUDED.blocks,
    metadata = EXCLUDED.metadata, edits = EXCLUDED.edits, files = EXCLUDED.files`
	deleteMessageSQL = `DELETE FROM simulator.messages WHERE team_id = $1 AND channel = $2 AND ts = $3`
	upsertFileSQL    = `
INSERT INTO simulator.files (team_id, id, name, title, channel, thread_ts, initial_comment, data)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
ON CONFLICT (team_id, id) DO UPDATE SET title = EXCLUDED.title, channel = EXCLUDED.channel, data = EXCLUDED.data`
	setupDoneSQL = `SELECT EXISTS (SELECT 1 FROM simulator.setup WHERE team_id = $1)`
	markSetupSQL = `INSERT INTO simulator.setup (team_id, done_at) VALUES ($1, $2) ON CONFLICT DO NOTHING`
)

// keeper writes the fake's messages and files to the database as they
// change. It remembers what it wrote, so each pass writes only the
// difference.
type keeper struct {
	db *sql.DB

	mu       sync.Mutex      // one pass at a time
	messages map[msgKey]int  // written messages -> their edit count
	files    map[string]bool // written file IDs
}

type msgKey struct{ channel, ts string }

// Attach keeps the simulator's messages and files in db: it puts back those
// of earlier runs, then writes every change until Close. Call it once,
// before the bot connects.
func (s *Server) Attach(ctx context.Context, db *sql.DB) error {
	if err := ensureSchema(ctx, db); err != nil {
		return err
	}
	k := &keeper{db: db, messages: map[msgKey]int{}, files: map[string]bool{}}
	msgs, files, err := k.load(ctx)
	if err != nil {
		return err
	}
	s.mu.Lock()
	for _, f := range files {
		s.seen[f.ID] = true // already placed as a message
	}
	for _, m := range msgs {
		s.seen[echoKey(m)] = true // the bot heard of it in an earlier run
	}
	s.keeper = k
	s.mu.Unlock()
	s.fake.Restore(msgs, files)
	s.goTracked(func() {
		for {
			changed := s.fake.Changes()
			s.keep(s.ctx)
			select {
			case <-changed:
			case <-s.ctx.Done():
				return
			}
		}
	})
	return nil
}

func ensureSchema(ctx context.Context, db *sql.DB) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("simulator: schema: %w", err)
	}
	defer tx.Rollback()
	for _, q := range schemaSQL {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("simulator: schema: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("simulator: schema: %w", err)
	}
	return nil
}

func (k *keeper) load(ctx context.Context) ([]slackfake.Message, []slackfake.File, error) {
	rows, err := k.db.QueryContext(ctx, selectMessagesSQL, TeamID)
	if err != nil {
		return nil, nil, fmt.Errorf("simulator: load messages: %w", err)
	}
	defer rows.Close()
	var msgs []slackfake.Message
	for rows.Next() {
		var m slackfake.Message
		var blocks, meta sql.NullString
		var files pq.StringArray
		if err := rows.Scan(&m.Channel, &m.TS, &m.ThreadTS, &m.User, &m.Ephemeral, &m.Via, &m.Text, &blocks, &meta,
			&m.Edits, &files); err != nil {
			return nil, nil, fmt.Errorf("simulator: load messages: %w", err)
		}
		if blocks.Valid {
			m.Blocks = json.RawMessage(blocks.String)
		}
		if meta.Valid {
			m.Metadata = json.RawMessage(meta.String)
		}
		m.Files = files
		msgs = append(msgs, m)
		k.messages[msgKey{m.Channel, m.TS}] = m.Edits
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("simulator: load messages: %w", err)
	}
	frows, err := k.db.QueryContext(ctx, selectFilesSQL, TeamID)
	if err != nil {
		return nil, nil, fmt.Errorf("simulator: load files: %w", err)
	}
	defer frows.Close()
	var files []slackfake.File
	for frows.Next() {
		f := slackfake.File{Uploaded: true, Completed: true}
		if err := frows.Scan(&f.ID, &f.Name, &f.Title, &f.Channel, &f.ThreadTS, &f.InitialComment, &f.Data); err != nil {
			return nil, nil, fmt.Errorf("simulator: load files: %w", err)
		}
		f.Length = len(f.Data)
		files = append(files, f)
		k.files[f.ID] = true
	}
	return msgs, files, frows.Err()
}

// keep writes what changed in the fake since the last pass. A failure is
// logged and tried again at the next change: the page goes on working
// from memory.
func (s *Server) keep(ctx context.Context) {
	s.mu.Lock()
	k := s.keeper
	s.mu.Unlock()
	if k == nil {
		return
	}
	if err := k.write(ctx, s.fake.Messages(""), s.fake.Files()); err != nil && !errors.Is(err, context.Canceled) {
		s.log.Warn("simulator: keeping messages", "error", err)
	}
}

func (k *keeper) write(ctx context.Context, msgs []slackfake.Message, files []slackfake.File) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	now := map[msgKey]int{}
	var changed []slackfake.Message
	for _, m := range msgs {
		key := msgKey{m.Channel, m.TS}
		now[key] = m.Edits
		if edits, ok := k.messages[key]; !ok || edits != m.Edits {
			changed = append(changed, m)
		}
	}
	var gone []msgKey
	for key := range k.messages {
		if _, ok := now[key]; !ok {
			gone = append(gone, key)
		}
	}
	var newFiles []slackfake.File
	for _, f := range files {
		if f.Completed && f.Uploaded && !k.files[f.ID] {
			newFiles = append(newFiles, f)
		}
	}
	if len(changed) == 0 && len(gone) == 0 && len(newFiles) == 0 {
		return nil
	}
	tx, err := k.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, f := range newFiles {
		if _, err := tx.ExecContext(ctx, upsertFileSQL, TeamID, f.ID, f.Name, f.Title, f.Channel, f.ThreadTS,
			f.InitialComment, f.Data); err != nil {
			return fmt.Errorf("file %s: %w", f.ID, err)
		}
	}
	for _, m := range changed {
		if _, err := tx.ExecContext(ctx, upsertMessageSQL, TeamID, m.Channel, m.TS, m.ThreadTS, m.User, m.Ephemeral,
			m.Via, m.Text, rawOrNull(m.Blocks), rawOrNull(m.Metadata), m.Edits, pq.StringArray(m.Files)); err != nil {
			return fmt.Errorf("message %s/%s: %w", m.Channel, m.TS, err)
		}
	}
	for _, key := range gone {
		if _, err := tx.ExecContext(ctx, deleteMessageSQL, TeamID, key.channel, key.ts); err != nil {
			return fmt.Errorf("delete message %s/%s: %w", key.channel, key.ts, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	k.messages = now
	for _, f := range newFiles {
		k.files[f.ID] = true
	}
	return nil
}

func rawOrNull(raw json.RawMessage) any {
	if raw == nil {
		return nil
	}
	return string(raw)
}

// SetUpOnce runs setUp on the simulator's first start on db (Attach first),
// and never again once it has succeeded: what an admin changes later is
// theirs to keep.
func (s *Server) SetUpOnce(ctx context.Context, setUp func(context.Context) error) error {
	s.mu.Lock()
	k := s.keeper
	s.mu.Unlock()
	if k == nil {
		return errors.New("simulator: SetUpOnce before Attach")
	}
	var done bool
	if err := k.db.QueryRowContext(ctx, setupDoneSQL, TeamID).Scan(&done); err != nil {
		return fmt.Errorf("simulator: set-up: %w", err)
	}
	if done {
		return nil
	}
	if err := setUp(ctx); err != nil {
		return err
	}
	if _, err := k.db.ExecContext(ctx, markSetupSQL, TeamID, s.now()); err != nil {
		return fmt.Errorf("simulator: set-up: %w", err)
	}
	return nil
}
