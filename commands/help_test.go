package commands

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"salesbot/pipeline"
)

// roleDown is a database that cannot say anyone's role.
type roleDown struct{ UseCases }

func (roleDown) Role(context.Context, string, string) (string, error) {
	return "", errors.New("connection refused")
}

func (roleDown) Defaults() pipeline.Settings { return pipeline.Settings{Currency: "USD"} }

// When the role cannot be read, help still answers in the ack: what every
// rep may do, saying why, and never an admin's commands.
func TestHelpWhenTheRoleCannotBeRead(t *testing.T) {
	app := New(Deps{Sales: roleDown{}})
	for _, typed := range []string{"help", "help salesbot"} {
		raw, _ := json.Marshal(app.SlashCommand(t.Context(), slack.SlashCommand{Command: "/salesbot", Text: typed}).Ack)
		got := string(raw)
		if !strings.Contains(got, "/salesbot notify") || strings.Contains(got, "/salesbot role") || strings.Contains(got, "/salesbot settings") {
			t.Errorf("/salesbot %s with the role unreadable: %s", typed, got)
		}
		if typed == "help" && !strings.Contains(got, "could not read your role") {
			t.Errorf("/salesbot help does not say the role could not be read: %s", got)
		}
	}
}

// A manager's help is a manager's; an admin's lists the admin's commands.
func TestHelpFollowsTheRole(t *testing.T) {
	for role, want := range map[string]string{pipeline.RoleManager: "You are a *manager*", pipeline.RoleAdmin: "/salesbot settings"} {
		app := New(Deps{Sales: roleOnly{role: role}})
		raw, _ := json.Marshal(app.SlashCommand(t.Context(), slack.SlashCommand{Command: "/salesbot", Text: "help"}).Ack)
		if !strings.Contains(string(raw), want) {
			t.Errorf("%s's help lacks %q: %s", role, want, raw)
		}
	}
}
