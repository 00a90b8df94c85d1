package simulator

import (
	"bufio"
	"bytes"
	"strings"
	"time"

	"salesbot/internal/slackfake"
)

// Person is someone of the simulated workspace.
type Person struct {
	ID       string
	Name     string // handle, as in @sam
	RealName string
	Title    string // shown in the people picker
	Role     string // what salesbot should treat them as: admin, manager or rep
	TZ       string // IANA timezone
	Manager  string // ID of their manager, for reps
}

// The simulated workspace's people: an admin, a manager and two reps in
// different timezones, so roles and per-user timezones can be tried out.
var people = []Person{
	{ID: "U01ALEX", Name: "alex", RealName: "Alex Rivera", Title: "Sales ops (admin)", Role: "admin", TZ: "America/New_York"},
	{ID: "U02MARIA", Name: "maria", RealName: "Maria Santos", Title: "Sales manager", Role: "manager", TZ: "America/Chicago"},
	{ID: "U03SAM", Name: "sam", RealName: "Sam Chen", Title: "Account executive", Role: "rep", TZ: "America/Los_Angeles", Manager: "U02MARIA"},
	{ID: "U04PRIYA", Name: "priya", RealName: "Priya Patel", Title: "Account executive", Role: "rep", TZ: "Europe/London", Manager: "U02MARIA"},
}

// People returns the simulated workspace's people, for wiring (the admin
// list) and demo data.
func People() []Person { return append([]Person(nil), people...) }

// Admins returns the IDs of the people who are admins.
func Admins() []string {
	var ids []string
	for _, p := range people {
		if p.Role == "admin" {
			ids = append(ids, p.ID)
		}
	}
	return ids
}

// TeamID is the simulated workspace's Slack team ID.
const TeamID = slackfake.TeamID

// channels are the simulated workspace's public channels.
var channels = []slackfake.Channel{
	{ID: "C01SALES", Name: "sales"},
	{ID: "C02WINS", Name: "wins"},
	{ID: "C03PIPELINE", Name: "pipeline"},
}

// seed adds the people and channels to the fake; everyone and the bot are
// in every channel.
func seed(fake *slackfake.Server, now time.Time) {
	members := []string{slackfake.BotUserID}
	for _, p := range people {
		_, offset := now.In(location(p.TZ)).Zone()
		fake.AddUser(slackfake.User{ID: p.ID, Name: p.Name, RealName: p.RealName, TZ: p.TZ,
			TZOffset: offset, IsAdmin: p.Role == "admin"})
		members = append(members, p.ID)
	}
	for _, ch := range channels {
		ch.Members = members
		fake.AddChannel(ch)
	}
}

func location(name string) *time.Location {
	if loc, err := time.LoadLocation(name); err == nil {
		return loc
	}
	return time.UTC
}

// Command is a slash command from the app manifest.
type Command struct {
	Command     string `json:"command"`
	Description string `json:"description"`
	UsageHint   string `json:"usage_hint"`
	// ShouldEscape is the command's "Escape channels, users, and links"
	// setting: how mentions reach the bot in the payload's text.
	ShouldEscape bool `json:"should_escape"`
}

// parseCommands reads features.slash_commands from a Slack app manifest. It
// reads only the flat "- command: …" entries the manifest uses, which keeps
// a YAML library out of the binary.
func parseCommands(manifest []byte) []Command {
	var out []Command
	in := false
	sc := bufio.NewScanner(bytes.NewReader(manifest))
	for sc.Scan() {
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		indent := len(line) - len(strings.TrimLeft(line, " "))
		if trimmed == "slash_commands:" {
			in = true
			continue
		}
		if in && indent <= 2 {
			in = false // the next feature or section
		}
		if !in {
			continue
		}
		key, value, ok := strings.Cut(strings.TrimPrefix(trimmed, "- "), ":")
		if !ok {
			continue
		}
		value = unquote(strings.TrimSpace(value))
		switch key {
		case "command":
			out = append(out, Command{Command: value})
		case "description":
			if len(out) > 0 {
				out[len(out)-1].Description = value
			}
		case "usage_hint":
			if len(out) > 0 {
				out[len(out)-1].UsageHint = value
			}
		case "should_escape":
			if len(out) > 0 {
				out[len(out)-1].ShouldEscape = value == "true"
			}
		}
	}
	return out
}

func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1]
	}
	return s
}

// ChannelID returns the ID of the simulated channel called name ("" when
// there is none).
func ChannelID(name string) string {
	for _, ch := range channels {
		if ch.Name == name {
			return ch.ID
		}
	}
	return ""
}
