package pipeline

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// A discount is kept in basis points (1/100 of a percent) of the deal's
// amount, the list amount: integers, like money, so 12.5% is exactly 1250.
// The deal's price is its amount less the discount; the amount stays what
// forecasts and reports have always counted.
const MaxDiscountBps = 10_000

// DiscountOf is the discount of bps basis points on m, rounded half up to
// the currency's minor unit. It is split so that no product overflows int64.
func DiscountOf(m Money, bps int) Money {
	b := int64(bps)
	d := m.Minor/10_000*b + (m.Minor%10_000*b+5_000)/10_000
	return Money{Minor: d, Currency: m.Currency}
}

// PriceAfter is m less a discount of bps basis points.
func PriceAfter(m Money, bps int) Money {
	return Money{Minor: m.Minor - DiscountOf(m, bps).Minor, Currency: m.Currency}
}

// Price is what the customer pays: the deal's amount less its discount.
func (d Deal) Price() Money { return PriceAfter(d.Value, d.DiscountBps) }

// ErrDiscountSyntax is a discount that is not a percentage; its text is shown.
var ErrDiscountSyntax = errors.New("enter the discount as a percentage from 0 to 100, such as 15 or 12.5%")

// ParseDiscount reads "15", "15%", "12.5 %" or "0.25" into basis points.
// At most two decimals: a hundredth of a percent is a basis point.
func ParseDiscount(s string) (int, error) {
	t := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "%"))
	whole, frac, dot := strings.Cut(t, ".")
	if whole == "" && dot {
		whole = "0"
	}
	if !allDigits(whole) || (dot && (!allDigits(frac) || len(frac) > 2)) || len(whole) > 3 {
		return 0, ErrDiscountSyntax
	}
	w, _ := strconv.Atoi(whole)
	f := 0
	if frac != "" {
		f, _ = strconv.Atoi((frac + "0")[:2])
	}
	bps := w*100 + f
	if bps > MaxDiscountBps {
		return 0, ErrDiscountSyntax
	}
	return bps, nil
}

// FormatDiscount writes basis points as people read them: "15%", "12.5%".
func FormatDiscount(bps int) string {
	s := strconv.Itoa(bps / 100)
	if f := bps % 100; f != 0 {
		s += strings.TrimRight(fmt.Sprintf(".%02d", f), "0")
	}
	return s + "%"
}

// DealField is a field of a deal a stage may require before a deal enters it.
type DealField string

// The fields a stage may require.
const (
	FieldAmount       DealField = "amount"
	FieldCloseDate    DealField = "expected_close"
	FieldContact      DealField = "contact"
	FieldDealSource   DealField = "source"
	FieldDealDiscount DealField = "discount"
)

// maxRequiredPerStep bounds one stage's required fields (there are five).
const maxRequiredPerStep = 5

// RequirableFields are the fields a stage may require, in the settings
// form's order.
var RequirableFields = []DealField{FieldAmount, FieldCloseDate, FieldContact, FieldDealSource, FieldDealDiscount}

// Label is the field as people call it.
func (f DealField) Label() string {
	switch f {
	case FieldAmount:
		return "amount"
	case FieldCloseDate:
		return "expected close date"
	case FieldContact:
		return "contact"
	case FieldDealSource:
		return "source"
	case FieldDealDiscount:
		return "discount"
	}
	return string(f)
}

// has says whether d has f filled in; amount is the amount the deal enters
// the stage with (a win may set the final one).
func (f DealField) has(d Deal, amount Money) bool {
	switch f {
	case FieldAmount:
		return amount.Minor > 0
	case FieldCloseDate:
		return d.ExpectedClose != nil
	case FieldContact:
		return d.ContactName != "" || d.ContactEmail != ""
	case FieldDealSource:
		return strings.TrimSpace(d.Source) != ""
	case FieldDealDiscount:
		return d.DiscountBps > 0
	}
	return true
}

