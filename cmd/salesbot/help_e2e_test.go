package main

import (
	"strings"
	"testing"

	"salesbot/internal/slackfake"
)

// TestHelpByRole: /salesbot help shows each person what they may do, admin
// commands only to admins; /salesbot help <family> gives the details; the
// help's buttons open the forms the commands open.
func TestHelpByRole(t *testing.T) {
	h := setup(t)
	h.command("U0ADMIN", "/salesbot", "role <@U0MGR> manager")

	rep := h.command("U0ANN", "/salesbot", "help").all()
	for _, want := range []string{"You are a *rep*", "`/lead new`", "`/deal move`", "`/pipeline forecast`", "/salesbot help deal", "New lead", "Import leads"} {
		if !strings.Contains(rep, want) {
			t.Errorf("a rep's help lacks %q:\n%s", want, rep)
		}
	}
	for _, admin := range []string{"/salesbot settings", "/salesbot role", "/salesbot team", "/salesbot icp", "/salesbot capacity", "/salesbot route`", "Settings"} {
		if strings.Contains(rep, admin) {
			t.Errorf("a rep's help lists the admin's %q:\n%s", admin, rep)
		}
	}
	if got := h.command("U0MGR", "/salesbot", "help").all(); !strings.Contains(got, "You are a *manager*") || strings.Contains(got, "/salesbot settings") {
		t.Errorf("a manager's help:\n%s", got)
	}
	admin := h.command("U0ADMIN", "/salesbot", "help").all()
	for _, want := range []string{"You are an *admin*", "`/salesbot settings`", "`/salesbot role`", "`/salesbot capacity`", "Settings", "Ideal customer profile"} {
		if !strings.Contains(admin, want) {
			t.Errorf("an admin's help lacks %q:\n%s", want, admin)
		}
	}

	if got := h.command("U0ANN", "/salesbot", "help deal").all(); !strings.Contains(got, "/deal move D-42 <stage>") || !strings.Contains(got, "/deal history D-42") {
		t.Errorf("/salesbot help deal:\n%s", got)
	}
	if got := h.command("U0ANN", "/salesbot", "help salesbot").all(); strings.Contains(got, "/salesbot role") || !strings.Contains(got, "/salesbot notify") {
		t.Errorf("a rep's /salesbot help salesbot:\n%s", got)
	}
	if got := h.command("U0ADMIN", "/salesbot", "help /Salesbot").all(); !strings.Contains(got, "/salesbot role @user rep|manager|admin") {
		t.Errorf("an admin's /salesbot help /Salesbot:\n%s", got)
	}
	if got := h.command("U0ANN", "/salesbot", "help <!here> deals").all(); !strings.Contains(got, "There is no help about") ||
		!strings.Contains(got, "`lead`, `deal`, `pipeline`, `salesbot`") || strings.Contains(got, "<!here>") {
		t.Errorf("help about an unknown family:\n%s", got)
	}

	// The buttons open the forms their commands open.
	helpMsg := func(user string) slackfake.Message {
		r := h.command(user, "/salesbot", "help")
		return slackfake.Message{Channel: "C0SALES", Blocks: r.Blocks, Ephemeral: true}
	}
	if v := h.modalFor(h.click("U0ANN", helpMsg("U0ANN"), "New lead")); v.CallbackID != "lead_new" {
		t.Errorf("help's New lead opened %q", v.CallbackID)
	}
	if v := h.modalFor(h.click("U0ANN", helpMsg("U0ANN"), "My notifications")); v.Title.Text == "" || v.CallbackID != "notify" {
		t.Errorf("help's notifications button opened %q", v.CallbackID)
	}
	if v := h.modalFor(h.click("U0ADMIN", helpMsg("U0ADMIN"), "Settings")); v.CallbackID != "settings" {
		t.Errorf("help's Settings opened %q", v.CallbackID)
	}
}
