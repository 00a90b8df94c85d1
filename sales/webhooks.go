package sales

import (
	"log/slog"
	"strconv"
	"time"

	"salesbot/pipeline"
)

// Webhook is an endpoint as stored, without its secret.
type Webhook = pipeline.Webhook

// Event is a change that webhooks hear of, as the use case that made it saw
// it: the deal's snapshot after the change, and its stage before for a
// stage change, a win or a loss.
type Event struct {
	ID            string // unique; the same in every retry of its deliveries
	Type          string // pipeline.EventLeadCreated, …
	Team          string
	OccurredAt    time.Time
	Deal          pipeline.Deal
	PreviousStage pipeline.Stage // "" unless the stage changed
	// Endpoints are the workspace's active endpoints subscribed to Type,
	// each to get one delivery.
	Endpoints []int64
}

// AddWebhook adds an endpoint for Events (every event when empty), admins only.
type AddWebhook struct {
	Team           string
	Actor          pipeline.User
	URL            string
	Events         []string
	IdempotencyKey string
}

// WebhookAdded is the new endpoint and its signing secret, shown this once;
// the secret must never be logged.
type WebhookAdded struct {
	Webhook Webhook
	Secret  string
}

// String, GoString and LogValue leave the secret out, so that printing or
// logging a result by mistake does not leak it.
func (a WebhookAdded) String() string {
	return "webhook " + strconv.FormatInt(a.Webhook.ID, 10) + " (secret hidden)"
}

// GoString is String, for %#v.
func (a WebhookAdded) GoString() string { return a.String() }

// LogValue is String, for slog.
func (a WebhookAdded) LogValue() slog.Value { return slog.StringValue(a.String()) }

// ListWebhooks asks for the workspace's endpoints (admins only).
type ListWebhooks struct {
	Team  string
	Actor pipeline.User
}

// WebhookRequest names one endpoint to remove or to send a test event to
// (admins only). ID is as typed.
type WebhookRequest struct {
	Team           string
	Actor          pipeline.User
	ID             string
	IdempotencyKey string
}

// ErrNoSuchWebhook is an ID that names no endpoint of the workspace.
type ErrNoSuchWebhook struct{ ID string }

func (e ErrNoSuchWebhook) Error() string { return "no webhook " + e.ID }

// WebhookDisabled tells an admin that an endpoint failing for
// pipeline.WebhookDisableAfter was disabled.
type WebhookDisabled struct {
	To      string
	Webhook Webhook
}

func (WebhookDisabled) notice() {}
