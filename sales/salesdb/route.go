package salesdb

import (
	"context"
	"errors"
	"slices"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"

	"salesbot/pipeline"
	"salesbot/store"
)

// directoryTimeout bounds the look-ups that check a routing's candidates are
// still active; routing goes ahead when the directory does not answer in time.
const directoryTimeout = 1500 * time.Millisecond

// directoryBatch is how many candidates routing asks about at once.
const directoryBatch = 4

// RouteLead chooses the owner of a lead that has none, inside tx: the
// workspace's routing rules first, then round-robin among eligible reps
// (skipping away, deactivated and at-capacity reps). The choice is recorded
// for round-robin in tx, so commit promptly: the workspace's routing lock is
// held until then. ErrNoRep when no one can take it.
func (s *Service) RouteLead(ctx context.Context, tx *sqlx.Tx, lead pipeline.NewLead) (ownerID string, err error) {
	c, err := s.Route(ctx, tx, lead.WorkspaceID, pipeline.RouteInput{
		Industry: lead.Industry, Size: lead.CompanySize, Territory: lead.Territory})
	return c.RepID, err
}

// Route picks and records the first usable choice of pipeline.Route. The
// directory is asked which candidates are deactivated before the
// workspace's routing lock is taken, never while it is held: every deal
// creation in the workspace waits on that lock. Under the lock one
// statement picks the rep from the people as they are then (so concurrent
// routings see each other's round-robin choices) and records the choice:
// the lock is held for as little as the choice needs. A candidate the
// directory was not asked about then is taken as active.
func (s *Service) Route(ctx context.Context, tx *sqlx.Tx, teamID string, in pipeline.RouteInput) (pipeline.Choice, error) {
	rules, err := s.store.RoutingRules(ctx, tx, teamID)
	if err != nil {
		return pipeline.Choice{}, err
	}
	var gone []string
	if s.dir != nil { // without a directory there is nothing to ask before the lock
		reps, err := s.store.RoutingReps(ctx, tx, teamID) // a first look, without the lock
		if err != nil {
			return pipeline.Choice{}, err
		}
		for id := range s.deactivated(ctx, teamID, pipeline.Route(in, rules, reps)) {
			gone = append(gone, id)
		}
		slices.Sort(gone) // the same order of row locks in every transaction
	}
	if err := s.store.LockRouting(ctx, tx, teamID); err != nil {
		return pipeline.Choice{}, err
	}
	for _, id := range gone {
		if err := s.store.MarkDeactivated(ctx, tx, teamID, id); err != nil {
			return pipeline.Choice{}, err
		}
	}
	rep, rule, err := s.store.RouteNext(ctx, tx, teamID, in, rules)
	if errors.Is(err, store.ErrNotFound) {
		return pipeline.Choice{}, ErrNoRep
	}
	if err != nil {
		return pipeline.Choice{}, err
	}
	return pipeline.Choice{RepID: rep, Reason: pipeline.ChoiceReason(rules, rule)}, nil
}

// activeFor is how long an answer that someone is active is trusted: most
// routings then ask the directory nothing at all.
const activeFor = 10 * time.Minute

// activeUsers remembers when the directory last said a person was active.
type activeUsers struct {
	mu   sync.Mutex
	seen map[string]time.Time // team/user → when
}

func (u *activeUsers) knows(key string, now time.Time) bool {
	u.mu.Lock()
	defer u.mu.Unlock()
	at, ok := u.seen[key]
	return ok && now.Sub(at) < activeFor
}

func (u *activeUsers) note(key string, now time.Time) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.seen == nil || len(u.seen) > 10000 {
		u.seen = map[string]time.Time{} // bounded: start over
	}
	u.seen[key] = now
}

// deactivated returns which of cands, in routing order, the directory says
// are deactivated. It stops at the first candidate known to be active: a
// batch at a time (directoryBatch look-ups at once), all within
// directoryTimeout. Whoever the directory cannot answer for is taken as
// active: a lead offered to a gone rep times out and moves on.
func (s *Service) deactivated(ctx context.Context, teamID string, cands []pipeline.Choice) map[string]bool {
	gone := map[string]bool{}
	if s.dir == nil {
		return gone
	}
	ctx, cancel := context.WithTimeout(ctx, directoryTimeout)
	defer cancel()
	// The service's one clock: a cached answer ages as the rest of the
	// service's time does (and a test can move it past activeFor).
	now := s.now()
	for i := 0; i < len(cands) && ctx.Err() == nil; {
		var batch []string
		known := false // a candidate after the batch is known active
		for ; i < len(cands) && len(batch) < directoryBatch; i++ {
			if known = s.active.knows(teamID+"/"+cands[i].RepID, now); known {
				break
			}
			batch = append(batch, cands[i].RepID)
		}
		dead := make([]bool, len(batch))
		var wg sync.WaitGroup
		for j, id := range batch {
			wg.Go(func() { dead[j] = s.isDeactivated(ctx, teamID, id, now) })
		}
		wg.Wait()
		for j, id := range batch {
			if dead[j] {
				gone[id] = true
			}
		}
		if known || slices.Contains(dead, false) {
			break
		}
	}
	return gone
}

// isDeactivated asks the directory about one person, remembering an active
// answer.
func (s *Service) isDeactivated(ctx context.Context, teamID, userID string, now time.Time) bool {
	active, err := s.dir.Active(ctx, userID)
	if err != nil {
		s.log.Warn("directory look-up failed while routing; taking the rep as active", "team", teamID, "user", userID, "error", err)
		return false
	}
	if active {
		s.active.note(teamID+"/"+userID, now)
	}
	return !active
}
