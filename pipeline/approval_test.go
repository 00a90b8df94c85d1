package pipeline

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParseAndFormatDiscount(t *testing.T) {
	for _, c := range []struct {
		in   string
		bps  int
		back string
	}{
		{"15", 1500, "15%"}, {"15%", 1500, "15%"}, {" 12.5 % ", 1250, "12.5%"}, {"0.25", 25, "0.25%"},
		{".5", 50, "0.5%"}, {"100", 10_000, "100%"}, {"0", 0, "0%"}, {"7.05", 705, "7.05%"},
	} {
		got, err := ParseDiscount(c.in)
		if err != nil || got != c.bps {
			t.Errorf("ParseDiscount(%q) = %d, %v; want %d", c.in, got, err, c.bps)
			continue
		}
		if f := FormatDiscount(got); f != c.back {
			t.Errorf("FormatDiscount(%d) = %q, want %q", got, f, c.back)
		}
	}
	for _, bad := range []string{"", "%", "-5", "100.01", "101", "12.345", "ten", "1e2", "12.", "1000"} {
		if got, err := ParseDiscount(bad); !errors.Is(err, ErrDiscountSyntax) {
			t.Errorf("ParseDiscount(%q) = %d, %v; want ErrDiscountSyntax", bad, got, err)
		}
	}
}

func TestPriceAfterDiscount(t *testing.T) {
	for _, c := range []struct {
		amount Money
		bps    int
		want   int64
	}{
		{usd(1_000_000), 1500, 850_000},
		{usd(999), 1250, 874},    // 124.875 off rounds half up to 125
		{usd(1), 5000, 0},        // half a cent off rounds up
		{usd(12_345), 0, 12_345}, // no discount
		{usd(12_345), 10_000, 0},
		{Money{Minor: 1_000_000_000_000_000, Currency: "KWD"}, 3333, 666_700_000_000_000}, // the largest amounts do not overflow
	} {
		if got := PriceAfter(c.amount, c.bps); got.Minor != c.want || got.Currency != c.amount.Currency {
			t.Errorf("PriceAfter(%v, %d) = %v, want %d", c.amount, c.bps, got, c.want)
		}
	}
	d := Deal{Value: usd(1_000_000), DiscountBps: 2000}
	if p := d.Price(); p != usd(800_000) {
		t.Errorf("deal price = %v, want $8,000", p)
	}
}

func TestValidateApprovalRules(t *testing.T) {
	stages := DefaultStages()
	for _, c := range []struct {
		name  string
		rules ApprovalRules
		want  string // "" = valid; else a word the message must hold
	}{
		{"off", ApprovalRules{}, ""},
		{"threshold", ApprovalRules{On: true, DiscountOverBps: 1000}, ""},
		{"zero threshold: every discount", ApprovalRules{On: true}, ""},
		{"proposal fields", ApprovalRules{Required: map[Stage][]DealField{StageProposal: {FieldCloseDate, FieldAmount}}}, ""},
		{"threshold 100%", ApprovalRules{On: true, DiscountOverBps: 10_000}, "99.99%"},
		{"negative threshold", ApprovalRules{On: true, DiscountOverBps: -1}, "0%"},
		{"unknown stage", ApprovalRules{Required: map[Stage][]DealField{"demo": {FieldAmount}}}, "unknown stage"},
		{"lost", ApprovalRules{Required: map[Stage][]DealField{StageLost: {FieldAmount}}}, "lost"},
		{"unknown field", ApprovalRules{Required: map[Stage][]DealField{StageProposal: {"budget"}}}, "budget cannot be required"},
		{"twice", ApprovalRules{Required: map[Stage][]DealField{StageProposal: {FieldAmount, FieldAmount}}}, "amount twice"},
	} {
		err := ValidateApprovalRules(c.rules, stages)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: %v, want valid", c.name, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: %v, want an error with %q", c.name, err, c.want)
		}
	}
}

