package store_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"salesbot/pipeline"
	"salesbot/store"
)

// A message finds the deals whose account name or contact name it has as
// whole words, or whose contact email it has, in its own workspace only and
// of the owners asked for only: open deals first, then by last activity.
func TestCaptureMatchesWhatTheMessageNames(t *testing.T) {
	e := setup(t)
	other := setup(t)
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	mk := func(e env, company, contact, email, owner, key string, idle int) pipeline.Deal {
		t.Helper()
		d, _, err := e.s.CreateLead(t.Context(), e.db, newLead(e.team, func(l *pipeline.NewLead) {
			l.Company, l.Title, l.ContactName, l.ContactEmail = company, company+" deal "+key, contact, email
			l.OwnerID, l.CreatedBy, l.IdempotencyKey = owner, owner, key
		}), at)
		if err != nil {
			t.Fatal(err)
		}
		e.exec(t, `UPDATE deals SET last_activity_at = $3 WHERE workspace_id = $1 AND id = $2`,
			e.team, d.ID, at.Add(-time.Duration(idle)*time.Hour))
		return d
	}
	acme := mk(e, "Acme Corp", "Jane Doe", "jane@acme.example", "U0REP1", "a", 5)
	acmeWon := mk(e, "Acme Corp", "", "", "U0REP1", "a-won", 1)
	e.exec(t, `UPDATE deals SET stage = 'won', closed_at = $3 WHERE workspace_id = $1 AND id = $2`, e.team, acmeWon.ID, at)
	globex := mk(e, "Globex", "Hank Scorpio", "hank@globex.example", "U0REP2", "g", 2)
	att := mk(e, "AT&T Inc.", "", "", "U0REP2", "t", 9)
	peter := mk(e, "Initech", "Peter Gibbons", "", "U0REP1", "p", 3)
	mk(e, "AB", "", "", "U0REP1", "short", 1)                    // too short a name to match
	umbrella := mk(e, "Umbrella", "", "", "U0REP1", "u", 0)      // not named
	mk(other, "Acme Corp", "Jane Doe", "", "U0REP1", "other", 0) // another workspace

	numbers := func(ds []pipeline.Deal) []int64 {
		var out []int64
		for _, d := range ds {
			out = append(out, d.Number)
		}
		return out
	}
	cases := []struct {
		name   string
		text   string
		owners []string
		want   []pipeline.Deal
	}{
		{"names and email", "Hi, jane doe from ACME Corp here. Cc <mailto:hank@globex.example|hank@globex.example>, AB",
			nil, []pipeline.Deal{globex, acme, acmeWon}},
		{"owners only", "Hi, jane doe from ACME Corp here. Cc hank@globex.example", []string{"U0REP1"}, []pipeline.Deal{acme, acmeWon}},
		{"punctuation in a name", "Talked to AT&T Inc. and to Peter Gibbons.", nil, []pipeline.Deal{peter, att}},
		{"part of a word", "acme corporation, att inc, peter gibbonsson", nil, nil},
		{"nothing", "lunch?", nil, nil},
	}
	for _, c := range cases {
		got, err := e.s.CaptureMatches(t.Context(), e.db, e.team, c.text, c.owners, 10)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(numbers(got), numbers(c.want)) {
			t.Errorf("%s: matches = %v, want %v", c.name, numbers(got), numbers(c.want))
		}
	}
	if got, _ := e.s.CaptureMatches(t.Context(), e.db, e.team, "Acme Corp", nil, 1); len(got) != 1 || got[0].ID != acme.ID {
		t.Errorf("limit 1 = %v", numbers(got))
	}

	recent, err := e.s.RecentDeals(t.Context(), e.db, e.team, "U0REP2", []string{"U0REP1", "U0REP2"}, 3)
	if err != nil {
		t.Fatal(err)
	}
	// Their own first, then the others' open deals, most recently active first.
	if want := []int64{globex.Number, att.Number, umbrella.Number}; !slices.Equal(numbers(recent), want) {
		t.Errorf("recent = %v, want %v", numbers(recent), want)
	}
}

// A message is logged on a deal once: the activity keeps its writer, time,
// text and link, moves the deal's last activity and appends history; the
// same message again violates the unique index, and it is found again.
func TestMessageActivityIsKeptOncePerDeal(t *testing.T) {
	e, other := setup(t), setup(t)
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	d, _, err := e.s.CreateLead(t.Context(), e.db, newLead(e.team), at)
	if err != nil {
		t.Fatal(err)
	}
	m := pipeline.CapturedMessage{Channel: "C0CUST", TS: "1772445600.000100", Author: "U0CUSTOMER",
		At: time.Date(2026, 3, 2, 10, 0, 0, 100000, time.UTC), Text: "We <3 the demo", Permalink: "https://x.example/p1"}
	now := at.Add(48 * time.Hour)
	a, err := e.s.AddMessageActivity(t.Context(), e.db, d, "U0REP1", m, now)
	if err != nil {
		t.Fatal(err)
	}
	if a.Kind != pipeline.KindMessage || a.AuthorID != "U0REP1" || a.Body != m.Text || !a.CreatedAt.Equal(now) ||
		a.Source == nil || a.Source.Author != m.Author || !a.Source.At.Equal(m.At) || a.Source.Permalink != m.Permalink {
		t.Errorf("activity = %+v %+v", a, a.Source)
	}
	got, err := e.s.DealByNumber(t.Context(), e.db, e.team, d.Number)
	if err != nil || !got.LastActivityAt.Equal(now) {
		t.Errorf("last activity = %v, %v; want %v", got.LastActivityAt, err, now)
	}
	if n := count(t, e.db, `SELECT count(*) FROM deal_history WHERE deal_id = $1 AND action = 'message'
		AND field = 'U0CUSTOMER' AND old_value = 'https://x.example/p1' AND new_value = 'We <3 the demo'`, d.ID); n != 1 {
		t.Errorf("history rows = %d", n)
	}
	if _, err := e.s.AddMessageActivity(t.Context(), e.db, d, "U0REP2", m, now); err == nil || !strings.Contains(err.Error(), "activities_source_idx") {
		t.Errorf("second add: %v", err)
	}
	if again, ok, err := e.s.MessageActivity(t.Context(), e.db, d, m.Channel, m.TS); err != nil || !ok || again.ID != a.ID {
		t.Errorf("found again = %+v %v %v", again, ok, err)
	}
	if _, ok, err := e.s.MessageActivity(t.Context(), e.db, d, m.Channel, "1.2"); err != nil || ok {
		t.Errorf("another message found: %v %v", ok, err)
	}
	d.WorkspaceID = other.team
	if _, err := e.s.AddMessageActivity(t.Context(), e.db, d, "U0REP1", m, now); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("another workspace's deal: %v", err)
	}
}
