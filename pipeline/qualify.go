package pipeline

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// Authority answers: who the contact is in the buying decision.
const (
	AuthorityDecisionMaker = "decision_maker"
	AuthorityInfluencer    = "influencer"
	AuthorityNone          = "none"
)

// Timing answers: when the prospect means to buy.
const (
	TimingUnder1   = "under_1_month"
	Timing1To3     = "1_3_months"
	Timing3To6     = "3_6_months"
	TimingOver6    = "over_6_months"
	TimingUnknown  = "unknown"
	MaxBudgetRange = 100
)

// Authorities and Timings are the choices, in the order they are offered.
var (
	Authorities = []string{AuthorityDecisionMaker, AuthorityInfluencer, AuthorityNone}
	Timings     = []string{TimingUnder1, Timing1To3, Timing3To6, TimingOver6, TimingUnknown}
)

// ChoiceLabel is how a BANT choice is shown to people.
func ChoiceLabel(v string) string {
	switch v {
	case AuthorityDecisionMaker:
		return "Decision maker"
	case AuthorityInfluencer:
		return "Influencer"
	case AuthorityNone:
		return "No authority"
	case TimingUnder1:
		return "Under 1 month"
	case Timing1To3:
		return "1–3 months"
	case Timing3To6:
		return "3–6 months"
	case TimingOver6:
		return "Over 6 months"
	case TimingUnknown:
		return "Unknown"
	}
	return v
}

// Qualification is a lead's BANT answers.
type Qualification struct {
	BudgetConfirmed bool   `json:"budget_confirmed"`
	BudgetRange     string `json:"budget_range,omitempty"`
	Authority       string `json:"authority"`
	Need            string `json:"need"`
	Timing          string `json:"timing"`
}

// QualifyForm is the qualification modal as filled in, every field text.
type QualifyForm struct {
	Budget      string // "yes" or "no"
	BudgetRange string
	Authority   string
	Need        string
	Timing      string
	Outcome     string // "qualified" or "disqualified"
	Reason      string // why it was disqualified
}

// Qualify form field names (also the modal's block IDs).
const (
	FieldBudget      LeadField = "budget"
	FieldBudgetRange LeadField = "budget_range"
	FieldAuthority   LeadField = "authority"
	FieldNeed        LeadField = "need"
	FieldTiming      LeadField = "timing"
	FieldOutcome     LeadField = "outcome"
	FieldReason      LeadField = "disqualify_reason"
)

// Qualify outcomes.
const (
	OutcomeQualified    = "qualified"
	OutcomeDisqualified = "disqualified"
)

// ValidateQualification checks the form and returns the answers and whether
// the lead is disqualified (with the reason), or what is wrong per field.
func ValidateQualification(f QualifyForm) (Qualification, string, FieldErrors) {
	errs := FieldErrors{}
	q := Qualification{
		BudgetRange: strings.TrimSpace(f.BudgetRange),
		Authority:   strings.TrimSpace(f.Authority),
		Need:        strings.TrimSpace(f.Need),
		Timing:      strings.TrimSpace(f.Timing),
	}
	switch f.Budget {
	case "yes":
		q.BudgetConfirmed = true
	case "no":
	default:
		errs[FieldBudget] = "Say whether the budget is confirmed."
	}
	checkLen(errs, FieldBudgetRange, "Budget range", q.BudgetRange, MaxBudgetRange)
	if !slices.Contains(Authorities, q.Authority) {
		errs[FieldAuthority] = "Choose the contact's authority."
	}
	checkLen(errs, FieldNeed, "Need", q.Need, MaxNotesLen)
	if !slices.Contains(Timings, q.Timing) {
		errs[FieldTiming] = "Choose when they mean to buy."
	}
	reason := strings.TrimSpace(f.Reason)
	switch f.Outcome {
	case OutcomeQualified:
		reason = ""
	case OutcomeDisqualified:
		if reason == "" {
			errs[FieldReason] = "Say why the lead is disqualified."
		} else if n := utf8.RuneCountInString(reason); n > MaxReasonLen-len("Disqualified: ") {
			errs[FieldReason] = fmt.Sprintf("The reason is %d characters long; the limit is %d.", n, MaxReasonLen-len("Disqualified: "))
		}
	default:
		errs[FieldOutcome] = "Choose Qualified or Disqualified."
	}
	if len(errs) > 0 {
		return Qualification{}, "", errs
	}
	return q, reason, nil
}

// ICP is a workspace's ideal customer profile.
type ICP struct {
	Industries []string // matched case-insensitively
	Sizes      []string // values of CompanySizes
}

// MaxICPIndustries bounds the industries of an ICP.
const MaxICPIndustries = 30

// ParseICP reads an ICP from the settings form: industries comma-separated,
// sizes as chosen. It returns what is wrong per field.
func ParseICP(industries string, sizes []string) (ICP, FieldErrors) {
	errs := FieldErrors{}
	var icp ICP
	for _, s := range strings.Split(industries, ",") {
		s = strings.TrimSpace(s)
		if s == "" || slices.ContainsFunc(icp.Industries, func(v string) bool { return strings.EqualFold(v, s) }) {
			continue
		}
		if utf8.RuneCountInString(s) > MaxShortLen {
			errs[FieldIndustry] = fmt.Sprintf("%q is too long; an industry has at most %d characters.", string([]rune(s)[:20])+"…", MaxShortLen)
		}
		icp.Industries = append(icp.Industries, s)
	}
	if len(icp.Industries) > MaxICPIndustries {
		errs[FieldIndustry] = fmt.Sprintf("That is %d industries; the limit is %d.", len(icp.Industries), MaxICPIndustries)
	}
	for _, s := range sizes {
		if !slices.Contains(CompanySizes, s) {
			errs[FieldCompanySize] = "Choose sizes from the list."
		} else if !slices.Contains(icp.Sizes, s) {
			icp.Sizes = append(icp.Sizes, s)
		}
	}
	if len(errs) > 0 {
		return ICP{}, errs
	}
	return icp, nil
}