// ApprovalRules are a workspace's rules for discounts and stages.
type ApprovalRules struct {
	// On: discounts above DiscountOverBps need a manager's approval. Off,
	// no discount does.
	On              bool
	DiscountOverBps int
	// Required lists, per stage, the fields a deal must have to enter it.
	Required map[Stage][]DealField
}

// NeedsApproval says whether a discount of bps needs approval under r.
func (r ApprovalRules) NeedsApproval(bps int) bool { return r.On && bps > r.DiscountOverBps }

// ValidateApprovalRules checks r against the workspace's stages and returns
// the first problem in words an admin can act on.
func ValidateApprovalRules(r ApprovalRules, stages []StageDef) error {
	if r.On && (r.DiscountOverBps < 0 || r.DiscountOverBps >= MaxDiscountBps) {
		return fmt.Errorf("the discount above which approval is needed must be from 0%% to 99.99%%")
	}
	for st, fields := range r.Required {
		if FindStage(stages, st) == nil {
			return fmt.Errorf("%w %q: use one of %s", ErrUnknownStage, st, stageKeys(stages))
		}
		if st == StageLost {
			return fmt.Errorf("a lost deal needs only its reason: %s cannot require fields", StageLabelIn(stages, st))
		}
		if len(fields) > maxRequiredPerStep {
			return fmt.Errorf("%s can require at most %d fields", StageLabelIn(stages, st), maxRequiredPerStep)
		}
		for i, f := range fields {
			if !slices.Contains(RequirableFields, f) {
				return fmt.Errorf("%s cannot be required: choose from amount, expected close date, contact, source, discount", clipText(string(f), 40))
			}
			if slices.Contains(fields[:i], f) {
				return fmt.Errorf("%s requires the %s twice", StageLabelIn(stages, st), f.Label())
			}
		}
	}
	return nil
}

// MissingFieldsError is a move refused because the deal lacks fields the
// stage it goes to requires. It names them, so the person can fill them in.
type MissingFieldsError struct {
	Number int64
	Stage  string // the stage's label
	Fields []DealField
}

// ErrMissingFields matches every MissingFieldsError.
var ErrMissingFields = errors.New("required fields are missing")

func (e MissingFieldsError) Error() string {
	names := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		names[i] = f.Label()
	}
	return fmt.Sprintf("%s needs %s before it can move to %s: fill %s in with Edit, then move it again",
		FormatRef(e.Number), joinAnd(names), e.Stage, pronoun(len(names)))
}

func (e MissingFieldsError) Is(target error) bool { return target == ErrMissingFields }

