package pipeline

import (
	"slices"
	"time"
)

// The events a webhook can subscribe to.
const (
	EventLeadCreated      = "lead.created"
	EventDealStageChanged = "deal.stage_changed"
	EventDealWon          = "deal.won"
	EventDealLost         = "deal.lost"
	EventDealUpdated      = "deal.updated"
	// EventWebhookTest is what /salesbot webhook test sends; nobody
	// subscribes to it.
	EventWebhookTest = "webhook.test"
)

// WebhookEvents are the events an endpoint can subscribe to, in the order
// help and lists name them.
var WebhookEvents = []string{EventLeadCreated, EventDealStageChanged, EventDealWon, EventDealLost, EventDealUpdated}

// ValidWebhookEvent reports whether e is an event an endpoint can subscribe to.
func ValidWebhookEvent(e string) bool { return slices.Contains(WebhookEvents, e) }

// Webhook states.
const (
	WebhookActive   = "active"
	WebhookDisabled = "disabled"
)

// WebhookDisableAfter is how long an endpoint may fail, from its first
// failure after its last success, before it is disabled.
const WebhookDisableAfter = 72 * time.Hour

// Webhook is an endpoint that a workspace's events are posted to. Its
// secret is not here: it stays in the store and the delivery.
type Webhook struct {
	ID            int64
	Team          string
	URL           string
	Events        []string
	State         string
	CreatedBy     string
	CreatedAt     time.Time
	LastSuccessAt *time.Time
	FailingSince  *time.Time // the first failure after the last success
	LastFailureAt *time.Time
	LastError     string
	DisabledAt    *time.Time
}

// Subscribes reports whether w takes event e.
func (w Webhook) Subscribes(e string) bool { return slices.Contains(w.Events, e) }

// ShouldDisable reports whether w, failing at at, has failed long enough to
// be disabled.
func (w Webhook) ShouldDisable(at time.Time) bool {
	return w.State == WebhookActive && w.FailingSince != nil && !at.Before(w.FailingSince.Add(WebhookDisableAfter))
}