func TestNeedsApproval(t *testing.T) {
	r := ApprovalRules{On: true, DiscountOverBps: 1000}
	for bps, want := range map[int]bool{0: false, 999: false, 1000: false, 1001: true, 10_000: true} {
		if got := r.NeedsApproval(bps); got != want {
			t.Errorf("over 10%%, %d bps: %v, want %v", bps, got, want)
		}
	}
	if (ApprovalRules{}).NeedsApproval(5000) {
		t.Error("rules off: a 50% discount needs approval, want not")
	}
}

func TestCheckRequired(t *testing.T) {
	stages := DefaultStages()
	close := time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)
	r := ApprovalRules{Required: map[Stage][]DealField{
		StageProposal: {FieldCloseDate, FieldAmount},
		StageWon:      {FieldAmount, FieldContact},
	}}
	bare := Deal{Number: 42, Stage: StageQualified, Value: usd(0)}
	full := Deal{Number: 42, Stage: StageQualified, Value: usd(500_000), ExpectedClose: &close, ContactName: "Jane"}
	final := usd(100)
	for _, c := range []struct {
		name string
		d    Deal
		c    StageChange
		want []DealField
	}{
		{"proposal, nothing filled", bare, StageChange{From: StageQualified, To: StageProposal}, []DealField{FieldCloseDate, FieldAmount}},
		{"proposal, all filled", full, StageChange{From: StageQualified, To: StageProposal}, nil},
		{"stage without rules", bare, StageChange{From: StageQualified, To: StageNeedsAssessment}, nil},
		{"lost requires nothing", bare, StageChange{From: StageQualified, To: StageLost, Reason: "no budget"}, nil},
		{"a reopen into a stage is checked as any move into it", Deal{Number: 42, Stage: StageLost, Value: usd(500_000)},
			StageChange{From: StageLost, To: StageProposal, Reopen: true}, []DealField{FieldCloseDate}},
		{"a reopen into a stage without rules", Deal{Number: 42, Stage: StageLost}, StageChange{From: StageLost, To: StageQualified, Reopen: true}, nil},
		{"won counts the final amount", Deal{Number: 42, ContactEmail: "j@x.example"}, StageChange{To: StageWon, Amount: &final}, nil},
		{"won without contact", Deal{Number: 42, Value: usd(1)}, StageChange{To: StageWon}, []DealField{FieldContact}},
	} {
		err := CheckRequired(c.d, c.c, r, stages)
		var mf MissingFieldsError
		switch {
		case c.want == nil && err != nil:
			t.Errorf("%s: %v, want allowed", c.name, err)
		case c.want != nil && !errors.As(err, &mf):
			t.Errorf("%s: %v, want MissingFieldsError", c.name, err)
		case c.want != nil && (strings.Join(fieldNames(mf.Fields), ",") != strings.Join(fieldNames(c.want), ",") || !errors.Is(err, ErrMissingFields)):
			t.Errorf("%s: missing %v, want %v", c.name, mf.Fields, c.want)
		}
	}
	err := CheckRequired(bare, StageChange{To: StageProposal}, r, stages)
	if want := "D-42 needs expected close date and amount before it can move to Proposal & quote: fill them in with Edit, then move it again"; err == nil || err.Error() != want {
		t.Errorf("refusal = %v\nwant %s", err, want)
	}
}

func fieldNames(fs []DealField) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = string(f)
	}
	return out
}

func TestApprovalTransitions(t *testing.T) {
	all := []ApprovalState{ApprovalPending, ApprovalApproved, ApprovalRejected, ApprovalInvalidated}
	allowed := map[[2]ApprovalState]bool{
		{ApprovalPending, ApprovalApproved}: true, {ApprovalPending, ApprovalRejected}: true,
		{ApprovalPending, ApprovalInvalidated}: true, {ApprovalApproved, ApprovalInvalidated}: true,
	}
	for _, from := range all {
		for _, to := range all {
			if got := from.CanBecome(to); got != allowed[[2]ApprovalState{from, to}] {
				t.Errorf("%s → %s: %v", from, to, got)
			}
		}
	}
}

