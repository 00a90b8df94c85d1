package store

import (
	"math/rand/v2"
	"slices"
	"time"

	"salesbot/pipeline"
)

// demoGen invents demo deals from a seeded random source, relative to now.
type demoGen struct {
	rng    *rand.Rand
	now    time.Time
	people []DemoPerson
}

type demoDeal struct {
	title, currency, source, owner, lostReason string
	accountID, contactID                       int64
	stage                                      pipeline.Stage
	amount                                     int64
	wonAmount                                  *int64
	recurring                                  bool
	score                                      int
	created, lastActivity                      time.Time
	closedAt                                   *time.Time
	expectedClose                              *string // YYYY-MM-DD
	history                                    []demoHistory
	activities                                 []demoActivity
	followUps                                  []demoFollowUp
}

type demoHistory struct {
	action, field, old, new string
	at                      time.Time
}

type demoActivity struct {
	kind, body string
	at         time.Time
}

type demoFollowUp struct {
	note           string
	due, created   time.Time
	done, reminded *time.Time
}

var openStages = []pipeline.Stage{pipeline.StageLead, pipeline.StageQualified, pipeline.StageNeedsAssessment,
	pipeline.StageProposal, pipeline.StageNegotiation}

// owner picks a rep most of the time, else anyone (managers sell too).
func (g *demoGen) owner() string {
	var reps []string
	for _, p := range g.people {
		if p.Role == pipeline.RoleRep {
			reps = append(reps, p.ID)
		}
	}
	if len(reps) == 0 || g.rng.IntN(5) == 0 {
		return g.people[g.rng.IntN(len(g.people))].ID
	}
	return reps[g.rng.IntN(len(reps))]
}

// at returns a working-hours time between from and to.
func (g *demoGen) at(from, to time.Time) time.Time {
	span := to.Sub(from)
	if span <= 0 {
		return from
	}
	t := from.Add(time.Duration(g.rng.Int64N(int64(span))))
	if t.Hour() < 8 || t.Hour() > 18 {
		t = time.Date(t.Year(), t.Month(), t.Day(), 9+g.rng.IntN(8), g.rng.IntN(60), 0, 0, time.UTC)
	}
	if t.After(to) {
		return to
	}
	return t
}

func day(t time.Time) *string {
	s := t.Format(time.DateOnly)
	return &s
}

// deal invents one deal on the account: its age decides how far it got.
func (g *demoGen) deal(c demoCompany, accountID, contactID int64, currency string) demoDeal {
	age := 2 + g.rng.IntN(118)
	created := g.at(g.now.AddDate(0, 0, -age), g.now.AddDate(0, 0, -age+1))
	d := demoDeal{
		title: demoProducts[g.rng.IntN(len(demoProducts))], currency: currency,
		source: demoSources[g.rng.IntN(len(demoSources))], owner: g.owner(), accountID: accountID, contactID: contactID,
		amount: int64(10+g.rng.IntN(230)) * 500 * 100, recurring: g.rng.IntN(2) == 0, score: 20 + g.rng.IntN(75),
		created: created,
	}
	d.history = append(d.history, demoHistory{action: pipeline.ActionCreated, new: d.title, at: created})

	// Older deals are more often closed; young ones are mostly still open.
	outcome := g.rng.IntN(100)
	won, lost := outcome < 10, outcome >= 10 && outcome < 18
	if age > 30 {
		won, lost = outcome < 38, outcome >= 38 && outcome < 62
	}
	var path []pipeline.Stage
	end := g.now.Add(-time.Hour)
	switch {
	case won:
		path = append(slices.Clone(openStages[1:3+g.rng.IntN(3)]), pipeline.StageWon)
		end = created.AddDate(0, 0, min(age, 10+g.rng.IntN(60)))
	case lost:
		path = append(slices.Clone(openStages[1:1+g.rng.IntN(4)]), pipeline.StageLost)
		end = created.AddDate(0, 0, min(age, 5+g.rng.IntN(50)))
	default:
		path = slices.Clone(openStages[1 : 1+g.rng.IntN(min(4, age/9)+1)])
	}
	end = earliest(end, g.now.Add(-time.Hour))

	prev, t := pipeline.StageLead, created
	for i, st := range path {
		// Moves are spread over the deal's life, in order.
		t = g.at(t, created.Add(end.Sub(created)*time.Duration(i+1)/time.Duration(len(path))))
		d.history = append(d.history, demoHistory{action: "stage", field: "stage", old: string(prev), new: string(st), at: t})
		prev = st
	}
	d.stage, d.lastActivity = prev, t
	for range 1 + g.rng.IntN(3) {
		n := demoNotes[g.rng.IntN(len(demoNotes))]
		at := g.at(created, end)
		d.activities = append(d.activities, demoActivity{kind: n.kind, body: n.body, at: at})
		d.history = append(d.history, demoHistory{action: "note", field: n.kind, new: n.body, at: at})
		if at.After(d.lastActivity) {
			d.lastActivity = at
		}
	}
	switch d.stage {
	case pipeline.StageWon:
		closed := t
		won := d.amount / 100 * int64(90+g.rng.IntN(21)) // the final price moves a little
		d.closedAt, d.wonAmount, d.expectedClose = &closed, &won, day(closed)
	case pipeline.StageLost:
		closed := t
		d.closedAt, d.lostReason, d.expectedClose = &closed, demoLostReasons[g.rng.IntN(len(demoLostReasons))], day(closed)
		d.history = append(d.history, demoHistory{action: "stage", field: "lost_reason", new: d.lostReason, at: closed})
	default:
		// A few open deals are past their expected close date.
		d.expectedClose = day(g.now.AddDate(0, 0, -5+g.rng.IntN(70)))
		g.followUp(&d)
	}
	return d
}

// followUp gives most open deals a follow-up: some done, some overdue
// (already reminded, so starting the bot does not flood anyone), and some
// due in the next days.
func (g *demoGen) followUp(d *demoDeal) {
	if g.rng.IntN(10) < 3 {
		return
	}
	note := demoFollowUps[g.rng.IntN(len(demoFollowUps))]
	due := g.at(g.now.AddDate(0, 0, -4), g.now.AddDate(0, 0, 14))
	f := demoFollowUp{note: note, due: due, created: g.at(d.created, earliest(due, g.now))}
	if due.Before(g.now) {
		reminded := due
		f.reminded = &reminded
		if g.rng.IntN(2) == 0 {
			done := g.at(due, g.now)
			f.done = &done
		}
	}
	d.followUps = append(d.followUps, f)
	d.history = append(d.history, demoHistory{action: "followup", field: "followup",
		new: due.UTC().Format("2006-01-02T15:04:05Z") + " " + note, at: f.created})
}

func earliest(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
