package outbox_test

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/slack-go/slack"

	"salesbot/internal/slackfake"
	"salesbot/outbox"
)

func TestCommittedIsPostedOnceRolledBackNever(t *testing.T) {
	t.Parallel()
	e := setup(t)
	reg := prometheus.NewRegistry()
	ob := e.start(e.config(reg))
	blocks := json.RawMessage(`[{"type":"section","text":{"type":"mrkdwn","text":":tada: Acme closed!"}}]`)

	// The rolled-back one goes first: were it visible, it would be
	// fetched first.
	e.enqueue(ob, false, e.message("C0WINS", "rolled back"))
	e.enqueue(ob, true, e.message("C0WINS", "Acme closed!", func(m *outbox.Message) { m.Blocks = blocks }))

	jobs := e.waitJobs(1, "completed")
	msgs := e.fake.Messages("C0WINS")
	if len(msgs) != 1 {
		t.Fatalf("channel has %d messages, want 1: %+v", len(msgs), msgs)
	}
	m := msgs[0]
	if m.Text != "Acme closed!" || !bytes.Contains(m.Blocks, []byte(":tada: Acme closed!")) {
		t.Errorf("posted text %q blocks %s, want the committed message", m.Text, m.Blocks)
	}
	if got := jobIDOf(t, m); got != jobs[0].ID {
		t.Errorf("metadata %s names job %d, want salesbot_outbox for job %d", m.Metadata, got, jobs[0].ID)
	}
	if n := len(e.fake.Calls("chat.postMessage")); n != 1 {
		t.Errorf("chat.postMessage called %d times, want 1", n)
	}
	if n := len(e.fake.Calls("conversations.history")); n != 0 {
		t.Errorf("a first attempt looked in history %d times; it cannot have posted before", n)
	}
	if got := counter(t, reg, "salesbot_outbox_delivered_total", "kind", "won_announcement"); got != 1 {
		t.Errorf("delivered = %v, want 1", got)
	}
}

func TestSameKeyIsEnqueuedOnce(t *testing.T) {
	e := setup(t)
	ob := e.start(e.config(nil))
	keyed := func(key string) func(*outbox.Message) {
		return func(m *outbox.Message) { m.Key = key }
	}
	e.enqueue(ob, true, e.message("C0KEYS", "first", keyed("won:42")))
	e.enqueue(ob, true, e.message("C0KEYS", "again", keyed("won:42")), e.message("C0KEYS", "other", keyed("won:43")))
	e.waitJobs(2, "completed")
	// A double-clicked button after delivery is a duplicate too.
	e.enqueue(ob, true, e.message("C0KEYS", "late", keyed("won:42")))

	var texts []string
	for _, m := range e.fake.Messages("C0KEYS") {
		texts = append(texts, m.Text)
	}
	if len(texts) != 2 || texts[0] == texts[1] || len(e.jobs()) != 2 {
		t.Errorf("posted %q from %d jobs, want first and other once each", texts, len(e.jobs()))
	}
}

func TestRateLimitSnoozesAndPostsOnce(t *testing.T) {
	e := setup(t)
	reg := prometheus.NewRegistry()
	ob := e.start(e.config(reg))
	e.fake.SetFailure("chat.postMessage", slackfake.Failure{Times: 1, Status: 429, RetryAfter: 2})

	e.enqueue(ob, true, e.message("C0BUSY", "after the limit"))

	jobs := e.waitJobs(1, "completed")
	calls := e.fake.Calls("chat.postMessage")
	if len(calls) != 2 || !calls[0].Failed || calls[1].Failed {
		t.Fatalf("chat.postMessage calls = %d (failed: %v), want a 429 then a post", len(calls), failedFlags(calls))
	}
	if n := len(e.fake.Messages("C0BUSY")); n != 1 {
		t.Errorf("channel has %d messages, want 1", n)
	}
	// Retry-After is a floor: the second call cannot come sooner.
	if gap := calls[1].At.Sub(calls[0].At); gap < 1900*time.Millisecond {
		t.Errorf("posted again %s after the 429, want at least Retry-After (2s)", gap)
	}
	if j := jobs[0]; j.Attempt != 1 || len(j.Errors) != 0 {
		t.Errorf("job attempt %d errors %q: a snooze must not use an attempt", j.Attempt, j.Errors)
	}
	if got := counter(t, reg, "salesbot_outbox_rate_limited_total", "kind", "won_announcement"); got != 1 {
		t.Errorf("rate_limited = %v, want 1", got)
	}
}

