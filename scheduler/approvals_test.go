package scheduler_test

import (
	"strings"
	"testing"

	"salesbot/pipeline"
)

// A discount request pending for a working day reminds its approver once:
// not before, and not again at the next occurrence.
func TestApprovalRemindedOnceAfterAWorkingDay(t *testing.T) {
	t.Parallel()
	e := setup(t, 1, pipeline.Settings{Timezone: "UTC"})
	d := e.deal("U0REP", "Acme")
	asked := utc("2027-01-11T10:00:00Z") // a Monday, in working hours
	if _, err := e.st.InsertApproval(t.Context(), e.st.DB(), pipeline.Approval{WorkspaceID: e.team, DealID: d.ID, RequestedBy: "U0REP",
		Approvers: []string{"U0MGR"}, DiscountBps: 2000, Amount: d.Value, Reason: "multi-year"}, asked); err != nil {
		t.Fatal(err)
	}
	s := e.insts[0].s
	for _, at := range []string{"2027-01-12T09:45:00Z", "2027-01-12T10:00:00Z", "2027-01-12T10:15:00Z"} {
		e.clock.Set(utc(at))
		if err := s.Run(t.Context(), pipeline.JobApprovalReminders, e.team, utc(at)); err != nil {
			t.Fatal(err)
		}
		want := 1
		if at == "2027-01-12T09:45:00Z" {
			want = 0
		}
		if got := e.sent("approval_reminder", "U0MGR"); len(got) != want {
			t.Fatalf("at %s: reminders %q, want %d", at, got, want)
		}
	}
	if got := e.sent("approval_reminder", "U0MGR")[0]; !strings.Contains(got, "Still waiting for your decision: <@U0REP> asked you to approve 20% off $1,000") {
		t.Errorf("reminder: %s", got)
	}
}
