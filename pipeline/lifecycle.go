package pipeline

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// MaxReasonLen bounds a lost reason.
const MaxReasonLen = 500

// Move asks for a deal to change stage.
type Move struct {
	To     Stage
	Amount *Money // won: the final amount, nil keeps the deal's value
	Reason string // lost: why
}

// StageChange is a move that the rules allowed, ready to be stored.
type StageChange struct {
	From, To Stage
	Amount   *Money // won with a final amount
	Reason   string // lost
	Reopen   bool   // from a closed stage back to an open one
}

// Errors from PlanMove; their text is shown to users.
var (
	ErrSameStage      = errors.New("the deal is already in that stage")
	ErrLostNeedsWhy   = errors.New("say why the deal was lost, e.g. `/deal lost D-42 went with a competitor`")
	ErrClosedToClosed = errors.New("the deal is closed: reopen it by moving it to an open stage first")
	ErrUnknownStage   = errors.New("unknown stage")
)

// PlanMove checks a stage move against the pipeline's rules: the stage must
// exist in the workspace, lost needs a reason, won may set the final amount,
// and a closed deal only goes back to an open stage (a reopen). Who may move
// the deal is Authorize's business.
func PlanMove(d Deal, stages []StageDef, m Move) (StageChange, error) {
	if FindStage(stages, m.To) == nil {
		return StageChange{}, fmt.Errorf("%w %q: use one of %s", ErrUnknownStage, m.To, stageKeys(stages))
	}
	if m.To == d.Stage {
		// The sentence says it all; the sentinel's own words would repeat it.
		return StageChange{}, wordedError{fmt.Sprintf("%s is already %s.", d.Ref(), StageLabelIn(stages, d.Stage)), ErrSameStage}
	}
	if d.Stage.Closed() && m.To.Closed() {
		return StageChange{}, fmt.Errorf("%s is %s — %w", d.Ref(), StageLabelIn(stages, d.Stage), ErrClosedToClosed)
	}
	c := StageChange{From: d.Stage, To: m.To, Reopen: d.Stage.Closed()}
	switch m.To {
	case StageLost:
		c.Reason = strings.TrimSpace(m.Reason)
		if c.Reason == "" {
			return StageChange{}, ErrLostNeedsWhy
		}
		if n := utf8.RuneCountInString(c.Reason); n > MaxReasonLen {
			return StageChange{}, fmt.Errorf("the reason is %d characters long; the limit is %d", n, MaxReasonLen)
		}
	case StageWon:
		c.Amount = m.Amount
	}
	return c, nil
}

// FindStage returns the stage with key k, or nil.
func FindStage(stages []StageDef, k Stage) *StageDef {
	for i := range stages {
		if stages[i].Key == k {
			return &stages[i]
		}
	}
	return nil
}

// ParseStage reads what a person typed ("proposal", "Needs assessment",
// "needs_assessment", "closed-won") as one of the workspace's stages.
func ParseStage(s string, stages []StageDef) (Stage, error) {
	norm := func(v string) string {
		v = strings.ToLower(strings.TrimSpace(v))
		return strings.NewReplacer(" ", "_", "-", "_", "&", "", "__", "_").Replace(v)
	}
	want := norm(s)
	for _, st := range stages {
		if want == norm(string(st.Key)) || want == norm(st.Label) {
			return st.Key, nil
		}
	}
	// A unique prefix is enough: "neg" for negotiation.
	var found []Stage
	for _, st := range stages {
		if want != "" && (strings.HasPrefix(norm(string(st.Key)), want) || strings.HasPrefix(norm(st.Label), want)) {
			found = append(found, st.Key)
		}
	}
	if len(found) == 1 {
		return found[0], nil
	}
	return "", fmt.Errorf("%w %q: use one of %s", ErrUnknownStage, s, stageKeys(stages))
}

// StageLabelIn is the label of k in the workspace's stages.
func StageLabelIn(stages []StageDef, k Stage) string {
	if st := FindStage(stages, k); st != nil {
		return st.Label
	}
	return StageLabel(k)
}

// stageKeys lists the stages as help writes them ("needs assessment", not
// the key's underscore); ParseStage reads them back.
func stageKeys(stages []StageDef) string {
	keys := make([]string, len(stages))
	for i, st := range stages {
		keys[i] = strings.ReplaceAll(string(st.Key), "_", " ")
	}
	return strings.Join(keys, ", ")
}

// OpenStages are the stages a deal can be worked in, in pipeline order.
func OpenStages(stages []StageDef) []StageDef {
	var open []StageDef
	for _, st := range stages {
		if !st.Key.Closed() {
			open = append(open, st)
		}
	}
	return open
}

// CycleDays is how many whole days a deal took from creation to its close,
// or has taken so far when it is still open.
func CycleDays(d Deal, now time.Time) int {
	end := now
	if d.ClosedAt != nil {
		end = *d.ClosedAt
	}
	return int(end.Sub(d.CreatedAt).Hours() / 24)
}

// Activity is a logged note, call, email or meeting on a deal.
type Activity struct {
	ID        int64
	DealID    int64
	AuthorID  string
	Kind      string // note, call, email, meeting, other, message
	Body      string
	CreatedAt time.Time
	// Source is the Slack message a "message" activity keeps; nil otherwise.
	Source *CapturedMessage
}

// FollowUp is a reminder to do something about a deal at a given time.
type FollowUp struct {
	ID           int64
	WorkspaceID  string
	DealID       int64
	DealNumber   int64
	OwnerID      string
	Kind         string // followup, checkin
	DueAt        time.Time
	Note         string
	DoneAt       *time.Time
	SnoozedUntil *time.Time
}

// FieldChange is one edited field of a deal, old and new as shown to people.
type FieldChange struct {
	Field    string // title, amount, currency, recurring, expected_close, source, contact_name, contact_email
	Old, New string
}

// wordedError is a rule's refusal in its own sentence, still matching its
// sentinel with errors.Is.
type wordedError struct {
	msg      string
	sentinel error
}

func (e wordedError) Error() string { return e.msg }
func (e wordedError) Unwrap() error { return e.sentinel }