// CheckRequired refuses change c of d when the stage it goes to requires
// fields d lacks. A loss requires nothing; a reopen is checked as any move
// into its stage (a deal back in Proposal should hold what Proposal needs);
// a win counts its final amount.
func CheckRequired(d Deal, c StageChange, r ApprovalRules, stages []StageDef) error {
	if c.To == StageLost {
		return nil
	}
	amount := d.Value
	if c.Amount != nil {
		amount = *c.Amount
	}
	var missing []DealField
	for _, f := range r.Required[c.To] {
		if !f.has(d, amount) {
			missing = append(missing, f)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	return MissingFieldsError{Number: d.Number, Stage: StageLabelIn(stages, c.To), Fields: missing}
}

func joinAnd(s []string) string {
	switch len(s) {
	case 0:
		return ""
	case 1:
		return s[0]
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}

func pronoun(n int) string {
	if n == 1 {
		return "it"
	}
	return "them"
}

// ApprovalState is where an approval stands.
type ApprovalState string

// An approval is pending until an approver decides; an approved or pending
// one is invalidated when the deal's amount or discount changes afterwards.
// Rejected and invalidated are final.
const (
	ApprovalPending     ApprovalState = "pending"
	ApprovalApproved    ApprovalState = "approved"
	ApprovalRejected    ApprovalState = "rejected"
	ApprovalInvalidated ApprovalState = "invalidated"
)

// CanBecome says whether an approval in state s may move to next.
func (s ApprovalState) CanBecome(next ApprovalState) bool {
	switch s {
	case ApprovalPending:
		return next == ApprovalApproved || next == ApprovalRejected || next == ApprovalInvalidated
	case ApprovalApproved:
		return next == ApprovalInvalidated
	}
	return false
}

// Live says whether the approval still counts: pending or approved.
func (s ApprovalState) Live() bool { return s == ApprovalPending || s == ApprovalApproved }

// Approval is a request to approve a deal's discount, and its outcome.
type Approval struct {
	ID             int64
	WorkspaceID    string
	DealID         int64
	DealNumber     int64
	RequestedBy    string
	Approvers      []string // Slack user IDs; any one of them decides
	DiscountBps    int
	Amount         Money // the deal's amount when it was requested
	Reason         string
	State          ApprovalState
	RequestedAt    time.Time
	DecidedBy      string
	DecidedAt      *time.Time
	DecisionReason string
	InvalidatedAt  *time.Time
	RemindedAt     *time.Time
}

// Price is the price the approval is for: the amount at request less the discount.
func (a Approval) Price() Money { return PriceAfter(a.Amount, a.DiscountBps) }

// IsApprover says whether user may decide a.
func (a Approval) IsApprover(user string) bool { return slices.Contains(a.Approvers, user) }

// Errors of the approval rules; their text is shown to people.
var (
	ErrNotApprover      = errors.New("only the approvers of a request can decide it")
	ErrRejectNeedsWhy   = errors.New("say why you reject it: the requester sees your reason")
	ErrNoApprover       = errors.New("there is no one to approve it: the owner has no manager and there is no other admin; ask an admin to set a manager with `/salesbot team`")
	ErrApprovalNotFound = errors.New("that approval request is not in this workspace")
)

// AlreadyDecidedError is a decision on an approval that is no longer
// pending: someone decided it first, or the deal changed and invalidated it.
type AlreadyDecidedError struct {
	Number int64
	State  ApprovalState
	By     string // who decided; "" when it was invalidated
	At     *time.Time
}

// ErrAlreadyDecided matches every AlreadyDecidedError.
var ErrAlreadyDecided = errors.New("already decided")

func (e AlreadyDecidedError) Error() string {
	if e.State == ApprovalInvalidated {
		return fmt.Sprintf("The approval request for %s no longer stands: the deal changed after it was asked (its amount or discount, a newer request, or its close). Nothing was decided.", FormatRef(e.Number))
	}
	by := ""
	if e.By != "" {
		by = " by <@" + e.By + ">"
	}
	return fmt.Sprintf("The approval request for %s was already %s%s; your click changed nothing.", FormatRef(e.Number), e.State, by)
}

func (e AlreadyDecidedError) Is(target error) bool { return target == ErrAlreadyDecided }

// Decide is a's decision by by at at: approved, or rejected with a reason.
// Only an approver decides, and only a pending request.
func Decide(a Approval, by string, approve bool, reason string, at time.Time) (Approval, error) {
	if !a.IsApprover(by) {
		return a, ErrNotApprover
	}
	if a.State != ApprovalPending {
		return a, AlreadyDecidedError{Number: a.DealNumber, State: a.State, By: a.DecidedBy, At: a.DecidedAt}
	}
	reason = strings.TrimSpace(reason)
	if n := utf8.RuneCountInString(reason); n > MaxReasonLen {
		return a, fmt.Errorf("the reason is %d characters long; the limit is %d", n, MaxReasonLen)
	}
	next := ApprovalApproved
	if !approve {
		if reason == "" {
			return a, ErrRejectNeedsWhy
		}
		next = ApprovalRejected
	}
	a.State, a.DecidedBy, a.DecidedAt, a.DecisionReason = next, by, &at, reason
	return a, nil
}

// Invalidate is a after the deal's amount or discount changed at at; false
// when a no longer counted anyway.
func Invalidate(a Approval, at time.Time) (Approval, bool) {
	if !a.State.CanBecome(ApprovalInvalidated) {
		return a, false
	}
	a.State, a.InvalidatedAt = ApprovalInvalidated, &at
	return a, true
}

// Invalidates says whether an edit with these changes voids the deal's
// approval: the price it approved is no longer the price.
func Invalidates(changes []FieldChange) bool {
	for _, c := range changes {
		if c.Field == "amount" || c.Field == "currency" || c.Field == string(FieldDealDiscount) {
			return true
		}
	}
	return false
}

// ApproversFor is who approves a request by requester on a deal owned by
// owner: the owner's manager, else the admins; never the requester, who
// cannot approve their own discount.
func ApproversFor(owner User, requester string, admins []string) ([]string, error) {
	if owner.ManagerID != "" && owner.ManagerID != requester {
		return []string{owner.ManagerID}, nil
	}
	var out []string
	for _, a := range admins {
		if a != requester && !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	if len(out) == 0 {
		return nil, ErrNoApprover
	}
	return out, nil
}

// ApprovalNeededError is a win refused because the deal's discount needs
// approval it does not have at that price. It says what to do.
type ApprovalNeededError struct {
	Number      int64
	DiscountBps int
	OverBps     int
	Price       Money     // the price the deal would be won at
	Approved    *Approval // the live approval, nil when none
}

// ErrApprovalNeeded matches every ApprovalNeededError.
var ErrApprovalNeeded = errors.New("approval needed")

func (e ApprovalNeededError) Error() string {
	ref := FormatRef(e.Number)
	ask := fmt.Sprintf("`/deal approve %s %s <reason>`", ref, strings.TrimSuffix(FormatDiscount(e.DiscountBps), "%"))
	switch {
	case e.Approved == nil:
		return fmt.Sprintf("%s cannot be closed won yet: its %s discount is above the %s that needs approval. Request approval with %s (or Request approval on the card), or lower the discount.",
			ref, FormatDiscount(e.DiscountBps), FormatDiscount(e.OverBps), ask)
	case e.Approved.State == ApprovalPending:
		return fmt.Sprintf("%s cannot be closed won yet: its %s discount is waiting for approval from %s. Close it won once it is approved, or lower the discount.",
			ref, FormatDiscount(e.DiscountBps), mentions(e.Approved.Approvers))
	}
	return fmt.Sprintf("%s cannot be closed won at %s: the approved price is %s (%s off %s). Close it at %s or more, or request approval for the new price with %s.",
		ref, e.Price, e.Approved.Price(), FormatDiscount(e.Approved.DiscountBps), e.Approved.Amount, e.Approved.Price(), ask)
}

func (e ApprovalNeededError) Is(target error) bool { return target == ErrApprovalNeeded }

func mentions(ids []string) string {
	m := make([]string, len(ids))
	for i, id := range ids {
		m[i] = "<@" + id + ">"
	}
	return joinOr(m)
}

func joinOr(s []string) string {
	if len(s) < 2 {
		return strings.Join(s, "")
	}
	return strings.Join(s[:len(s)-1], ", ") + " or " + s[len(s)-1]
}

// CheckWon refuses change c of d when it wins the deal below the price its
// discount was approved at: a discount that needs approval needs a live
// approved request whose price the win's price reaches. live is the deal's
// live approval, nil when none.
func CheckWon(d Deal, c StageChange, r ApprovalRules, live *Approval) error {
	if c.To != StageWon || !r.NeedsApproval(d.DiscountBps) {
		return nil
	}
	amount := d.Value
	if c.Amount != nil {
		amount = *c.Amount
	}
	price := PriceAfter(amount, d.DiscountBps)
	if live != nil && live.State == ApprovalApproved && price.Currency == live.Amount.Currency && price.Minor >= live.Price().Minor {
		return nil
	}
	return ApprovalNeededError{Number: d.Number, DiscountBps: d.DiscountBps, OverBps: r.DiscountOverBps, Price: price, Approved: live}
}

// ApprovalRemindAt is when a request made at requested reminds its
// approvers: one working day later, counted in the workspace's working hours
// and days (a request at 16:00 on Friday reminds at 16:00 on Monday).
func ApprovalRemindAt(requested time.Time, loc *time.Location, days []int, h WorkHours) time.Time {
	return RespondBy(requested, h.End-h.Start, loc, days, h)
}
