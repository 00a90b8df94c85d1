package salesdb_test

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"salesbot/notices"
	"salesbot/pipeline"
	"salesbot/sales"
	"salesbot/sales/salesdb"
)

// movable is a clock a test sets.
type movable struct {
	mu sync.Mutex
	t  time.Time
}

func (c *movable) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *movable) Set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.t = t }

// speedEnv is setup with a clock the test moves and U0MGR managing U0REP2.
func speedEnv(t *testing.T) (env, *movable) {
	t.Helper()
	e := setup(t, directory{})
	clk := &movable{t: now} // Tuesday 10 March 2026, 10:00 UTC; the workspace counts in UTC
	e.svc = salesdb.New(salesdb.Deps{Store: e.st, Outbox: salesdb.OutboxOf(e.ob, notices.Message), Directory: directory{},
		Now: clk.Now, Defaults: pipeline.Settings{Currency: "USD"}})
	if _, err := e.st.EnsureUser(t.Context(), e.st.DB(), pipeline.User{WorkspaceID: e.team, ID: "U0MGR", Role: pipeline.RoleManager}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.ExecContext(t.Context(), `UPDATE users SET manager_id = 'U0MGR' WHERE workspace_id = $1 AND id = 'U0REP2'`, e.team); err != nil {
		t.Fatal(err)
	}
	return e, clk
}

func inboundLead(team, key, email string, msg string) pipeline.NewLead {
	l := lead(team, "U0ADMIN", key)
	l.ContactEmail = email
	l.Source = "inbound"
	l.Inbound = &pipeline.Inbound{Message: msg, UTMSource: "google", UTMMedium: "cpc", UTMCampaign: "spring", PageURL: "https://acme.example/pricing"}
	return l
}

// texts are the texts and blocks of the DMs queued for user of kind, oldest first.
func (e env) texts(t *testing.T, user, kind string) []string {
	t.Helper()
	var out []string
	if err := e.db.SelectContext(t.Context(), &out, `SELECT COALESCE(args->>'text', '') || COALESCE(args->>'blocks', '') FROM river_job
		WHERE kind = 'outbox_message' AND args->>'team_id' = $1 AND args->>'channel' = $2 AND args->>'kind' = $3 ORDER BY id`,
		e.team, user, kind); err != nil {
		t.Fatal(err)
	}
	return out
}

// An inbound lead keeps the form's data on the deal, is routed at once, and
// its offer shows the message, the UTM source and the deadline: 5 working
// minutes by default.
func TestInboundLeadIsOfferedWithADeadline(t *testing.T) {
	t.Parallel()
	e, _ := speedEnv(t)
	res, err := e.svc.CreateLead(t.Context(), inboundLead(e.team, "api:k1", "jane@acme.example", "Need <50> seats & a demo"))
	if err != nil {
		t.Fatal(err)
	}
	if !res.Created || res.Deal.OwnerID != "U0REP2" {
		t.Fatalf("created %v owner %q; want a new lead routed to U0REP2 (not the admin who sent it)", res.Created, res.Deal.OwnerID)
	}
	d, err := e.st.DealByNumber(t.Context(), e.st.DB(), e.team, res.Deal.Number)
	if err != nil {
		t.Fatal(err)
	}
	if d.Inbound == nil || d.Inbound.Message != "Need <50> seats & a demo" || d.Inbound.UTMSource != "google" || d.Inbound.PageURL != "https://acme.example/pricing" {
		t.Errorf("stored inbound = %+v", d.Inbound)
	}
	var by time.Time
	if err := e.db.GetContext(t.Context(), &by, `SELECT respond_by FROM lead_offers WHERE workspace_id = $1 AND rep_id = 'U0REP2'`, e.team); err != nil {
		t.Fatal(err)
	}
	if want := now.Add(5 * time.Minute); !by.Equal(want) {
		t.Errorf("respond by %s, want %s", by, want)
	}
	offers := e.texts(t, "U0REP2", "lead_routed")
	if len(offers) != 1 {
		t.Fatalf("offers to U0REP2 = %d, want 1", len(offers))
	}
	for _, want := range []string{"Inbound", "Need &lt;50&gt; seats &amp; a demo", "google", "Answer by", "Tue Mar 10, 2026 at 10:05 AM UTC"} {
		if !strings.Contains(offers[0], want) {
			t.Errorf("the offer lacks %q: %s", want, offers[0])
		}
	}
	// A lead made in Slack has no inbound data and no deadline.
	slackLead, err := e.svc.CreateLead(t.Context(), lead(e.team, "U0ADMIN", "view:V9"))
	if err != nil {
		t.Fatal(err)
	}
	if slackLead.Deal.Inbound != nil || e.count(t, `SELECT count(*) FROM lead_offers WHERE workspace_id = $1`, e.team) != 1 {
		t.Error("a lead made in Slack got inbound data or a deadline")
	}
}

// A rep who lets the deadline pass: their manager is told, the lead goes to
// the next rep with a fresh deadline; a second run changes nothing. The next
// rep accepts in time: nothing more happens, and speed to lead counts both.
func TestResponseSLAMissEscalatesAndReroutes(t *testing.T) {
	t.Parallel()
	e, clk := speedEnv(t)
	res, err := e.svc.CreateLead(t.Context(), inboundLead(e.team, "api:k1", "jane@acme.example", "Call me"))
	if err != nil {
		t.Fatal(err)
	}
	n := res.Deal.Number
	enforce := func(at time.Time) {
		t.Helper()
		clk.Set(at)
		if err := e.svc.EnforceResponseSLA(t.Context(), e.team, at); err != nil {
			t.Fatal(err)
		}
	}
	enforce(now.Add(4 * time.Minute))
	if owner := e.ownerOf(t, n); owner != "U0REP2" || e.offers(t, "U0MGR", "handoff_rerouted") != 0 {
		t.Fatalf("before the deadline the lead is with %s and the manager was told %d times", owner, e.offers(t, "U0MGR", "handoff_rerouted"))
	}
	enforce(now.Add(5*time.Minute + 30*time.Second))
	enforce(now.Add(5*time.Minute + 30*time.Second)) // redelivered
	if owner := e.ownerOf(t, n); owner != "U0REP1" {
		t.Fatalf("after the deadline the lead is with %s, want U0REP1", owner)
	}
	told := e.texts(t, "U0MGR", "handoff_rerouted")
	if len(told) != 1 || !strings.Contains(told[0], "did not answer inbound lead") || !strings.Contains(told[0], "<@U0REP1>") {
		t.Fatalf("the manager was told %q; want once, that U0REP2 missed it and it went to U0REP1", told)
	}
	if got := e.offers(t, "U0REP1", "lead_routed"); got != 1 {
		t.Errorf("offers to U0REP1 = %d, want 1", got)
	}
	// The rep who let it lapse is told, once, that their offer moved on.
	if gone := e.texts(t, "U0REP2", "offer_lapsed"); len(gone) != 1 || !strings.Contains(gone[0], "went to <@U0REP1>") {
		t.Errorf("U0REP2 was told %q; want once that the lead went to U0REP1", gone)
	}
	var by time.Time
	if err := e.db.GetContext(t.Context(), &by, `SELECT respond_by FROM lead_offers WHERE workspace_id = $1 AND rep_id = 'U0REP1'`, e.team); err != nil {
		t.Fatal(err)
	}
	if want := now.Add(10*time.Minute + 30*time.Second); !by.Equal(want) {
		t.Errorf("U0REP1 must answer by %s, want %s (5 working minutes from their offer)", by, want)
	}

	clk.Set(now.Add(7 * time.Minute))
	rep1 := pipeline.User{WorkspaceID: e.team, ID: "U0REP1", Role: pipeline.RoleRep}
	if _, err := e.svc.AnswerHandoff(t.Context(), sales.AnswerHandoff{Team: e.team, Actor: rep1, Number: n, Accept: true, IdempotencyKey: "accept:1"}); err != nil {
		t.Fatal(err)
	}
	enforce(now.Add(20 * time.Minute))
	if owner := e.ownerOf(t, n); owner != "U0REP1" || len(e.texts(t, "U0MGR", "handoff_rerouted")) != 1 {
		t.Errorf("after an answer in time the lead moved to %s or the manager was told again", owner)
	}

	admin := pipeline.User{WorkspaceID: e.team, ID: "U0ADMIN", Role: pipeline.RoleAdmin}
	v, err := e.svc.Metrics(t.Context(), sales.MetricsRequest{Team: e.team, Actor: admin, Period: pipeline.DayOf(now)})
	if err != nil {
		t.Fatal(err)
	}
	want := []pipeline.RepSpeed{
		{RepID: "U0REP1", Answered: 1, Median: 90 * time.Second, P90: 90 * time.Second},
		{RepID: "U0REP2", Missed: 1},
	}
	if len(v.Speed) != 2 || v.Speed[0] != want[0] || v.Speed[1] != want[1] {
		t.Errorf("speed to lead = %+v, want %+v", v.Speed, want)
	}
}

// Speed to lead per rep: the median and 90th percentile of the time from the
// offer to the first activity, and an answer after the deadline counts as
// an SLA miss.
func TestSpeedToLeadMedianAndP90(t *testing.T) {
	t.Parallel()
	e, clk := speedEnv(t)
	rep2 := pipeline.User{WorkspaceID: e.team, ID: "U0REP2", Role: pipeline.RoleRep}
	// Five leads an hour apart, answered by a note after 1, 2, 3, 4 and 10 minutes.
	for i, after := range []time.Duration{1, 2, 3, 4, 10} {
		at := now.Add(time.Duration(i) * time.Hour)
		clk.Set(at)
		res, err := e.svc.CreateLead(t.Context(), inboundLead(e.team, "api:m"+string(rune('a'+i)), string(rune('a'+i))+"@x.example", ""))
		if err != nil || res.Deal.OwnerID != "U0REP2" {
			t.Fatalf("lead %d: %v, owner %q", i, err, res.Deal.OwnerID)
		}
		clk.Set(at.Add(after * time.Minute))
		if _, err := e.svc.AddNote(t.Context(), sales.AddNote{Team: e.team, Actor: rep2, Number: res.Deal.Number, Kind: "call",
			Body: "called back", IdempotencyKey: "note:" + res.Deal.Ref()}); err != nil {
			t.Fatal(err)
		}
	}
	clk.Set(now.Add(6 * time.Hour))
	if err := e.svc.EnforceResponseSLA(t.Context(), e.team, now.Add(6*time.Hour)); err != nil {
		t.Fatal(err)
	}
	admin := pipeline.User{WorkspaceID: e.team, ID: "U0ADMIN", Role: pipeline.RoleAdmin}
	v, err := e.svc.Metrics(t.Context(), sales.MetricsRequest{Team: e.team, Actor: admin, Period: pipeline.DayOf(now)})
	if err != nil {
		t.Fatal(err)
	}
	// Median of 1..4, 10 minutes is 3 minutes; the 90th percentile lies
	// 60% of the way from 4 to 10 minutes: 7m36s.
	want := pipeline.RepSpeed{RepID: "U0REP2", Answered: 5, Median: 3 * time.Minute, P90: 7*time.Minute + 36*time.Second, Missed: 1}
	if len(v.Speed) != 1 || v.Speed[0] != want {
		t.Errorf("speed to lead = %+v, want %+v", v.Speed, want)
	}
	if owner := e.count(t, `SELECT count(*) FROM deals WHERE workspace_id = $1 AND owner_id <> 'U0REP2'`, e.team); owner != 0 {
		t.Errorf("%d leads were re-routed though their rep had answered", owner)
	}
}

// An inbound lead repeating an open deal (email in any case, or company
// when it has no email) is logged on it, and its owner told; the same
// Idempotency-Key answers the same and logs nothing more.
func TestDuplicateInboundLeadBecomesActivity(t *testing.T) {
	t.Parallel()
	e, clk := speedEnv(t)
	first, err := e.svc.CreateLead(t.Context(), inboundLead(e.team, "api:k1", "jane@acme.example", "first"))
	if err != nil {
		t.Fatal(err)
	}
	activities := func() int {
		return e.count(t, `SELECT count(*) FROM activities WHERE workspace_id = $1 AND deal_id = $2`, e.team, first.Deal.ID)
	}
	clk.Set(now.Add(time.Hour))
	again := inboundLead(e.team, "api:k2", "JANE@Acme.example", "Still <interested>")
	again.Company = "Other name"
	for range 2 { // the second is a replay of the same key
		res, err := e.svc.CreateLead(t.Context(), again)
		if err != nil {
			t.Fatal(err)
		}
		if !res.Duplicate || res.Created || res.KeyReused || res.Deal.Number != first.Deal.Number {
			t.Fatalf("duplicate %v created %v reused %v deal %s; want a duplicate of %s", res.Duplicate, res.Created, res.KeyReused, res.Deal.Ref(), first.Deal.Ref())
		}
	}
	if n := e.deals(t); n != 1 {
		t.Errorf("deals = %d, want 1", n)
	}
	if n := activities(); n != 1 {
		t.Errorf("activities on the deal = %d, want 1", n)
	}
	var body string
	if err := e.db.GetContext(t.Context(), &body, `SELECT body FROM activities WHERE deal_id = $1`, first.Deal.ID); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(body, "Still <interested>") || !strings.Contains(body, "utm_source: google") {
		t.Errorf("activity %q lacks the message or the UTM source", body)
	}
	told := e.texts(t, "U0REP2", "lead_duplicate")
	if len(told) != 1 || !strings.Contains(told[0], "Still &lt;interested&gt;") {
		t.Errorf("the owner was told %q; want once, with the message escaped", told)
	}
	// The same key with another lead changes nothing and says so.
	other := again
	other.Inbound = &pipeline.Inbound{Message: "something else"}
	if res, err := e.svc.CreateLead(t.Context(), other); err != nil || !res.KeyReused || activities() != 1 {
		t.Errorf("key reused with another lead: %+v, %v, %d activities", res, err, activities())
	}
	// No email: the company, whatever its case and spacing.
	byName := inboundLead(e.team, "api:k3", "", "hello")
	byName.Company = "  acme   CORP "
	if res, err := e.svc.CreateLead(t.Context(), byName); err != nil || !res.Duplicate || res.Deal.Number != first.Deal.Number {
		t.Errorf("by company: %+v, %v; want a duplicate of %s", res, err, first.Deal.Ref())
	}
	// Another email is a new lead, and so is a lead made in Slack.
	if res, err := e.svc.CreateLead(t.Context(), inboundLead(e.team, "api:k4", "bob@acme.example", "")); err != nil || !res.Created {
		t.Errorf("another email: %+v, %v; want created", res, err)
	}
	if res, err := e.svc.CreateLead(t.Context(), lead(e.team, "U0ADMIN", "view:V1")); err != nil || !res.Created {
		t.Errorf("a lead made in Slack: %+v, %v; want created", res, err)
	}
}

// A response SLA or working hours out of range are refused with words that
// say so, and nothing is saved.
func TestSaveSettingsRefusesBadSpeedSettings(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	for i, bad := range []func(*pipeline.Settings){
		func(st *pipeline.Settings) { st.ResponseSLAMins = 5000 },
		func(st *pipeline.Settings) { st.WorkStartMin, st.WorkEndMin = 18*60, 9*60 },
	} {
		in, _ := e.settingsChange(t, e.user(t, "U0ADMIN"), "view:B"+string(rune('0'+i)))
		bad(&in.Settings)
		var v *sales.ValidationError
		if err := e.svc.SaveSettings(t.Context(), in); !errors.As(err, &v) || !strings.Contains(v.Msg, "must") {
			t.Errorf("case %d: err = %v, want a validation error", i, err)
		}
	}
	if n := e.count(t, `SELECT count(*) FROM workspace_settings WHERE workspace_id = $1 AND currency = 'USD'
		AND response_sla_mins = 5 AND work_start_min = 540 AND work_end_min = 1020`, e.team); n != 1 {
		t.Error("a refused change was saved")
	}
}

// A follow-up the rep sets answers the offer as an activity does; a decline
// does not, and the next rep's clock starts at their own offer.
func TestFollowUpAnswersTheOfferAndDeclineDoesNot(t *testing.T) {
	t.Parallel()
	e, clk := speedEnv(t)
	rep2 := pipeline.User{WorkspaceID: e.team, ID: "U0REP2", Role: pipeline.RoleRep}
	a, err := e.svc.CreateLead(t.Context(), inboundLead(e.team, "api:f1", "a@x.example", ""))
	if err != nil {
		t.Fatal(err)
	}
	clk.Set(now.Add(2 * time.Minute))
	if _, err := e.svc.ScheduleFollowUp(t.Context(), sales.ScheduleFollowUp{Team: e.team, Actor: rep2, Number: a.Deal.Number,
		Due: now.Add(24 * time.Hour), Note: "call back", IdempotencyKey: "fu:1"}); err != nil {
		t.Fatal(err)
	}
	clk.Set(now.Add(3 * time.Minute))
	if _, err := e.svc.AnswerHandoff(t.Context(), sales.AnswerHandoff{Team: e.team, Actor: rep2, Number: a.Deal.Number,
		Accept: false, IdempotencyKey: "no:1"}); err != nil {
		t.Fatal(err)
	}
	b, err := e.svc.CreateLead(t.Context(), inboundLead(e.team, "api:f2", "b@x.example", ""))
	if err != nil {
		t.Fatal(err)
	}
	clk.Set(now.Add(4 * time.Minute))
	if _, err := e.svc.AnswerHandoff(t.Context(), sales.AnswerHandoff{Team: e.team, Actor: rep2, Number: b.Deal.Number,
		Accept: false, IdempotencyKey: "no:2"}); err != nil {
		t.Fatal(err)
	}
	clk.Set(now.Add(time.Hour))
	if err := e.svc.EnforceResponseSLA(t.Context(), e.team, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	var got []struct {
		Rep       string     `db:"rep_id"`
		Offered   time.Time  `db:"offered_at"`
		Responded *time.Time `db:"responded_at"`
		Missed    *time.Time `db:"missed_at"`
		Closed    *time.Time `db:"closed_at"`
	}
	if err := e.db.SelectContext(t.Context(), &got, `SELECT rep_id, offered_at, responded_at, missed_at, closed_at
		FROM lead_offers WHERE workspace_id = $1 ORDER BY deal_id, id`, e.team); err != nil {
		t.Fatal(err)
	}
	// Lead a: U0REP2 answered with the follow-up at 2m, then declined; U0REP1
	// was offered it at 3m and let it pass. Lead b: U0REP2 declined
	// without an answer (closed); U0REP1 let it pass too.
	if len(got) != 4 {
		t.Fatalf("offers = %+v, want 4", got)
	}
	if r := got[0]; r.Rep != "U0REP2" || r.Responded == nil || !r.Responded.Equal(now.Add(2*time.Minute)) || r.Missed != nil {
		t.Errorf("first offer of a = %+v; want answered by the follow-up at +2m", r)
	}
	if r := got[1]; r.Rep != "U0REP1" || !r.Offered.Equal(now.Add(3*time.Minute)) || r.Missed == nil {
		t.Errorf("second offer of a = %+v; want U0REP1's, offered at +3m, missed", r)
	}
	if r := got[2]; r.Rep != "U0REP2" || r.Responded != nil || r.Missed != nil || r.Closed == nil {
		t.Errorf("first offer of b = %+v; want closed by the decline, neither answered nor missed", r)
	}
}

// An inbound lead never goes to the person who made the API key, even when
// they take leads as a rep and a rule names them: it goes to another rep,
// with an offer and a deadline.
func TestInboundLeadNotRoutedToTheKeysMaker(t *testing.T) {
	t.Parallel()
	e, _ := speedEnv(t)
	if _, err := e.db.ExecContext(t.Context(), `UPDATE users SET role = 'rep' WHERE workspace_id = $1 AND id = 'U0ADMIN'`, e.team); err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.ExecContext(t.Context(), `UPDATE workspace_settings SET routing_rules = '[{"industry":"Software","to":"U0ADMIN"}]' WHERE workspace_id = $1`, e.team); err != nil {
		t.Fatal(err)
	}
	res, err := e.svc.CreateLead(t.Context(), inboundLead(e.team, "api:r1", "r@x.example", ""))
	if err != nil {
		t.Fatal(err)
	}
	if o := res.Deal.OwnerID; o == "U0ADMIN" || (o != "U0REP1" && o != "U0REP2") {
		t.Fatalf("the lead went to %s; want a rep other than the key's maker", o)
	}
	if n := e.offers(t, res.Deal.OwnerID, "lead_routed"); n != 1 || e.count(t, `SELECT count(*) FROM lead_offers WHERE workspace_id = $1`, e.team) != 1 {
		t.Errorf("offers to %s = %d; want 1, with a deadline", res.Deal.OwnerID, n)
	}
}
