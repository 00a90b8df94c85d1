package main

import (
	"context"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"salesbot/internal/loadgen"
	"salesbot/internal/pgtest"
	"salesbot/internal/slackfake"
	"salesbot/pipeline"
	"salesbot/store"
)

// replicaTest is two (or more) salesbot processes on one database of their
// own and one fake Slack that spreads envelopes over their connections.
type replicaTest struct {
	t    *testing.T
	ctx  context.Context
	bin  string
	db   *sqlx.DB
	url  string
	fake *slackfake.Server
	team string
}

func newReplicaTest(t *testing.T, ctx context.Context) *replicaTest {
	t.Helper()
	rt := &replicaTest{t: t, ctx: ctx, bin: salesbotBinary(t), url: pgtest.Fresh(t), team: pgtest.TeamID()}
	rt.fake = slackfake.New(t, slackfake.WithSpread(), slackfake.WithTeamID(rt.team))
	migrate := exec.CommandContext(ctx, rt.bin, "migrate")
	migrate.Env = []string{"DATABASE_URL=" + rt.url, "LOG_LEVEL=warn"}
	if out, err := migrate.CombinedOutput(); err != nil {
		t.Fatalf("salesbot migrate: %v\n%s", err, out)
	}
	db, err := sqlx.Open("postgres", rt.url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	rt.db = db
	return rt
}

func (rt *replicaTest) count(query string, args ...any) int {
	rt.t.Helper()
	var n int
	if err := rt.db.GetContext(rt.ctx, &n, query, args...); err != nil {
		rt.t.Fatalf("%s: %v", query, err)
	}
	return n
}

// acked reports whether envelope id, or any redelivery of it, was acked.
func (rt *replicaTest) acked(id string) bool {
	for _, e := range rt.fake.Envelopes() {
		if (e.ID == id || e.RedeliveryOf == id) && rt.fake.Acked(e.ID) {
			return true
		}
	}
	return false
}

// sendRefusedAgain sends again, as the person would, each envelope of ids
// the bot answered "not saved" (it or a redelivery of it), and puts the new
// envelope in its place: under load the journal can time out, and then the
// bot does none of it and says so.
func (rt *replicaTest) sendRefusedAgain(ids []string, send func(i int) string) {
	refused := map[string]bool{}
	for _, a := range rt.fake.Acks() {
		if strings.Contains(string(a.Payload), "was not saved") {
			refused[a.EnvelopeID] = true
		}
	}
	if len(refused) == 0 {
		return
	}
	for _, e := range rt.fake.Envelopes() {
		if refused[e.ID] && e.RedeliveryOf != "" {
			refused[e.RedeliveryOf] = true
		}
	}
	for i, id := range ids {
		if refused[id] {
			rt.t.Logf("envelope %s was answered \"not saved\"; sending it again", id)
			ids[i] = send(i)
		}
	}
}

// sendUnsavedAgain submits lead k again, as its submitter would, each time
// the bot told them the lead was not saved (its work ran out of time on an
// overloaded machine: nothing of it was stored, and the person was told).
// resent counts the submissions already made again for each k.
func (rt *replicaTest) sendUnsavedAgain(ids []string, send func(k int) string, resent map[int]int) {
	for k := range ids {
		told := 0
		for _, m := range rt.fake.Messages(leadUser(k)) {
			if strings.Contains(m.Text, "was not saved") {
				told++
			}
		}
		if told > resent[k] {
			rt.t.Logf("lead %d was not saved (%d times); submitting it again", k, told)
			resent[k]++
			ids[k] = send(k)
		}
	}
}

// storedTitles counts the deals of the workspace by title.
func (rt *replicaTest) storedTitles() map[string]int {
	rt.t.Helper()
	var rows []struct {
		Title string `db:"title"`
		N     int    `db:"n"`
	}
	if err := rt.db.SelectContext(rt.ctx, &rows, `SELECT title, count(*) AS n FROM deals WHERE workspace_id = $1 GROUP BY title`, rt.team); err != nil {
		rt.t.Fatal(err)
	}
	out := map[string]int{}
	for _, r := range rows {
		out[r.Title] = r.N
	}
	return out
}

// TestTwoReplicasHandleEveryAckedEnvelopeOnce runs two `salesbot run`
// processes on one database, with Slack spreading envelopes between them at
// random: 200 New-lead submissions are each stored once, 20 wins each
// announced once, the day's digest sent once. Then one replica is killed
// with SIGKILL in the middle of a burst: every submission and win that was
// acked is still handled (by the other replica: redelivered if it was not
// acked, replayed from the journal if it was), and nothing is posted twice.
func TestTwoReplicasHandleEveryAckedEnvelopeOnce(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 6*time.Minute)
	defer cancel()
	rt := newReplicaTest(t, ctx)

	// The workspace exists before the replicas start, with its digest due
	// a minute ago (by the database's clock, which the replicas share), so
	// the scheduler's first tick owes exactly one digest occurrence.
	if _, err := store.New(rt.db).EnsureWorkspace(ctx, store.New(rt.db).DB(), rt.team, pipeline.Settings{Currency: "USD", Timezone: "UTC"}); err != nil {
		t.Fatal(err)
	}
	if _, err := rt.db.ExecContext(ctx, `UPDATE workspace_settings SET celebration_channel = 'C0WINS',
		digest_channel = 'C0DIGEST', timezone = 'UTC', working_days = '{0,1,2,3,4,5,6}',
		digest_time = to_char(now() AT TIME ZONE 'UTC' - interval '1 minute', 'HH24:MI'),
		jobs = jobs || '{"leaderboard": false}' WHERE workspace_id = $1`, rt.team); err != nil {
		t.Fatal(err)
	}
	if _, err := rt.db.ExecContext(ctx, `UPDATE workspaces SET created_at = now() - interval '2 days' WHERE id = $1`, rt.team); err != nil {
		t.Fatal(err)
	}

	env := replicaEnv(rt.fake, rt.url)
	a := startReplica(t, rt.bin, "replica-a", env)
	startReplica(t, rt.bin, "replica-b", env)
	if err := rt.fake.WaitConnections(ctx, 2); err != nil {
		t.Fatal(err)
	}

	form, err := learnLeadModal(ctx, rt.fake, rt.team)
	if err != nil {
		t.Fatal(err)
	}
	subs := &submitter{fake: rt.fake, team: rt.team, form: form}
	submit := func(k int) string {
		id, err := rt.fake.SendInteraction(ctx, subs.payload(k))
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	won := func(n int64, owner string) string {
		id, err := rt.fake.SendSlashCommand(ctx, slackfake.SlashCommand{TeamID: rt.team, ChannelID: "C0SALES",
			UserID: owner, Command: "/deal", Text: fmt.Sprintf("won D-%d 9000", n)})
		if err != nil {
			t.Fatal(err)
		}
		return id
	}

	// Under load, both replicas up: 200 submissions at 50/s.
	const steady, burst = 200, 100
	var ids []string
	if _, err := loadgen.Pace(ctx, 50, steady, func(k int) error { ids = append(ids, submit(k)); return nil }); err != nil {
		t.Fatal(err)
	}
	stored := 0
	storedSoFar := func() string { return fmt.Sprintf("%d stored", stored) }
	resent := map[int]int{}
	waitUntil(t, ctx, "200 submissions stored", func() bool {
		rt.sendRefusedAgain(ids, submit)
		rt.sendUnsavedAgain(ids, submit, resent)
		stored = len(rt.storedTitles())
		return stored == steady
	}, storedSoFar)
	var deals []struct {
		Number int64  `db:"number"`
		Owner  string `db:"owner_id"`
	}
	if err := rt.db.SelectContext(ctx, &deals, `SELECT number, owner_id FROM deals WHERE workspace_id = $1 ORDER BY number LIMIT 30`, rt.team); err != nil {
		t.Fatal(err)
	}
	var winIDs []string
	for _, d := range deals[:20] {
		winIDs = append(winIDs, won(d.Number, d.Owner))
	}
	winAgain := func(j int) string { return won(deals[j].Number, deals[j].Owner) } // winIDs[j] wins deals[j]
	waitUntil(t, ctx, "20 wins announced", func() bool {
		rt.sendRefusedAgain(winIDs, winAgain)
		return len(rt.fake.Messages("C0WINS")) >= 20
	})

	// A burst of 100 more submissions and 10 more wins, fast enough that
	// work after acks piles up; replica A is killed halfway through, without
	// a drain.
	killed := false
	if _, err := loadgen.Pace(ctx, 200, burst, func(i int) error {
		ids = append(ids, submit(steady+i))
		if i%10 == 5 {
			d := deals[20+i/10]
			winIDs = append(winIDs, won(d.Number, d.Owner))
		}
		if i == burst/2 {
			a.kill()
			killed = true
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if !killed {
		t.Fatal("replica A was not killed")
	}

	// Every envelope is acked in the end (those A left unacked are
	// redelivered to B); each acked one must be handled.
	for _, id := range append(append([]string(nil), ids...), winIDs...) {
		waitUntil(t, ctx, "envelope "+id+" (or its redelivery) to be acked", func() bool { return rt.acked(id) })
	}
	waitUntil(t, ctx, "every submission stored", func() bool {
		rt.sendRefusedAgain(ids, submit)
		rt.sendUnsavedAgain(ids, submit, resent)
		stored = len(rt.storedTitles())
		return stored == steady+burst
	}, storedSoFar)
	waitUntil(t, ctx, "30 wins announced", func() bool {
		rt.sendRefusedAgain(winIDs, winAgain)
		return len(rt.fake.Messages("C0WINS")) >= 30
	})
	// Then until nothing is left to do: the journal replayed (or cleared)
	// and the outbox delivered, rescued jobs of A included.
	waitUntil(t, ctx, "the journal and the outbox to be drained", func() bool {
		return rt.count(`SELECT count(*) FROM river_job WHERE kind IN ('envelope', 'outbox_message')
			AND state NOT IN ('completed', 'discarded', 'cancelled')`) == 0
	})

	for k := range steady + burst {
		title := fmt.Sprintf("Bench deal %d", k)
		if n := rt.storedTitles()[title]; n != 1 {
			t.Errorf("%q stored %d times, want once", title, n)
		}
	}
	if n := rt.count(`SELECT count(*) FROM river_job WHERE kind IN ('envelope', 'outbox_message') AND state <> 'completed'`); n != 0 {
		t.Errorf("%d journal or outbox jobs did not complete", n)
	}
	announced := map[int64]int{}
	for _, m := range rt.fake.Messages("C0WINS") {
		for _, d := range deals {
			if strings.Contains(blockText(m.Blocks), fmt.Sprintf("Open D-%d\n", d.Number)) {
				announced[d.Number]++
			}
		}
	}
	for _, d := range deals {
		if announced[d.Number] != 1 {
			t.Errorf("D-%d announced %d times, want once", d.Number, announced[d.Number])
		}
	}
	if msgs := rt.fake.Messages("C0DIGEST"); len(msgs) != 1 {
		t.Errorf("digest channel has %d messages, want the day's digest once", len(msgs))
	}
	// Lead confirmations go straight to Slack after the commit: a replay
	// of a stored lead must not confirm it again.
	confirmed := map[int]int{}
	for _, c := range rt.fake.Calls("chat.postMessage") {
		if !strings.Contains(c.Param("text"), "created") {
			continue
		}
		if ref := titleRef.FindStringSubmatch(c.Param("blocks")); ref != nil {
			k, _ := strconv.Atoi(ref[1])
			confirmed[k]++
		}
	}
	for k, n := range confirmed {
		if n > 1 {
			t.Errorf("Bench deal %d confirmed %d times", k, n)
		}
	}
	replayed := rt.count(`SELECT count(*) FROM river_job WHERE kind = 'envelope' AND state = 'completed'`)
	redelivered := 0
	for _, e := range rt.fake.Envelopes() {
		if e.RedeliveryOf != "" {
			redelivered++
		}
	}
	t.Logf("after the kill: %d envelopes replayed from the journal, %d redelivered by Slack", replayed, redelivered)
}
