package outbox_test

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/slack-go/slack"

	"salesbot/internal/pgtest"
	"salesbot/outbox"
)

// TestCrashAfterPostIsNotPostedTwice kills an outbox between Slack accepting
// its post and River recording the job done, then starts a new one: River's
// rescuer re-runs the job, which finds its message in the channel's history
// and completes without posting again.
func TestCrashAfterPostIsNotPostedTwice(t *testing.T) {
	e := setup(t)
	ctx := t.Context()
	// The outbox that dies has a pool of its own, so its database
	// sessions can end as a killed process's do.
	dbA, err := sql.Open("postgres", pgtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	posted, release := make(chan int64, 1), make(chan struct{})
	cfgA := e.config(nil)
	cfgA.DB = dbA
	cfgA.Log = slog.New(slog.DiscardHandler) // it fails on after the test's output closes
	cfgA.AfterPost = func(id int64) { posted <- id; <-release }
	a, err := outbox.New(cfgA)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		close(release)
		stopCtx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = a.Stop(stopCtx) // its completer cannot reach the database: do not wait for it
	})

	e.enqueue(a, true, e.message("C0CRASH", "won once"))
	var id int64
	select {
	case id = <-posted:
	case <-time.After(waitTimeout):
		t.Fatal("the first outbox never posted")
	}
	// The crash: the job stays `running`, and the dead leader stops
	// renewing its lease. Such a lease runs out 15 s after its last
	// renewal; ending it here stands in for that wait.
	if err := dbA.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.ExecContext(ctx, `DELETE FROM river_leader`); err != nil {
		t.Fatal(err)
	}
	if jobs := e.jobs(); len(jobs) != 1 || jobs[0].State != "running" {
		t.Fatalf("after the crash jobs = %+v, want one left running", jobs)
	}

	// The new outbox rescues jobs running for over a second. Its rescuer
	// looks when it becomes leader and then every 30 s, so it starts once
	// the job qualifies.
	const rescueAfter = time.Second
	eventually(t, "the job to have run longer than the rescue threshold", func() bool {
		var stuck bool
		err := e.db.GetContext(ctx, &stuck,
			`SELECT attempted_at < now() - make_interval(secs => $2) FROM river_job WHERE id = $1`, id, rescueAfter.Seconds())
		return err == nil && stuck
	})
	reg := prometheus.NewRegistry()
	cfgB := e.config(reg)
	cfgB.JobTimeout, cfgB.RescueStuckJobsAfter = rescueAfter, rescueAfter
	e.start(cfgB)

	jobs := e.waitJobs(1, "completed")
	msgs := e.fake.Messages("C0CRASH")
	if len(msgs) != 1 || jobIDOf(t, msgs[0]) != id {
		t.Fatalf("channel has %d messages (%+v), want job %d's one", len(msgs), msgs, id)
	}
	if n := len(e.fake.Calls("chat.postMessage")); n != 1 {
		t.Errorf("chat.postMessage called %d times, want 1", n)
	}
	if n := len(e.fake.Calls("conversations.history")); n == 0 {
		t.Error("the re-run did not look in history")
	}
	if j := jobs[0]; j.Attempt != 2 || !slices.ContainsFunc(j.Errors, func(s string) bool { return strings.Contains(s, "rescued") }) {
		t.Errorf("job attempt %d errors %q, want a rescued second attempt", j.Attempt, j.Errors)
	}
	if got := counter(t, reg, "salesbot_outbox_deduplicated_total", "kind", "won_announcement"); got != 1 {
		t.Errorf("deduplicated = %v, want 1", got)
	}
}

// flakyPoster fails the first post, either before it reaches Slack or
// after Slack accepted it (the answer lost on the way back).
type flakyPoster struct {
	outbox.Poster
	afterSlack bool
	failed     atomic.Bool
}

func (p *flakyPoster) PostMessageContext(ctx context.Context, channel string, opts ...slack.MsgOption) (string, string, error) {
	first := p.failed.CompareAndSwap(false, true)
	if first && !p.afterSlack {
		return "", "", errors.New("dial tcp: connection refused")
	}
	ch, ts, err := p.Poster.PostMessageContext(ctx, channel, opts...)
	if first && err == nil {
		return "", "", errors.New("read tcp: connection reset by peer")
	}
	return ch, ts, err
}

// TestRetriedDMPostsExactlyOnce retries a DM to a user ID after a failed
// post. The retry finds the DM channel with conversations.open (a post to a
// user ID lands there) and posts only if the first try did not get through.
func TestRetriedDMPostsExactlyOnce(t *testing.T) {
	for _, tc := range []struct {
		name       string
		afterSlack bool
		posts      int
		dedup      float64
	}{
		{"lost before Slack", false, 1, 0},
		{"answer lost after Slack took it", true, 1, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := setup(t)
			reg := prometheus.NewRegistry()
			cfg := e.config(reg)
			cfg.Poster = &flakyPoster{Poster: e.api, afterSlack: tc.afterSlack}
			ob := e.start(cfg)

			e.enqueue(ob, true, e.message("U0REP", "You have a new lead", func(m *outbox.Message) { m.Kind = "handoff_offer" }))

			jobs := e.waitJobs(1, "completed")
			if n := len(e.fake.Messages("U0REP")); n != 1 {
				t.Errorf("DM has %d messages, want 1", n)
			}
			if n := len(e.fake.Calls("chat.postMessage")); n != tc.posts {
				t.Errorf("Slack took %d posts, want %d", n, tc.posts)
			}
			hist := e.fake.Calls("conversations.history")
			if len(hist) == 0 || hist[0].Param("channel") != "DU0REP" {
				t.Errorf("history calls %d, want a look in the DM channel DU0REP", len(hist))
			}
			if jobs[0].Attempt != 2 {
				t.Errorf("job attempt %d, want 2", jobs[0].Attempt)
			}
			if got := counter(t, reg, "salesbot_outbox_deduplicated_total", "kind", "handoff_offer"); got != tc.dedup {
				t.Errorf("deduplicated = %v, want %v", got, tc.dedup)
			}
		})
	}
}