func TestDecide(t *testing.T) {
	at := time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC)
	pending := Approval{DealNumber: 42, Approvers: []string{"UMGR", "UADM"}, State: ApprovalPending}

	a, err := Decide(pending, "UADM", true, "", at)
	if err != nil || a.State != ApprovalApproved || a.DecidedBy != "UADM" || a.DecidedAt == nil || !a.DecidedAt.Equal(at) {
		t.Fatalf("approve: %+v, %v", a, err)
	}
	if _, err := Decide(a, "UMGR", false, "too deep", at); !errors.Is(err, ErrAlreadyDecided) ||
		err.Error() != "The approval request for D-42 was already approved by <@UADM>; your click changed nothing." {
		t.Errorf("deciding again: %v, want already approved by UADM", err)
	}
	if _, err := Decide(pending, "UREP", true, "", at); !errors.Is(err, ErrNotApprover) {
		t.Errorf("not an approver: %v", err)
	}
	if _, err := Decide(pending, "UMGR", false, "  ", at); !errors.Is(err, ErrRejectNeedsWhy) {
		t.Errorf("reject without a reason: %v", err)
	}
	r, err := Decide(pending, "UMGR", false, " margin too thin ", at)
	if err != nil || r.State != ApprovalRejected || r.DecisionReason != "margin too thin" {
		t.Errorf("reject: %+v, %v", r, err)
	}
	if _, err := Decide(pending, "UMGR", false, strings.Repeat("x", MaxReasonLen+1), at); err == nil {
		t.Error("a reason over the limit was taken")
	}

	inv, ok := Invalidate(a, at)
	if !ok || inv.State != ApprovalInvalidated || inv.InvalidatedAt == nil || inv.DecidedBy != "UADM" {
		t.Errorf("invalidate approved: %+v, %v", inv, ok)
	}
	if _, ok := Invalidate(r, at); ok {
		t.Error("a rejected request was invalidated")
	}
	if _, err := Decide(inv, "UMGR", true, "", at); !errors.Is(err, ErrAlreadyDecided) || !strings.Contains(err.Error(), "no longer stands") {
		t.Errorf("deciding an invalidated request: %v", err)
	}
}

func TestInvalidates(t *testing.T) {
	for _, c := range []struct {
		fields []string
		want   bool
	}{
		{[]string{"title", "source"}, false},
		{[]string{"title", "amount"}, true},
		{[]string{"discount"}, true},
		{[]string{"currency"}, true},
		{nil, false},
	} {
		var ch []FieldChange
		for _, f := range c.fields {
			ch = append(ch, FieldChange{Field: f})
		}
		if got := Invalidates(ch); got != c.want {
			t.Errorf("Invalidates(%v) = %v, want %v", c.fields, got, c.want)
		}
	}
}

func TestApproversFor(t *testing.T) {
	for _, c := range []struct {
		name      string
		owner     User
		requester string
		admins    []string
		want      string
	}{
		{"the owner's manager", User{ID: "UREP", ManagerID: "UMGR"}, "UREP", []string{"UADM"}, "UMGR"},
		{"no manager: the admins", User{ID: "UREP"}, "UREP", []string{"UA1", "UA2"}, "UA1,UA2"},
		{"the manager asks: the admins", User{ID: "UREP", ManagerID: "UMGR"}, "UMGR", []string{"UA1"}, "UA1"},
		{"an admin asks: the other admins", User{ID: "UA1"}, "UA1", []string{"UA1", "UA2"}, "UA2"},
		{"no one", User{ID: "UA1"}, "UA1", []string{"UA1"}, ""},
	} {
		got, err := ApproversFor(c.owner, c.requester, c.admins)
		if c.want == "" {
			if !errors.Is(err, ErrNoApprover) {
				t.Errorf("%s: %v, %v; want ErrNoApprover", c.name, got, err)
			}
			continue
		}
		if err != nil || strings.Join(got, ",") != c.want {
			t.Errorf("%s: %v, %v; want %s", c.name, got, err, c.want)
		}
	}
}

