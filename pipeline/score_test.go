package pipeline

import (
	"slices"
	"testing"
)

func TestScore(t *testing.T) {
	t.Parallel()
	icp := ICP{Industries: []string{"Software", "Fintech"}, Sizes: []string{"51-200", "201-1000"}}
	usd := func(minor int64) Money { return Money{Minor: minor, Currency: "USD"} }
	tests := []struct {
		name    string
		in      ScoreInput
		want    int
		reasons []string
	}{
		{"unqualified, no fit", ScoreInput{Industry: "Retail", Source: "cold call"}, 0, []string{"not qualified yet"}},
		{"unqualified, fits and warm", ScoreInput{Industry: "software", CompanySize: "51-200", Source: "referral", Value: usd(100)},
			30, []string{"not qualified yet", "+5 value estimated", "+10 industry fits (software)", "+10 size fits (51-200)", "+5 warm source (referral)"}},
		{"everything", ScoreInput{
			Qualification: &Qualification{BudgetConfirmed: true, Authority: AuthorityDecisionMaker, Need: "CRM", Timing: TimingUnder1},
			Industry:      "Fintech", CompanySize: "201-1000", Source: "inbound", Value: usd(5000_00), Activities30d: 4},
			100, []string{"+15 budget confirmed", "+20 decision maker", "+15 need stated", "+15 buying under 1 month",
				"+5 value estimated", "+10 industry fits (Fintech)", "+10 size fits (201-1000)",
				"+5 engaged (4 activities in 30 days)", "+5 warm source (inbound)"}},
		{"influencer, no budget, slow", ScoreInput{
			Qualification: &Qualification{Authority: AuthorityInfluencer, Timing: Timing3To6}, Activities30d: 1},
			18, []string{"+10 influencer", "+5 buying 3–6 months", "+3 some engagement (1 in 30 days)"}},
		{"no authority, unknown timing", ScoreInput{
			Qualification: &Qualification{BudgetConfirmed: true, Authority: AuthorityNone, Need: "x", Timing: TimingUnknown}, CompanySize: "5000+"},
			30, []string{"+15 budget confirmed", "+15 need stated"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, reasons := Score(tt.in, icp)
			if got != tt.want || !slices.Equal(reasons, tt.reasons) {
				t.Errorf("Score = %d %q, want %d %q", got, reasons, tt.want, tt.reasons)
			}
		})
	}
	if got, _ := Score(ScoreInput{Industry: "Software", CompanySize: "51-200"}, ICP{}); got != 0 {
		t.Errorf("an empty ICP gives fit points: %d", got)
	}
}

func TestValidateQualification(t *testing.T) {
	t.Parallel()
	ok := QualifyForm{Budget: "yes", BudgetRange: "10-20k", Authority: AuthorityInfluencer, Need: " CRM ", Timing: Timing1To3, Outcome: OutcomeQualified, Reason: "ignored"}
	q, reason, errs := ValidateQualification(ok)
	if len(errs) > 0 || !q.BudgetConfirmed || q.Need != "CRM" || reason != "" {
		t.Errorf("valid form: %+v %q %v", q, reason, errs)
	}
	_, _, errs = ValidateQualification(QualifyForm{Outcome: OutcomeDisqualified, Authority: "boss"})
	for _, f := range []LeadField{FieldBudget, FieldAuthority, FieldTiming, FieldReason} {
		if errs[f] == "" {
			t.Errorf("no error for %s: %v", f, errs)
		}
	}
	_, reason, errs = ValidateQualification(QualifyForm{Budget: "no", Authority: AuthorityNone, Timing: TimingUnknown, Outcome: OutcomeDisqualified, Reason: "no budget"})
	if len(errs) > 0 || reason != "no budget" {
		t.Errorf("disqualify: %q %v", reason, errs)
	}
}

func TestParseICP(t *testing.T) {
	t.Parallel()
	icp, errs := ParseICP(" Software, fintech ,software,, ", []string{"51-200", "51-200"})
	if len(errs) > 0 || !slices.Equal(icp.Industries, []string{"Software", "fintech"}) || !slices.Equal(icp.Sizes, []string{"51-200"}) {
		t.Errorf("ParseICP = %+v %v", icp, errs)
	}
	if _, errs := ParseICP("", []string{"huge"}); errs[FieldCompanySize] == "" {
		t.Errorf("bad size accepted")
	}
}