func TestCommittedWhileDownIsPostedOnStart(t *testing.T) {
	t.Parallel()
	e := setup(t)
	cfg := e.config(nil)
	// The process died after the commit and before any post: the job is
	// in the table and nothing works it.
	idle, err := outbox.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	e.enqueue(idle, true, e.message("C0LATE", "queued while down"))
	if n := len(e.fake.Calls("")); n != 0 {
		t.Fatalf("Slack saw %d calls with no outbox running", n)
	}

	e.start(cfg)
	e.waitMessages("C0LATE", 1)
	jobs := e.waitJobs(1, "completed")
	if n := len(e.fake.Messages("C0LATE")); n != 1 || jobs[0].Attempt != 1 {
		t.Errorf("%d messages after attempt %d, want one first-attempt post", n, jobs[0].Attempt)
	}
}

func TestUnknownChannelIsCancelledNotRetried(t *testing.T) {
	t.Parallel()
	e := setup(t)
	reg := prometheus.NewRegistry()
	ob := e.start(e.config(reg))
	// Armed for far more calls than one job should make.
	e.fake.SetFailure("chat.postMessage", slackfake.Failure{Times: 100, Error: "channel_not_found"})
	t.Cleanup(func() { e.fake.SetFailure("chat.postMessage", slackfake.Failure{}) })

	e.enqueue(ob, true, e.message("C0GONE", "into the void"))

	jobs := e.waitJobs(1, "cancelled")
	if n := len(e.fake.Calls("chat.postMessage")); n != 1 {
		t.Errorf("chat.postMessage called %d times, want 1", n)
	}
	if j := jobs[0]; len(j.Errors) != 1 || !bytes.Contains([]byte(j.Errors[0]), []byte("channel_not_found")) {
		t.Errorf("job errors = %q, want the channel_not_found", j.Errors)
	}
	if got := counter(t, reg, "salesbot_outbox_failed_total", "kind", "won_announcement", "reason", "channel_not_found"); got != 1 {
		t.Errorf("failed{channel_not_found} = %v, want 1", got)
	}
}

func TestUpdateEditsTheMessage(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ob := e.start(e.config(nil))
	_, ts, err := e.api.PostMessageContext(t.Context(), "U0OWNER", slack.MsgOptionText("Take the deal?", false))
	if err != nil {
		t.Fatal(err)
	}

	e.enqueue(ob, true, e.message("U0OWNER", "You took the deal.", func(m *outbox.Message) {
		m.Kind, m.Update = "handoff_offer", ts
	}))

	e.waitJobs(1, "completed")
	msgs := e.fake.Messages("U0OWNER")
	if len(msgs) != 1 || msgs[0].Text != "You took the deal." || msgs[0].Edits != 1 {
		t.Errorf("DM = %+v, want the one message edited once", msgs)
	}
}

func TestEnqueueRefusesInvalidMessages(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ob, err := outbox.New(e.config(nil))
	if err != nil {
		t.Fatal(err)
	}
	many := bytes.Repeat([]byte(`{"type":"divider"},`), 51)
	for name, m := range map[string]outbox.Message{
		"no channel":     e.message("", "text"),
		"no kind":        e.message("C1", "text", func(m *outbox.Message) { m.Kind = "" }),
		"nothing to say": e.message("C1", ""),
		"bad blocks":     e.message("C1", "t", func(m *outbox.Message) { m.Blocks = json.RawMessage(`{"type":`) }),
		"51 blocks":      e.message("C1", "t", func(m *outbox.Message) { m.Blocks = append(append([]byte("["), many[:len(many)-1]...), ']') }),
	} {
		tx, err := e.db.BeginTx(t.Context(), nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := ob.Enqueue(t.Context(), tx, m); err == nil {
			t.Errorf("%s: Enqueue accepted %+v", name, m)
		}
		tx.Rollback()
	}
}

func failedFlags(calls []slackfake.Call) []bool {
	out := make([]bool, len(calls))
	for i, c := range calls {
		out[i] = c.Failed
	}
	return out
}

func TestChartIsSharedAfterItsMessage(t *testing.T) {
	e := setup(t)
	ob := e.start(e.config(prometheus.NewRegistry()))
	png := []byte("\x89PNG\r\n\x1a\nfunnel")
	e.enqueue(ob, true, e.message("C0DIGEST", "Weekly leaderboard", func(m *outbox.Message) {
		m.Chart = &outbox.Chart{PNG: png, Filename: "funnel.png", Title: "Pipeline funnel"}
	}))
	e.waitJobs(1, "completed")
	files := e.fake.Files()
	if len(files) != 1 || !bytes.Equal(files[0].Data, png) || files[0].Channel != "C0DIGEST" || files[0].Name != "funnel.png" {
		t.Fatalf("files shared = %+v, want the funnel in C0DIGEST", files)
	}
	if msgs := e.fake.Messages("C0DIGEST"); len(msgs) == 0 || msgs[0].Text != "Weekly leaderboard" {
		t.Errorf("messages = %+v, want the leaderboard first", msgs)
	}
}
