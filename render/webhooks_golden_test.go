package render

import (
	"strings"
	"testing"
	"time"

	"salesbot/pipeline"
	"salesbot/sales"
)

// What an admin reads about webhooks: a new one with its secret, the list
// (active, failing, disabled; a URL with markup escaped) and the notice
// that one was disabled.
func TestGoldenWebhooks(t *testing.T) {
	at := func(d int) *time.Time { t := time.Date(2026, 3, d, 9, 30, 0, 0, time.UTC); return &t }
	ok := pipeline.Webhook{ID: 1, URL: "https://erp.example.com/hooks?a=1&b=<2>", Events: pipeline.WebhookEvents,
		State: pipeline.WebhookActive, CreatedAt: *at(1)}
	failing := pipeline.Webhook{ID: 2, URL: "https://crm.example.com/in", Events: []string{pipeline.EventDealWon},
		State: pipeline.WebhookActive, FailingSince: at(2), LastFailureAt: at(3), LastError: "answered 500 Internal Server Error"}
	off := pipeline.Webhook{ID: 3, URL: "https://old.example.com/", Events: []string{pipeline.EventLeadCreated},
		State: pipeline.WebhookDisabled, FailingSince: at(1), LastFailureAt: at(4), DisabledAt: at(4),
		LastError: "no answer: dial tcp: i/o timeout"}
	out := []string{
		WebhookAdded(ok, "whsec_GOLDENsecretGOLDENsecretGOLDENsecret12345"),
		WebhooksShown([]pipeline.Webhook{ok, failing, off}, time.UTC),
		WebhooksShown(nil, time.UTC),
		WebhookTestSent(failing),
		WebhookRemoved(ok),
		NoSuchWebhook("<9>"),
		WebhookDisabledNotice(sales.WebhookDisabled{To: "U0ADMIN", Webhook: off}).Text,
		WebhookUsageHelp(),
	}
	golden(t, "webhooks", []byte(strings.Join(out, "\n\n---\n\n")+"\n"))
}
