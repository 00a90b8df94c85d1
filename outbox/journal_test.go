package outbox_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"salesbot/outbox"
)

// replays records what the envelope worker hands over.
type replays chan string

func (r replays) Replay(_ context.Context, typ string, payload json.RawMessage) error {
	r <- typ + " " + string(payload)
	return nil
}

func journalState(e *env, id int64) string {
	var state string
	if err := e.db.GetContext(context.Background(), &state, `SELECT state FROM river_job WHERE id = $1`, id); err != nil {
		return "gone"
	}
	return state
}

func TestJournaledEnvelopeIsClearedWhenDoneAndReplayedWhenNot(t *testing.T) {
	e := setup(t)
	ctx := t.Context()
	got := make(replays, 10)
	cfg := e.config(nil)
	ob := e.startShared(cfg, outbox.JournalQueues(cfg.Teams), func(workers *river.Workers) {
		river.AddWorker(workers, outbox.NewEnvelopeWorker(got, 10*time.Second))
	})

	// Done in time: the envelope is gone and never replayed.
	later, err := ob.Journal(e.db.DB, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	defer later.Close()
	id, err := later.Record(ctx, e.team, "slash_commands", json.RawMessage(`{"text":"cleared"}`))
	if err != nil {
		t.Fatal(err)
	}
	if s := journalState(e, id); s != "scheduled" {
		t.Fatalf("a recorded envelope is %s, want scheduled for later", s)
	}
	if err := later.Done(ctx, id); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the cleared envelope to be gone", func() bool { return journalState(e, id) == "gone" })
	if err := later.Done(ctx, id); err != nil {
		t.Errorf("clearing twice: %v", err)
	}

	// Never done (its process died): any worker replays it once due.
	now, err := ob.Journal(e.db.DB, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer now.Close()
	id, err = now.Record(ctx, e.team, "interactive", json.RawMessage(`{"text":"orphan"}`))
	if err != nil {
		t.Fatal(err)
	}
	select {
	case r := <-got:
		if r != `interactive {"text": "orphan"}` { // as jsonb spells it
			t.Errorf("replayed %q, want the orphaned envelope", r)
		}
	case <-time.After(waitTimeout):
		t.Fatal("the orphaned envelope was never replayed")
	}
	eventually(t, "the replayed envelope to complete", func() bool { return journalState(e, id) == "completed" })
	select {
	case r := <-got:
		t.Errorf("replayed again: %q", r)
	default:
	}
}

// TestJournalRecordGivenUpIsNotKept: a Record whose caller stopped waiting
// (its person was told nothing was saved) must leave no envelope behind to
// be replayed.
func TestJournalRecordGivenUpIsNotKept(t *testing.T) {
	e := setup(t)
	ob := e.start(e.config(nil))
	j, err := ob.Journal(e.db.DB, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	gone, cancel := context.WithCancel(context.Background())
	cancel()
	payload := json.RawMessage(`{"marker":"` + e.team + `"}`)
	for range 20 {
		if _, err := j.Record(gone, e.team, "slash_commands", payload); err == nil {
			t.Fatal("Record with a cancelled context succeeded")
		}
	}
	// A record that succeeds after them proves the writer got past them.
	id, err := j.Record(t.Context(), e.team, "slash_commands", json.RawMessage(`{"marker":"after"}`))
	if err != nil {
		t.Fatal(err)
	}
	defer j.Done(context.Background(), id)
	var n int
	if err := e.db.GetContext(t.Context(), &n, `SELECT count(*) FROM river_job WHERE kind = 'envelope' AND args->'payload'->>'marker' = $1`, e.team); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("%d envelopes kept although their Record gave up", n)
	}
}
