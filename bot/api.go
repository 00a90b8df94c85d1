package bot

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/slack-go/slack"

	"salesbot/commands"
	"salesbot/outbox"
)

// The client implements every Slack port in full, so a port method it lacks
// fails the build rather than silently switching a feature off.
var (
	_ commands.Slack = (*API)(nil)
	_ outbox.Poster  = (*API)(nil)
)

// API is salesbot's Web API client: slack-go's client pointed at the
// configured base URL, plus posting to response_url.
type API struct {
	*slack.Client
	http *http.Client
}

// NewAPI builds the Web API client. apiURL must end with a slash; every call,
// apps.connections.open included, goes there.
func NewAPI(botToken, appToken, apiURL string) *API {
	// Go keeps two idle connections per host by default: under concurrent
	// after-ack work every call past the second would open (and, against
	// slack.com, TLS-handshake) a new one.
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns, tr.MaxIdleConnsPerHost = 64, 64
	hc := &http.Client{Timeout: 15 * time.Second, Transport: tr}
	return &API{
		Client: slack.New(botToken,
			slack.OptionAppLevelToken(appToken),
			slack.OptionAPIURL(apiURL),
			slack.OptionHTTPClient(hc)),
		http: hc,
	}
}

// Respond posts a message to a response_url (valid 30 minutes, five uses).
// The URL lets anyone answer as salesbot, so its errors leave it out.
func (a *API) Respond(ctx context.Context, responseURL string, msg slack.WebhookMessage) error {
	if err := slack.PostWebhookCustomHTTPContext(ctx, responseURL, a.http, &msg); err != nil {
		return fmt.Errorf("post to response_url: %w", RedactError(err))
	}
	return nil
}
