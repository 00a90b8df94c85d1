package outbox_test

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/slack-go/slack"

	"salesbot/internal/pgtest"
	"salesbot/outbox"
)

// The crash test runs its first outbox in a process of its own: this test
// binary again, running only TestOutboxProcess with these variables set.
const (
	helperDB    = "OUTBOX_TEST_HELPER_DB"
	helperSlack = "OUTBOX_TEST_HELPER_SLACK"
	helperTeam  = "OUTBOX_TEST_HELPER_TEAM"
)

// TestOutboxProcess is not a test: it is the process TestCrashAfterPost
// kills. It works the given queue and, once Slack has accepted a post,
// prints the job's ID and hangs before River records the job done.
func TestOutboxProcess(t *testing.T) {
	if os.Getenv(helperDB) == "" {
		t.Skip("the outbox process of TestCrashAfterPostIsNotPostedTwice")
	}
	db, err := sql.Open("postgres", os.Getenv(helperDB))
	if err != nil {
		t.Fatal(err)
	}
	ob, err := outbox.New(outbox.Config{
		DB:        db,
		Poster:    slack.New("xoxb-test", slack.OptionAPIURL(os.Getenv(helperSlack))),
		Log:       slog.New(slog.DiscardHandler),
		Teams:     []string{os.Getenv(helperTeam)},
		AfterPost: func(id int64) { fmt.Printf("posted %d\n", id); select {} },
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := ob.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	select {}
}

// TestCrashAfterPostIsNotPostedTwice kills, with SIGKILL, a process whose
// outbox is between Slack accepting its post and River recording the job
// done, then starts a new outbox: River's rescuer re-runs the job, which
// finds its message in the channel's history and completes without posting
// again.
func TestCrashAfterPostIsNotPostedTwice(t *testing.T) {
	e := setup(t)
	ctx := t.Context()
	child := exec.Command(os.Args[0], "-test.run", "^TestOutboxProcess$")
	child.Env = append(os.Environ(), helperDB+"="+pgtest.URL(t), helperSlack+"="+e.fake.APIURL(), helperTeam+"="+e.team)
	out, err := child.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	child.Stderr = e.t.Output()
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { child.Wait(); close(exited) }()
	t.Cleanup(func() { child.Process.Kill(); <-exited })
	posted := make(chan int64, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			var id int64
			if _, err := fmt.Sscanf(sc.Text(), "posted %d", &id); err == nil {
				posted <- id
			}
		}
	}()

	// This outbox only enqueues (it is not started).
	enqueuer, err := outbox.New(e.config(nil))
	if err != nil {
		t.Fatal(err)
	}
	e.enqueue(enqueuer, true, e.message("C0CRASH", "won once"))
	var id int64
	select {
	case id = <-posted:
	case <-time.After(waitTimeout):
		t.Fatal("the outbox process never posted")
	}
	if err := child.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-exited
	if jobs := e.jobs(); len(jobs) != 1 || jobs[0].State != "running" {
		t.Fatalf("after the crash jobs = %+v, want one left running", jobs)
	}

	// The new outbox rescues jobs running for over a second, once it is
	// River's leader: the dead process's leadership runs out about 16 s
	// after its last renewal, and the rescuer looks when it takes over.
	const rescueAfter = time.Second
	reg := prometheus.NewRegistry()
	cfgB := e.config(reg)
	cfgB.JobTimeout, cfgB.RescueStuckJobsAfter = rescueAfter, rescueAfter
	e.start(cfgB)

	var jobs []job
	rescue, cancelRescue := context.WithTimeout(ctx, 3*time.Minute)
	defer cancelRescue()
	for {
		if jobs = e.jobs(); len(jobs) == 1 && jobs[0].State == "completed" {
			break
		}
		select {
		case <-time.After(100 * time.Millisecond):
		case <-rescue.Done():
			t.Fatalf("the crashed job was not completed by the new outbox: %+v", jobs)
		}
	}
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
