package outbox

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/rivertype"
)

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

// EnvelopeWorker replays journaled envelopes through a Replayer. It is
// registered on the River client's workers, on the served workspaces'
// JournalQueues, once the Replayer exists: River accepts workers until the
// client starts.
type EnvelopeWorker struct {
	river.WorkerDefaults[envelopeArgs]
	timeout  time.Duration
	replayer Replayer
}

// NewEnvelopeWorker returns a worker whose replays through r may run for
// timeout.
func NewEnvelopeWorker(r Replayer, timeout time.Duration) *EnvelopeWorker {
	return &EnvelopeWorker{replayer: r, timeout: timeout}
}

// Timeout bounds one replay.
func (w *EnvelopeWorker) Timeout(*river.Job[envelopeArgs]) time.Duration { return w.timeout }

// Work replays the envelope.
func (w *EnvelopeWorker) Work(ctx context.Context, job *river.Job[envelopeArgs]) error {
	return w.replayer.Replay(ctx, job.Args.Type, job.Args.Payload)
}

// Journal records envelopes before they are acked; see bot.Journal. Records
// that arrive together are written together, in one transaction, so that a
// burst of envelopes costs one commit rather than one each.
type Journal struct {
	record *river.Client[*sql.Tx] // insert-only, on the journal's own pool
	main   *river.Client[*sql.Tx]
	delay  time.Duration
	log    *slog.Logger
	queue  chan *pendingRecord
	stop   chan struct{}
	// writers take turns: one gathers the next batch while another
	// waits for the database.
	writers sync.WaitGroup
	// cleared holds envelopes done here, for clear to remove in batches.
	cleared  chan int64
	clearing sync.WaitGroup
}

// pendingRecord is one Record waiting for its batch. state settles a race
// between the batch and a caller that gave up: whoever moves it from
// waiting first wins, and a record written for a caller that gave up (and
// told its person nothing was saved) is deleted again.
type pendingRecord struct {
	team   string // whose replicas may replay it
	args   envelopeArgs
	state  atomic.Int32
	id     int64
	err    error
	result chan struct{}
}

const (
	recordWaiting int32 = iota
	recordDelivered
	recordAbandoned
)

// maxJournalBatch bounds one batch; more than a second of 300 envelopes/s.
const maxJournalBatch = 500

// Envelopes done here are removed in batches of up to maxClearBatch, at
// least every clearEvery: far inside the journal's delay.
const (
	maxClearBatch = 200
	clearEvery    = 100 * time.Millisecond
)

// journalWriters write batches at once; the journal's pool must have a
// connection for each.
const journalWriters = 2

// journalWriteTimeout bounds writing one batch. A caller stops waiting
// sooner (its own deadline); this only frees the writer.
const journalWriteTimeout = 5 * time.Second

// Journal returns a journal whose records go through db, a pool of its own:
// an ack must never wait for a connection behind the work of earlier
// envelopes. A recorded envelope becomes available to every replica after
// delay, which must exceed how long the process that recorded it may take to
// finish it. Close stops it.
func (o *Outbox) Journal(db *sql.DB, delay time.Duration) (*Journal, error) {
	// No queues and no workers: this client only inserts, and takes no
	// part in electing River's leader.
	c, err := river.NewClient(riverdatabasesql.New(db), &river.Config{Logger: o.log})
	if err != nil {
		return nil, fmt.Errorf("outbox: journal client: %w", err)
	}
	j := &Journal{record: c, main: o.client, delay: delay, log: o.log,
		queue: make(chan *pendingRecord, maxJournalBatch), stop: make(chan struct{}),
		cleared: make(chan int64, 4*maxClearBatch)}
	j.writers.Add(journalWriters)
	for range journalWriters {
		go j.write()
	}
	j.clearing.Add(1)
	go j.clear()
	return j, nil
}

// Close stops the journal's writer; Record fails from then on.
func (j *Journal) Close() {
	close(j.stop)
	j.writers.Wait()
	j.clearing.Wait()
}

