package main

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"salesbot/bot"
	"salesbot/config"
	"salesbot/internal/pgtest"
	"salesbot/internal/slackfake"
	"salesbot/outbox"
)

// stuckPoster is a Slack whose chat.postMessage hangs until its context
// ends, as a Slack that accepted the connection and never answers would.
type stuckPoster struct {
	*bot.API
	entered   chan struct{}
	cancelled chan error
}

func (p stuckPoster) PostMessageContext(ctx context.Context, channel string, opts ...slack.MsgOption) (string, string, error) {
	p.entered <- struct{}{}
	<-ctx.Done()
	p.cancelled <- ctx.Err()
	return "", "", ctx.Err()
}

// A delivery that hangs cannot hold the shutdown past its budget: stopJobs
// asks River to stop, then to cancel, and returns by the deadline even when
// the job does not end (a post already on its way ignores cancellation and
// gives up only at its own timeout; River rescues the job later).
func TestDrainJobQueueStopsByTheDeadlineWhateverAJobDoes(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	db, _, err := openDatabase(ctx, config.Config{DatabaseURL: pgtest.URL(t)}, log)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	fake := slackfake.New(t)
	poster := stuckPoster{API: bot.NewAPI("xoxb-test", "xapp-test", fake.APIURL()), entered: make(chan struct{}, 1), cancelled: make(chan error, 1)}
	// A workspace of its own: no other test's client picks the job up.
	team := pgtest.TeamID()
	ob, err := outbox.New(outbox.Config{DB: db.DB, Poster: poster, Log: log, Teams: []string{team}})
	if err != nil {
		t.Fatal(err)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := ob.Enqueue(ctx, tx, outbox.Message{TeamID: team, Channel: "C1", Text: "hello", Kind: "test"}); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := ob.Start(context.WithoutCancel(ctx)); err != nil {
		t.Fatal(err)
	}
	select {
	case <-poster.entered:
	case <-ctx.Done():
		t.Fatal("the job never started")
	}

	s := &service{jobs: ob.Client(), log: log}
	stopped := make(chan error, 1)
	budget, cancelBudget := context.WithTimeout(ctx, jobsCancelShare+time.Second)
	defer cancelBudget()
	go func() { stopped <- s.stopJobs(budget) }()
	select {
	case err := <-stopped:
		if err != nil {
			t.Errorf("stopJobs: %v", err)
		}
	case <-ctx.Done():
		t.Fatal("stopJobs did not return with a job stuck")
	}
	select {
	case err := <-poster.cancelled:
		t.Errorf("stopJobs waited for the stuck post (which ended with %v) instead of returning by its deadline", err)
	default:
	}
}
