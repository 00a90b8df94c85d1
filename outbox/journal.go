package outbox

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/rivertype"
)

// JournalQueue is the River queue of journaled envelopes. Any replica works
// it, whichever workspace the envelope came from.
const JournalQueue = "envelopes"

// envelopeKind is stored in jobs: renaming it strands journaled envelopes.
const envelopeKind = "envelope"

// journalAttempts: a replay that fails to decode will not decode next time
// either; one that failed for a dead database gets two more chances.
const journalAttempts = 3

// envelopeArgs is a Socket Mode envelope as Slack sent it.
type envelopeArgs struct {
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload"`
}

func (envelopeArgs) Kind() string { return envelopeKind }

// Replayer handles an envelope that a process acked and then died before
// finishing; *bot.Bot implements it.
type Replayer interface {
	Replay(ctx context.Context, typ string, payload json.RawMessage) error
}

// EnvelopeWorker replays journaled envelopes. It is registered through
// Config.Envelopes before the River client exists, and the Replayer, which is
// built later on top of this Outbox, is attached before Start.
type EnvelopeWorker struct {
	river.WorkerDefaults[envelopeArgs]
	timeout time.Duration

	mu       sync.Mutex
	replayer Replayer
}

// NewEnvelopeWorker returns a worker whose replays may run for timeout.
func NewEnvelopeWorker(timeout time.Duration) *EnvelopeWorker {
	return &EnvelopeWorker{timeout: timeout}
}

// Attach sets what replays envelopes.
func (w *EnvelopeWorker) Attach(r Replayer) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.replayer = r
}

// Timeout bounds one replay.
func (w *EnvelopeWorker) Timeout(*river.Job[envelopeArgs]) time.Duration { return w.timeout }

// Work replays the envelope.
func (w *EnvelopeWorker) Work(ctx context.Context, job *river.Job[envelopeArgs]) error {
	w.mu.Lock()
	r := w.replayer
	w.mu.Unlock()
	if r == nil {
		return errors.New("outbox: no replayer attached for journaled envelopes")
	}
	return r.Replay(ctx, job.Args.Type, job.Args.Payload)
}

// Journal records envelopes before they are acked; see bot.Journal.
type Journal struct {
	record *river.Client[*sql.Tx] // insert-only, on the journal's own pool
	main   *river.Client[*sql.Tx]
	delay  time.Duration
}

// Journal returns a journal whose records go through db, a pool of its own:
// an ack must never wait for a connection behind the work of earlier
// envelopes. A recorded envelope becomes available to every replica after
// delay, which must exceed how long the process that recorded it may take to
// finish it.
func (o *Outbox) Journal(db *sql.DB, delay time.Duration) (*Journal, error) {
	// No queues and no workers: this client only inserts, and takes no
	// part in electing River's leader.
	c, err := river.NewClient(riverdatabasesql.New(db), &river.Config{Logger: o.log})
	if err != nil {
		return nil, fmt.Errorf("outbox: journal client: %w", err)
	}
	return &Journal{record: c, main: o.client, delay: delay}, nil
}

// Record stores the envelope, to be replayed after the journal's delay
// unless Done is called first.
func (j *Journal) Record(ctx context.Context, typ string, payload json.RawMessage) (int64, error) {
	res, err := j.record.Insert(ctx, envelopeArgs{Type: typ, Payload: payload}, &river.InsertOpts{
		Queue:       JournalQueue,
		MaxAttempts: journalAttempts,
		ScheduledAt: time.Now().Add(j.delay),
	})
	if err != nil {
		return 0, fmt.Errorf("outbox: journal %s envelope: %w", typ, err)
	}
	return res.Job.ID, nil
}

// Done removes a recorded envelope whose work has run. One that is already
// gone is not an error.
func (j *Journal) Done(ctx context.Context, id int64) error {
	if _, err := j.main.JobDelete(ctx, id); err != nil && !errors.Is(err, rivertype.ErrNotFound) {
		return fmt.Errorf("outbox: clear journaled envelope %d: %w", id, err)
	}
	return nil
}
