package pipeline

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Deal is one potential sale to one account.
type Deal struct {
	ID             int64
	WorkspaceID    string
	Number         int64 // per-workspace number, shown as D-<Number>
	Title          string
	AccountID      int64
	AccountName    string
	ContactID      int64 // 0 when the deal has no contact
	ContactName    string
	ContactEmail   string
	Stage          Stage
	Value          Money
	DiscountBps    int        // discount off Value in basis points; Price() is what the customer pays
	Recurring      bool       // the value is an annual recurring amount
	ExpectedClose  *time.Time // a calendar date (UTC midnight), nil when unknown
	Source         string
	Score          int
	ScoreReasons   []string // why the score is what it is, as shown on the card
	OwnerID        string   // Slack user ID
	CreatedBy      string   // Slack user ID
	CreatedAt      time.Time
	UpdatedAt      time.Time
	LastActivityAt time.Time
	ClosedAt       *time.Time
	LostReason     string
	Inbound        *Inbound // what a lead from outside told; nil for others
}

// Ref is the deal's short reference as people type it: "D-42".
func (d Deal) Ref() string { return FormatRef(d.Number) }

// IdleDays is how many whole days the deal has gone without activity at at.
func (d Deal) IdleDays(at time.Time) int { return int(at.Sub(d.LastActivityAt) / (24 * time.Hour)) }

// FormatRef formats a deal number as "D-42".
func FormatRef(n int64) string { return "D-" + strconv.FormatInt(n, 10) }

// ParseRef reads "D-42", "d-42", "D42" or "42" into 42.
func ParseRef(s string) (int64, error) {
	t := strings.TrimSpace(s)
	if len(t) > 0 && (t[0] == 'D' || t[0] == 'd') {
		t = strings.TrimPrefix(t[1:], "-")
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || n <= 0 || !allDigits(t) {
		return 0, fmt.Errorf("%q is not a deal number: use D-42 or 42", s)
	}
	return n, nil
}

// HistoryEntry is one audited change to a deal.
type HistoryEntry struct {
	ID        int64
	DealID    int64
	ActorID   string // Slack user ID, or "" for the system
	Action    string // created, stage, field, owner, note, followup, closed, reopened …
	Field     string
	OldValue  string
	NewValue  string
	CreatedAt time.Time
}

// History actions.
const (
	ActionCreated = "created"
)