// Record stores the envelope, to be replayed after the journal's delay
// unless Done is called first.
func (j *Journal) Record(ctx context.Context, team, typ string, payload json.RawMessage) (int64, error) {
	if err := ValidTeam(team); err != nil {
		return 0, fmt.Errorf("outbox: journal: %w", err)
	}
	p := &pendingRecord{team: team, args: envelopeArgs{Type: typ, Payload: payload}, result: make(chan struct{})}
	select {
	case j.queue <- p:
	case <-j.stop:
		return 0, errors.New("outbox: journal closed")
	case <-ctx.Done():
		return 0, fmt.Errorf("outbox: journal %s envelope: %w", typ, ctx.Err())
	}
	select {
	case <-p.result:
	case <-ctx.Done():
		if p.state.CompareAndSwap(recordWaiting, recordAbandoned) {
			return 0, fmt.Errorf("outbox: journal %s envelope: %w", typ, ctx.Err())
		}
		<-p.result // delivered meanwhile
	}
	if p.err != nil {
		return 0, fmt.Errorf("outbox: journal %s envelope: %w", typ, p.err)
	}
	return p.id, nil
}

// write takes whatever records are waiting, writes them as one batch, and
// starts over.
func (j *Journal) write() {
	defer j.writers.Done()
	for {
		var batch []*pendingRecord
		select {
		case p := <-j.queue:
			batch = append(batch, p)
		case <-j.stop:
			return
		}
	more:
		for len(batch) < maxJournalBatch {
			select {
			case p := <-j.queue:
				batch = append(batch, p)
			default:
				break more
			}
		}
		j.writeBatch(batch)
	}
}

func (j *Journal) writeBatch(batch []*pendingRecord) {
	ctx, cancel := context.WithTimeout(context.Background(), journalWriteTimeout)
	defer cancel()
	at := time.Now().Add(j.delay)
	params := make([]river.InsertManyParams, len(batch))
	for i, p := range batch {
		params[i] = river.InsertManyParams{Args: p.args, InsertOpts: &river.InsertOpts{
			Queue: QueueFor(QueueJournal, p.team), MaxAttempts: journalAttempts, ScheduledAt: at}}
	}
	res, err := j.record.InsertMany(ctx, params)
	for i, p := range batch {
		if err == nil {
			p.id = res[i].Job.ID
		}
		p.err = err
		if !p.state.CompareAndSwap(recordWaiting, recordDelivered) && err == nil {
			// Its caller gave up and said nothing was saved: make it true.
			if derr := j.remove(ctx, []int64{p.id}); derr != nil {
				j.log.Error("outbox: a journaled envelope whose ack said nothing was saved may still be replayed",
					"journal_id", p.id, "error", derr)
			}
		}
		close(p.result)
	}
}

// Done removes a recorded envelope whose work has run. Removals are batched
// in the background (a record left behind by a crash is only redone, and
// redoing changes nothing twice); Close flushes them.
func (j *Journal) Done(ctx context.Context, id int64) error {
	select {
	case j.cleared <- id:
		return nil
	default: // a backlog: remove this one now
		return j.remove(ctx, []int64{id})
	}
}

// clear removes finished envelopes in batches, every clearEvery or sooner
// when a batch is full, until Close.
func (j *Journal) clear() {
	defer j.clearing.Done()
	tick := time.NewTicker(clearEvery)
	defer tick.Stop()
	var ids []int64
	flush := func() {
		if len(ids) == 0 {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), journalWriteTimeout)
		defer cancel()
		if err := j.remove(ctx, ids); err != nil {
			// They are redone after the delay; that changes nothing twice.
			j.log.Warn("outbox: could not clear journaled envelopes", "count", len(ids), "error", err)
		}
		ids = ids[:0]
	}
	for {
		select {
		case id := <-j.cleared:
			if ids = append(ids, id); len(ids) >= maxClearBatch {
				flush()
			}
		case <-tick.C:
			flush()
		case <-j.stop:
			for len(j.cleared) > 0 {
				ids = append(ids, <-j.cleared)
			}
			flush()
			return
		}
	}
}

func (j *Journal) remove(ctx context.Context, ids []int64) error {
	if len(ids) == 1 {
		if _, err := j.main.JobDelete(ctx, ids[0]); err != nil && !errors.Is(err, rivertype.ErrNotFound) {
			return fmt.Errorf("outbox: clear journaled envelope %d: %w", ids[0], err)
		}
		return nil
	}
	if _, err := j.main.JobDeleteMany(ctx, river.NewJobDeleteManyParams().IDs(ids...).First(len(ids))); err != nil {
		return fmt.Errorf("outbox: clear %d journaled envelopes: %w", len(ids), err)
	}
	return nil
}
