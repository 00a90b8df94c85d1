package pipeline

import (
	"cmp"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// RoutingRule sends leads that match every condition it sets to one rep, or
// round-robin to a manager's team. Rules are tried in order.
type RoutingRule struct {
	Industry  string `json:"industry,omitempty"`
	Size      string `json:"size,omitempty"`
	Territory string `json:"territory,omitempty"`
	To        string `json:"to"`             // Slack user ID: the rep, or the manager when Team
	Team      bool   `json:"team,omitempty"` // To's team, round-robin
}

// MaxRoutingRules bounds a workspace's rules.
const MaxRoutingRules = 50

// Matches reports whether lead l meets every condition of the rule.
func (r RoutingRule) Matches(l RouteInput) bool {
	eq := func(want, got string) bool { return want == "" || strings.EqualFold(want, strings.TrimSpace(got)) }
	return eq(r.Industry, l.Industry) && eq(r.Size, l.Size) && eq(r.Territory, l.Territory)
}

// Conditions is the rule's conditions as typed: "industry=Software size=51-200".
func (r RoutingRule) Conditions() string {
	var parts []string
	for _, kv := range [][2]string{{"industry", r.Industry}, {"size", r.Size}, {"territory", r.Territory}} {
		if kv[1] != "" {
			parts = append(parts, kv[0]+"="+kv[1])
		}
	}
	return strings.Join(parts, " ")
}

var ruleKey = regexp.MustCompile(`(?i)\b(industry|size|territory)\s*=`)

// ErrRuleUnreadable is a routing rule that cannot be read.
var ErrRuleUnreadable = errors.New("routing rule not understood")

// ParseRuleConditions reads "industry=Financial services size=51-200
// territory=EMEA": each value runs to the next key. At least one condition.
func ParseRuleConditions(text string) (RoutingRule, error) {
	var r RoutingRule
	text = strings.TrimSpace(text)
	locs := ruleKey.FindAllStringSubmatchIndex(text, -1)
	if len(locs) == 0 || strings.TrimSpace(text[:locs[0][0]]) != "" {
		return r, fmt.Errorf("%w: give conditions as industry=…, size=… or territory=…", ErrRuleUnreadable)
	}
	seen := map[string]bool{}
	for i, loc := range locs {
		key := strings.ToLower(text[loc[2]:loc[3]])
		end := len(text)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		val := strings.TrimSpace(text[loc[1]:end])
		switch {
		case seen[key]:
			return r, fmt.Errorf("%w: %s is given twice", ErrRuleUnreadable, key)
		case val == "":
			return r, fmt.Errorf("%w: %s= needs a value", ErrRuleUnreadable, key)
		case utf8.RuneCountInString(val) > MaxShortLen:
			return r, fmt.Errorf("%w: the %s is longer than %d characters", ErrRuleUnreadable, key, MaxShortLen)
		}
		seen[key] = true
		switch key {
		case "industry":
			r.Industry = val
		case "size":
			if !slices.Contains(CompanySizes, val) {
				return r, fmt.Errorf("%w: size %q is not one of %s", ErrRuleUnreadable, val, strings.Join(CompanySizes, ", "))
			}
			r.Size = val
		case "territory":
			r.Territory = val
		}
	}
	return r, nil
}

// RouteInput is what routing knows of a lead.
type RouteInput struct {
	Industry, Size, Territory string
	Exclude                   []string // reps who must not get it (declined, timed out)
}

// Rep is a person routing may choose, with their load.
type Rep struct {
	ID           string
	Role         string
	ManagerID    string
	Away         bool
	Deactivated  bool
	Capacity     int // open leads they take; 0 = no limit
	OpenLeads    int
	LastRoutedAt *time.Time // nil = never routed to
}

// available reports whether r can take one more lead.
func (r Rep) available(exclude []string) bool {
	return !r.Away && !r.Deactivated && (r.Capacity == 0 || r.OpenLeads < r.Capacity) && !slices.Contains(exclude, r.ID)
}

// Choice is a rep routing picked, and why.
type Choice struct {
	RepID  string
	Reason string
}

// Route ranks who should get a lead: reps named by the first matching rules
// (a rule's team round-robin by who was routed to longest ago), then every
// rep (role rep) round-robin the same way. Away, deactivated, excluded and
// at-capacity people are never chosen. The caller takes the first choice it
// can still use; none means no one can take the lead.
func Route(in RouteInput, rules []RoutingRule, reps []Rep) []Choice {
	var out []Choice
	seen := map[string]bool{}
	add := func(cands []Rep, reason string) {
		for _, r := range roundRobin(cands) {
			if !seen[r.ID] {
				seen[r.ID] = true
				out = append(out, Choice{RepID: r.ID, Reason: reason})
			}
		}
	}
	for i, rule := range rules {
		if !rule.Matches(in) {
			continue
		}
		var cands []Rep
		for _, r := range reps {
			if r.available(in.Exclude) && ((!rule.Team && r.ID == rule.To) || (rule.Team && r.ManagerID == rule.To)) {
				cands = append(cands, r)
			}
		}
		add(cands, ChoiceReason(rules, i))
	}
	var pool []Rep
	for _, r := range reps {
		if r.Role == RoleRep && r.available(in.Exclude) {
			pool = append(pool, r)
		}
	}
	add(pool, ChoiceReason(rules, -1))
	return out
}

// ChoiceReason says why a lead went where it did: rules[i] chose it, or
// round-robin for i < 0.
func ChoiceReason(rules []RoutingRule, i int) string {
	if i < 0 {
		return "round-robin"
	}
	return fmt.Sprintf("rule %d (%s)", i+1, rules[i].Conditions())
}

// roundRobin orders reps by who was routed to longest ago, never-routed first.
func roundRobin(reps []Rep) []Rep {
	reps = slices.Clone(reps)
	slices.SortStableFunc(reps, func(a, b Rep) int {
		switch {
		case a.LastRoutedAt == nil && b.LastRoutedAt != nil:
			return -1
		case a.LastRoutedAt != nil && b.LastRoutedAt == nil:
			return 1
		case a.LastRoutedAt != nil:
			if c := a.LastRoutedAt.Compare(*b.LastRoutedAt); c != 0 {
				return c
			}
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return reps
}