func TestCheckWon(t *testing.T) {
	r := ApprovalRules{On: true, DiscountOverBps: 1000}
	d := Deal{Number: 42, Value: usd(1_000_000), DiscountBps: 2000} // $10,000 less 20% = $8,000
	won := StageChange{From: StageNegotiation, To: StageWon}
	approved := &Approval{State: ApprovalApproved, DiscountBps: 2000, Amount: usd(1_000_000), Approvers: []string{"UMGR"}}
	pending := &Approval{State: ApprovalPending, DiscountBps: 2000, Amount: usd(1_000_000), Approvers: []string{"UMGR"}}
	lower, higher := usd(900_000), usd(1_100_000)
	for _, c := range []struct {
		name string
		d    Deal
		c    StageChange
		live *Approval
		want string // "" = allowed
	}{
		{"approved at this price", d, won, approved, ""},
		{"approved, won above it", d, StageChange{To: StageWon, Amount: &higher}, approved, ""},
		{"approved, won below it", d, StageChange{To: StageWon, Amount: &lower}, approved,
			"D-42 cannot be closed won at $7,200: the approved price is $8,000 (20% off $10,000). Close it at $8,000 or more, or request approval for the new price with `/deal approve D-42 20 <reason>`."},
		{"no approval", d, won, nil,
			"D-42 cannot be closed won yet: its 20% discount is above the 10% that needs approval. Request approval with `/deal approve D-42 20 <reason>` (or Request approval on the card), or lower the discount."},
		{"pending", d, won, pending,
			"D-42 cannot be closed won yet: its 20% discount is waiting for approval from <@UMGR>. Close it won once it is approved, or lower the discount."},
		{"discount within the threshold", Deal{Number: 42, Value: usd(1_000_000), DiscountBps: 1000}, won, nil, ""},
		{"not a win", d, StageChange{To: StageProposal}, nil, ""},
		{"approvals off", d, won, nil, "off"},
	} {
		rules := r
		if c.want == "off" {
			rules, c.want = ApprovalRules{}, ""
		}
		err := CheckWon(c.d, c.c, rules, c.live)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: %v, want allowed", c.name, err)
		case c.want != "" && (err == nil || err.Error() != c.want || !errors.Is(err, ErrApprovalNeeded)):
			t.Errorf("%s: %v\nwant %s", c.name, err, c.want)
		}
	}
}

// A request reminds one working day later: the same time on the next
// working day, the weekend skipped, and one made outside hours counts
// from the next working start.
func TestApprovalRemindAt(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip(err)
	}
	days := []int{1, 2, 3, 4, 5}
	h := WorkHours{9 * 60, 17 * 60}
	for _, c := range []struct {
		name     string
		at, want time.Time
	}{
		{"Tuesday 10:00", time.Date(2026, 3, 10, 10, 0, 0, 0, ny), time.Date(2026, 3, 11, 10, 0, 0, 0, ny)},
		{"Friday 16:00", time.Date(2026, 3, 13, 16, 0, 0, 0, ny), time.Date(2026, 3, 16, 16, 0, 0, 0, ny)},
		{"Saturday", time.Date(2026, 3, 14, 12, 0, 0, 0, ny), time.Date(2026, 3, 16, 17, 0, 0, 0, ny)},
		{"Monday 20:00", time.Date(2026, 3, 9, 20, 0, 0, 0, ny), time.Date(2026, 3, 10, 17, 0, 0, 0, ny)},
	} {
		if got := ApprovalRemindAt(c.at.UTC(), ny, days, h); !got.Equal(c.want) {
			t.Errorf("%s: %v, want %v", c.name, got.In(ny), c.want)
		}
	}
}
