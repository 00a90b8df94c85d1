package main

import (
	"regexp"
	"strings"
	"testing"
)

var rawKey = regexp.MustCompile(`sb_(secret|form)_([a-z2-7]{8})_[A-Za-z0-9_-]{43}`)

// An admin makes a form key and sees it once, only ephemerally; the key is
// in no log, no other Slack call and no listing; a rep is refused; revoking
// by prefix shows in the list.
func TestAPIKeyCommand(t *testing.T) {
	logs := &logBuffer{}
	h, _, stop := setupLogged(t, "xoxb-apikey-bot-token", "xapp-apikey-app-token", logs)

	if r := h.command("U0BOB", "/salesbot", "apikey new Website form https://example.com"); !strings.Contains(r.all(), "Only admins (<@U0ADMIN>) can make API keys") {
		t.Errorf("a rep made a key: %s", r.all())
	}
	r := h.command("U0ADMIN", "/salesbot", "apikey new Web <site> form https://Example.com/")
	m := rawKey.FindStringSubmatch(r.all())
	if m == nil || m[1] != "form" {
		t.Fatalf("no form key shown: %s", r.all())
	}
	key, prefix := m[0], m[2]
	if !strings.Contains(r.all(), "Web &lt;site&gt;") || !strings.Contains(r.all(), "https://example.com") {
		t.Errorf("the new key's label or origin: %s", r.all())
	}
	shown := 0
	for _, c := range h.fake.Calls("") {
		if strings.Contains(string(c.Body), key) {
			shown++
			if c.Method != "response_url" || !strings.Contains(string(c.Body), `"response_type":"ephemeral"`) {
				t.Errorf("the key went out in %s: %s", c.Method, c.Body)
			}
		}
	}
	if shown != 1 {
		t.Errorf("the key was sent %d times, want once", shown)
	}

	list := h.command("U0ADMIN", "/salesbot", "apikey list")
	if !strings.Contains(list.all(), "`"+prefix+"`") || strings.Contains(list.all(), key[len(key)-20:]) {
		t.Errorf("list: %s", list.all())
	}
	if r := h.command("U0ADMIN", "/salesbot", "apikey revoke zzzzzzzz"); !strings.Contains(r.all(), "No API key here has the prefix `zzzzzzzz`") {
		t.Errorf("revoking an unknown key: %s", r.all())
	}
	if r := h.command("U0ADMIN", "/salesbot", "apikey revoke "+prefix); !strings.Contains(r.all(), "is revoked") {
		t.Errorf("revoke: %s", r.all())
	}
	if list := h.command("U0ADMIN", "/salesbot", "apikey list"); !strings.Contains(list.all(), "~revoked") {
		t.Errorf("list after revoking: %s", list.all())
	}
	stop()
	if strings.Contains(logs.String(), key[len(key)-20:]) {
		t.Error("the key's secret is in the log")
	}
}
