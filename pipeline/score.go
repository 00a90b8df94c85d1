package pipeline

import (
	"fmt"
	"strings"
)

// ScoreInput is what a lead's score is computed from.
type ScoreInput struct {
	Qualification *Qualification // nil before the lead is qualified
	Industry      string         // the account's
	CompanySize   string
	Source        string
	Value         Money
	Activities30d int // activities logged in the last 30 days
}

// Points of the lead score; they add up to 100.
const (
	pointsBudget        = 15
	pointsValue         = 5
	pointsDecisionMaker = 20
	pointsInfluencer    = 10
	pointsNeed          = 15
	pointsIndustryFit   = 10
	pointsSizeFit       = 10
	pointsEngagedMost   = 5 // 3 or more activities in 30 days
	pointsEngagedSome   = 3
	pointsWarmSource    = 5
)

// timingPoints rewards a nearer purchase.
var timingPoints = map[string]int{TimingUnder1: 15, Timing1To3: 10, Timing3To6: 5, TimingOver6: 2}

// warmSources are sources whose leads come to us.
var warmSources = map[string]bool{"referral": true, "inbound": true}

// ScoreNotQualified is the score's reason for a lead not qualified yet.
const ScoreNotQualified = "not qualified yet"

// Score is the lead score (0–100) and its reasons, biggest first as
// computed: BANT up to 70 (budget 15 + an estimated value 5, authority 20,
// need 15, timing 15), fit against the ICP up to 20 (industry 10, size 10),
// engagement up to 5 and a warm source (referral, inbound) 5.
func Score(in ScoreInput, icp ICP) (int, []string) {
	score := 0
	var reasons []string
	add := func(points int, why string) {
		score += points
		reasons = append(reasons, fmt.Sprintf("+%d %s", points, why))
	}
	if q := in.Qualification; q != nil {
		if q.BudgetConfirmed {
			add(pointsBudget, "budget confirmed")
		}
		switch q.Authority {
		case AuthorityDecisionMaker:
			add(pointsDecisionMaker, "decision maker")
		case AuthorityInfluencer:
			add(pointsInfluencer, "influencer")
		}
		if q.Need != "" {
			add(pointsNeed, "need stated")
		}
		if p := timingPoints[q.Timing]; p > 0 {
			add(p, "buying "+strings.ToLower(ChoiceLabel(q.Timing)))
		}
	} else {
		reasons = append(reasons, ScoreNotQualified)
	}
	if in.Value.Minor > 0 {
		add(pointsValue, "value estimated")
	}
	if matchesFold(icp.Industries, in.Industry) {
		add(pointsIndustryFit, "industry fits ("+in.Industry+")")
	}
	if in.CompanySize != "" && matchesFold(icp.Sizes, in.CompanySize) {
		add(pointsSizeFit, "size fits ("+in.CompanySize+")")
	}
	switch {
	case in.Activities30d >= 3:
		add(pointsEngagedMost, fmt.Sprintf("engaged (%d activities in 30 days)", in.Activities30d))
	case in.Activities30d > 0:
		add(pointsEngagedSome, fmt.Sprintf("some engagement (%d in 30 days)", in.Activities30d))
	}
	if warmSources[in.Source] {
		add(pointsWarmSource, "warm source ("+in.Source+")")
	}
	return min(score, 100), reasons
}

func matchesFold(list []string, s string) bool {
	s = strings.TrimSpace(s)
	if s == "" {
		return false
	}
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}
