package outbox

import (
	"sync"
	"time"
)

// pacer spaces the posts to each channel at least interval apart, across
// this process's workers. It is in-process: replicas each pace on their own,
// so N replicas posting to one channel may reach N times the rate, and
// Slack's 429 (handled with Retry-After) is the backstop.
//
// A job whose turn is close waits for it in its worker; one whose turn is
// further away is snoozed (River re-runs it later without using an attempt)
// so that a backlog in one channel never holds workers that other channels
// could use. A snoozed job keeps the slot it was given, so it is snoozed
// once rather than every time a slot frees. River's scheduler makes snoozed
// jobs available up to 5 s ahead of their time, so a long snooze ends on
// time too (while the database has a River leader).
//
// A snoozed job is fetched at River's next poll after it is due, up to a
// poll interval late; coming back late, it would delay every later post to
// its channel. So it is snoozed until half a poll before its slot and waits
// out the rest in its worker, and any wait shorter than two polls is spent
// in the worker, since a snooze could not end much sooner.
type pacer struct {
	interval time.Duration
	maxWait  time.Duration // longest wait spent in the worker rather than snoozed
	early    time.Duration // how long before its slot a snoozed job is due back
	now      func() time.Time

	mu    sync.Mutex
	lanes map[string]*lane
	held  map[int64]time.Time // slot of each snoozed job, by job ID
	swept time.Time
}

// lane is one channel's schedule.
type lane struct {
	next time.Time // first slot not yet given to a job
	last time.Time // start of the latest post let through
}

// newPacer paces posts interval apart for workers fed by a River client
// that polls every poll.
func newPacer(interval, poll time.Duration, now func() time.Time) *pacer {
	return &pacer{interval: interval, maxWait: 2 * poll, early: poll / 2, now: now,
		lanes: map[string]*lane{}, held: map[int64]time.Time{}}
}

// turn tells job how long to wait before posting to channel key. With
// snooze false the post may start after wait and the slot is taken; with
// snooze true the job should snooze for wait and ask again, keeping its slot.
func (p *pacer) turn(key string, job int64) (wait time.Duration, snooze bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	p.sweepLocked(now)
	l := p.lanes[key]
	if l == nil {
		l = &lane{}
		p.lanes[key] = l
	}
	slot, held := p.held[job]
	if !held {
		slot = later(now, l.next)
		l.next = slot.Add(p.interval)
	}
	// A snoozed job can come back late and post late; measuring from the
	// last post too keeps the spacing when the next one comes back on time.
	start := later(slot, l.last.Add(p.interval))
	if wait := start.Sub(now); wait > p.maxWait {
		p.held[job] = slot
		return wait - p.early, true
	}
	delete(p.held, job)
	l.last = later(start, now)
	l.next = later(l.next, l.last.Add(p.interval))
	return max(start.Sub(now), 0), false
}

// backOff keeps channel key quiet for d, after Slack rate-limited it.
func (p *pacer) backOff(key string, d time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	l := p.lanes[key]
	if l == nil {
		l = &lane{}
		p.lanes[key] = l
	}
	// Held slots are earlier than next: moving last holds them back too.
	until := p.now().Add(d)
	l.next = later(l.next, until)
	l.last = later(l.last, until.Add(-p.interval))
}

// sweepLocked forgets, once a minute, idle channels and the slots of jobs
// that never came back (cancelled, or picked up by another replica).
func (p *pacer) sweepLocked(now time.Time) {
	if now.Sub(p.swept) < time.Minute {
		return
	}
	p.swept = now
	for key, l := range p.lanes {
		if now.Sub(l.next) > p.interval && now.Sub(l.last) > p.interval {
			delete(p.lanes, key)
		}
	}
	for job, slot := range p.held {
		if now.Sub(slot) > time.Minute {
			delete(p.held, job)
		}
	}
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
