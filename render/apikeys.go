package render

import (
	"fmt"
	"strings"
	"time"

	"salesbot/pipeline"
)

// APIKeyUsage is how /salesbot apikey is typed.
const APIKeyUsage = "/salesbot apikey new <label> [form https://example.com …]  ·  `/salesbot apikey list`  ·  `/salesbot apikey revoke <prefix>`"

// APIKeyWhich asks which key to revoke.
const APIKeyWhich = "Say which key to revoke: `/salesbot apikey revoke <prefix>`, with the prefix that `/salesbot apikey list` shows."

// APIKeyMade shows a new key, the one time it is ever shown: salesbot keeps
// only its hash.
func APIKeyMade(k pipeline.APIKey, raw string) string {
	var b strings.Builder
	fmt.Fprintf(&b, ":key: New %s key *%s* (`%s`). Copy it now: it is shown only this once, and salesbot keeps no copy.\n```%s```",
		k.Kind, Escape(k.Label), k.Prefix, raw)
	if k.Kind == pipeline.KeyForm {
		fmt.Fprintf(&b, "\nIt can only create leads, from %s.", strings.Join(k.AllowedOrigins, ", "))
	} else {
		b.WriteString("\nIt can create leads and read deals. Keep it on servers only, never in a web page.")
	}
	return b.String()
}

// APIKeysShown answers /salesbot apikey list: no key's secret, none is kept.
func APIKeysShown(keys []pipeline.APIKey, loc *time.Location) string {
	if len(keys) == 0 {
		return "No API keys yet. Make one with `/salesbot apikey new <label>`."
	}
	var b strings.Builder
	b.WriteString("*API keys*")
	for _, k := range keys {
		fmt.Fprintf(&b, "\n• `%s` *%s* · %s · made by <@%s> on %s", k.Prefix, Escape(k.Label), k.Kind, k.CreatedBy,
			k.CreatedAt.In(loc).Format("2 Jan 2006"))
		if len(k.AllowedOrigins) > 0 {
			fmt.Fprintf(&b, " · from %s", strings.Join(k.AllowedOrigins, ", "))
		}
		if k.RevokedAt != nil {
			fmt.Fprintf(&b, " · ~revoked %s~", k.RevokedAt.In(loc).Format("2 Jan 2006"))
		}
	}
	return b.String()
}

// APIKeyRevoked answers /salesbot apikey revoke.
func APIKeyRevoked(k pipeline.APIKey) string {
	return fmt.Sprintf(":no_entry: Key `%s` *%s* is revoked: requests with it are refused from now on.", k.Prefix, Escape(k.Label))
}

// NoSuchAPIKey is a prefix that names none of the workspace's keys.
func NoSuchAPIKey(prefix string) string {
	return fmt.Sprintf("No API key here has the prefix `%s`. `/salesbot apikey list` shows them.", Escape(prefix))
}
