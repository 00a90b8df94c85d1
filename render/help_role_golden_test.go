package render

import (
	"encoding/json"
	"strings"
	"testing"

	"salesbot/pipeline"
)

// Help is rendered per role: a golden file each, for the overview and for
// one family's details.
func TestGoldenHelpByRole(t *testing.T) {
	for _, role := range HelpRoles {
		name := role
		if name == "" {
			name = "unknown"
		}
		golden(t, "help_"+name, messageText(t, HelpText, HelpOverview(Commands, role)))
		for _, c := range Commands {
			if c.Command == "/salesbot" {
				golden(t, "help_salesbot_"+name, messageText(t, HelpFamilyText(c), HelpFamily(c, role)))
			}
		}
	}
}

// Admin commands and forms show to admins only; every verb shows to them.
func TestHelpListsAdminCommandsToAdminsOnly(t *testing.T) {
	encode := func(v any) string {
		var b strings.Builder
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(v); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	for _, role := range HelpRoles {
		overview := encode(HelpOverview(Commands, role))
		var details strings.Builder
		for _, c := range Commands {
			details.WriteString(encode(HelpFamily(c, role)))
		}
		for _, c := range Commands {
			for _, s := range c.Subs {
				name := strings.TrimSpace(c.Command + " " + s.Name)
				want := role == pipeline.RoleAdmin || !adminOnly[name]
				if got := strings.Contains(overview, "`"+name+"`"); got != want {
					t.Errorf("%q help overview lists %s: %v, want %v", role, name, got, want)
				}
				if got := strings.Contains(details.String(), s.Usage); got != want {
					t.Errorf("%q help details list %s: %v, want %v", role, s.Usage, got, want)
				}
			}
		}
		for _, f := range HelpForms {
			want := role == pipeline.RoleAdmin || !adminOnly[f.Command]
			if got := strings.Contains(overview, `"value":"`+f.Command+`"`); got != want {
				t.Errorf("%q help has the %s button: %v, want %v", role, f.Label, got, want)
			}
		}
	}
}

// Anyone may ask whether deal mentions are on: help lists it to every role.
func TestHelpListsMentionsToEveryone(t *testing.T) {
	for _, role := range HelpRoles {
		var b strings.Builder
		for _, c := range Commands {
			if c.Command == "/salesbot" {
				raw, _ := json.Marshal(HelpFamily(c, role))
				b.Write(raw)
			}
		}
		if !strings.Contains(b.String(), "/salesbot mentions on|off") {
			t.Errorf("%q help does not list /salesbot mentions", role)
		}
	}
}

func TestHelpFamilyName(t *testing.T) {
	for in, want := range map[string]string{"deal": "/deal", "/Deal": "/deal", "deals": "/deal", "leads": "/lead",
		"salesbot": "/salesbot", "pipeline": "/pipeline"} {
		if got := HelpFamilyName(in); got != want {
			t.Errorf("HelpFamilyName(%q) = %q, want %q", in, got, want)
		}
	}
}
