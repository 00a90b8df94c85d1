package scheduler_test

import (
	"strings"
	"testing"
	"time"

	"salesbot/pipeline"
)

// A tick at Wednesday 08:29 in New York, Tuesday's 08:30 never ticked,
// inserts nothing: Tuesday's digest is a day gone, not one to send late.
// Wednesday's goes out at 08:30, once. Thursday's, missed at 08:30, still
// goes out when a tick comes back at 23:59 the same day.
func TestTickInsertsNoDigestOfADayGone(t *testing.T) {
	t.Parallel()
	e := setup(t, 1, pipeline.Settings{Timezone: "America/New_York", DigestTime: "08:30", DigestChannel: "C0DIGEST",
		Jobs: map[string]bool{"followups": false, "stale": false, "close_passed": false, "leaderboard": false, "handoff": false}})
	ny, _ := time.LoadLocation("America/New_York")
	at := func(d, h, m int) time.Time { return time.Date(2026, 12, d, h, m, 0, 0, ny) }
	e.tick(at(1, 7, 0)) // Tuesday, before the digest; then no tick until Wednesday
	e.tick(at(2, 8, 29))
	var inserted []time.Time
	if err := e.db.SelectContext(t.Context(), &inserted, `SELECT (args->>'at')::timestamptz FROM river_job
		WHERE kind = 'scheduler_occurrence' AND args->>'team_id' = $1 AND args->>'job' = 'digest' ORDER BY 1`, e.team); err != nil {
		t.Fatal(err)
	}
	if len(inserted) != 0 {
		t.Fatalf("a tick at Wednesday 08:29 inserted digests for %v, want none", inserted)
	}
	e.tick(at(2, 8, 30))
	e.tick(at(2, 8, 31))
	if got := e.sent("digest", ""); len(got) != 1 || !strings.Contains(got[0], "Daily digest — Wed Dec 2, 2026") {
		t.Fatalf("digests = %q, want Wednesday's only", got)
	}
	e.tick(at(3, 23, 59))
	got := e.sent("digest", "")
	if len(got) != 2 || !strings.Contains(got[1], "Daily digest — Thu Dec 3, 2026") {
		t.Errorf("digests = %q, want Wednesday's and, late on Thursday, Thursday's", got)
	}
	var runs int
	e.db.GetContext(t.Context(), &runs, `SELECT count(*) FROM scheduler_runs WHERE workspace_id = $1 AND job = 'digest'`, e.team)
	if runs != 2 {
		t.Errorf("digest runs recorded = %d, want 2 (none for Tuesday)", runs)
	}
}
