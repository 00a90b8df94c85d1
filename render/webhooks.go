package render

import (
	"fmt"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"salesbot/pipeline"
	"salesbot/sales"
)

// WebhookUsage is how /salesbot webhook is typed.
const WebhookUsage = "/salesbot webhook add <https-url> [events…]  ·  `/salesbot webhook list`  ·  `/salesbot webhook test <id>`  ·  `/salesbot webhook remove <id>"

// WebhookUsageHelp answers /salesbot webhook typed without a verb it
// knows: the usage and the events there are.
func WebhookUsageHelp() string {
	return UsageOnly(WebhookUsage) + "\nEvents: " + strings.Join(pipeline.WebhookEvents, ", ") + " (all of them when none is named)."
}

// WebhookWhich asks which webhook a test or removal is for.
const WebhookWhich = "Say which webhook: `/salesbot webhook test <id>` or `/salesbot webhook remove <id>`, with the id that `/salesbot webhook list` shows."

// WebhookAdded shows a new endpoint and its signing secret, the one time
// the secret is shown.
func WebhookAdded(w pipeline.Webhook, secret string) string {
	return fmt.Sprintf(":satellite_antenna: Webhook `#%d` added: %s gets %s.\n"+
		"Its signing secret, shown only this once: copy it now and check each request's `Salesbot-Signature` with it.\n```%s```\n"+
		"`/salesbot webhook test %d` sends it a test event.",
		w.ID, Escape(w.URL), strings.Join(w.Events, ", "), secret, w.ID)
}

// WebhooksShown answers /salesbot webhook list: no secret.
func WebhooksShown(hooks []pipeline.Webhook, loc *time.Location) string {
	if len(hooks) == 0 {
		return "No webhooks yet. Add one with `/salesbot webhook add <https-url> [events…]`."
	}
	day := func(t time.Time) string { return t.In(loc).Format("2 Jan 2006 15:04") }
	var b strings.Builder
	b.WriteString("*Webhooks*")
	for _, w := range hooks {
		fmt.Fprintf(&b, "\n• `#%d` %s · %s · ", w.ID, Escape(w.URL), strings.Join(w.Events, ", "))
		if w.State == pipeline.WebhookDisabled && w.DisabledAt != nil {
			fmt.Fprintf(&b, ":no_entry: disabled since %s", day(*w.DisabledAt))
		} else {
			b.WriteString("active")
		}
		if w.FailingSince != nil && w.LastFailureAt != nil {
			fmt.Fprintf(&b, " · failing since %s, last failure %s: %s", day(*w.FailingSince), day(*w.LastFailureAt),
				Escape(w.LastError))
		} else if w.LastFailureAt != nil {
			fmt.Fprintf(&b, " · last failure %s: %s", day(*w.LastFailureAt), Escape(w.LastError))
		}
	}
	return b.String()
}

// WebhookRemoved answers /salesbot webhook remove.
func WebhookRemoved(w pipeline.Webhook) string {
	return fmt.Sprintf(":wastebasket: Webhook `#%d` (%s) is removed: nothing more is sent to it.", w.ID, Escape(w.URL))
}

// WebhookTestSent answers /salesbot webhook test.
func WebhookTestSent(w pipeline.Webhook) string {
	return fmt.Sprintf(":satellite_antenna: A `webhook.test` event is on its way to `#%d` (%s). If it does not answer 2xx, `/salesbot webhook list` shows why; a disabled webhook that answers is active again.",
		w.ID, Escape(w.URL))
}

// NoSuchWebhook is an id that names none of the workspace's webhooks.
func NoSuchWebhook(id string) string {
	return fmt.Sprintf("No webhook here has the id `%s`. `/salesbot webhook list` shows them.", Escape(id))
}

// WebhookDisabledNotice tells an admin that an endpoint failing for three
// days was disabled.
func WebhookDisabledNotice(n sales.WebhookDisabled) Message {
	w := n.Webhook
	since := ""
	if w.FailingSince != nil {
		since = " since " + w.FailingSince.UTC().Format("2 Jan 2006 15:04 UTC")
	}
	text := fmt.Sprintf(":no_entry: Webhook `#%d` (%s) is disabled: it has failed%s, last with: %s. Nothing more is sent to it. "+
		"Fix the endpoint, then `/salesbot webhook test %d` turns it back on when it answers.",
		w.ID, Escape(w.URL), since, Escape(w.LastError), w.ID)
	return Message{Text: text, Blocks: []slack.Block{slack.NewSectionBlock(Mrkdwn(text), nil, nil)}}
}
