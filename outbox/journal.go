package outbox

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lib/pq"
	"github.com/riverqueue/river"
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
	insert *sql.Stmt // prepared on the journal's own pool; see insertEnvelopes
	delete *sql.Stmt // prepared on the main pool; see deleteEnvelopes
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
	ctx, cancel := context.WithTimeout(context.Background(), journalWriteTimeout)
	defer cancel()
	ins, err := db.PrepareContext(ctx, insertEnvelopes)
	if err != nil {
		return nil, fmt.Errorf("outbox: journal: prepare the insert: %w", err)
	}
	del, err := o.db.PrepareContext(ctx, deleteEnvelopes)
	if err != nil {
		ins.Close()
		return nil, fmt.Errorf("outbox: journal: prepare the delete: %w", err)
	}
	j := &Journal{insert: ins, delete: del, delay: delay, log: o.log,
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
	j.insert.Close()
	j.delete.Close()
}

// Record stores the envelope, to be replayed after the journal's delay
// unless Done is called first.
func (j *Journal) Record(ctx context.Context, team, typ string, payload json.RawMessage) (int64, error) {
	if err := ValidTeam(team); err != nil {
		return 0, fmt.Errorf("outbox: journal: %w", err)
	}
	// It goes into the batch's statement as it is: one bad envelope must not
	// fail the others.
	if !json.Valid(payload) {
		return 0, fmt.Errorf("outbox: journal %s envelope: the payload is not JSON", typ)
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
	ids, err := j.insertBatch(ctx, batch)
	for i, p := range batch {
		if err == nil {
			p.id = ids[i]
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

// insertEnvelopes writes a batch of envelopes as River jobs in one
// statement: $1 is a JSON array of {"q": queue, "a": args}, $2 the attempts,
// $3 when they become due. A statement outside a transaction commits on its
// own before its result comes back, so this costs one round trip where
// River's InsertMany costs four (BEGIN, parse, bind, COMMIT); and the
// payload is neither re-encoded, nor escaped into a text array, nor sent
// back. River's job table is its contract with inserts from
// outside its client (other languages insert the same way); the state
// follows River's rule: scheduled while due in the future.
const insertEnvelopes = `
INSERT INTO river_job (args, kind, max_attempts, queue, scheduled_at, state)
SELECT e->'a', '` + envelopeKind + `', $2, e->>'q', $3,
	CASE WHEN $3 > now() THEN 'scheduled' ELSE 'available' END::river_job_state
FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS r(e, n)
ORDER BY n
RETURNING id`

// insertBatch journals the batch and returns the jobs' IDs in its order.
func (j *Journal) insertBatch(ctx context.Context, batch []*pendingRecord) ([]int64, error) {
	var buf bytes.Buffer
	buf.WriteByte('[')
	for i, p := range batch {
		if i > 0 {
			buf.WriteByte(',')
		}
		appendRecord(&buf, QueueFor(QueueJournal, p.team), p.args)
	}
	buf.WriteByte(']')
	rows, err := j.insert.QueryContext(ctx, buf.Bytes(), journalAttempts, time.Now().Add(j.delay))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	ids := make([]int64, 0, len(batch))
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	// Err also carries a failed commit: the statement's implicit
	// transaction ends before the rows do.
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(ids) != len(batch) {
		return nil, fmt.Errorf("journaled %d envelopes of %d", len(ids), len(batch))
	}
	return ids, nil
}

// appendRecord writes one element of insertEnvelopes' array, the payload
// as Slack sent it.
func appendRecord(buf *bytes.Buffer, queue string, args envelopeArgs) {
	buf.WriteString(`{"q":"`)
	buf.WriteString(queue) // letters, digits and _ (ValidTeam)
	buf.WriteString(`","a":{"type":`)
	typ, _ := json.Marshal(args.Type) // a string always encodes
	buf.Write(typ)
	buf.WriteString(`,"payload":`)
	buf.Write(args.Payload) // valid JSON: see Record
	buf.WriteString("}}")
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

// deleteEnvelopes removes finished envelopes without sending them back
// (River's JobDeleteMany returns every deleted row). Like River's, it leaves
// a job that is running: another replica is replaying it and completes it.
const deleteEnvelopes = `
DELETE FROM river_job WHERE id = ANY($1::bigint[]) AND kind = '` + envelopeKind + `' AND state <> 'running'`

func (j *Journal) remove(ctx context.Context, ids []int64) error {
	if _, err := j.delete.ExecContext(ctx, pq.Array(ids)); err != nil {
		return fmt.Errorf("outbox: clear %d journaled envelopes: %w", len(ids), err)
	}
	return nil
}
