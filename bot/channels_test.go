package bot

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"salesbot/commands"
	"salesbot/internal/slackfake"
)

func TestChannelsPortOverTheFake(t *testing.T) {
	fake := slackfake.New(t, slackfake.WithStrictUsers())
	fake.AddUser(slackfake.User{ID: "U1", Name: "ann"})
	fake.AddUser(slackfake.User{ID: "U2", Name: "bob"})
	api := NewAPI("xoxb-test", "xapp-test", fake.APIURL())
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	id, err := api.CreateChannel(ctx, "deal-42-acme", true)
	if err != nil {
		t.Fatal(err)
	}
	_, err = api.CreateChannel(ctx, "deal-42-acme", false)
	var r *commands.SlackRefusal
	if !errors.Is(err, commands.ErrNameTaken) || !errors.As(err, &r) || r.Code != "name_taken" || r.Op != "create" {
		t.Fatalf("clash: %v", err)
	}
	if _, err := api.CreateChannel(ctx, "Deal 42", false); !errors.Is(err, commands.ErrBadChannelName) {
		t.Fatalf("bad name: %v", err)
	}

	// Inviting again, with someone new among people already in, adds only
	// the newcomer and succeeds.
	if err := api.InviteToChannel(ctx, id, "U1"); err != nil {
		t.Fatal(err)
	}
	if err := api.InviteToChannel(ctx, id, "U1", "U2"); err != nil {
		t.Fatalf("invite again: %v", err)
	}
	if ch, _ := fake.Channel(id); len(ch.Members) != 3 {
		t.Fatalf("members = %v", ch.Members)
	}
	if err := api.InviteToChannel(ctx, id, "U9"); !errors.Is(err, commands.ErrUserNotFound) {
		t.Fatalf("unknown user: %v", err)
	}

	_, ts, err := api.PostMessageContext(ctx, id, slack.MsgOptionText("card", false))
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := api.PinMessage(ctx, id, ts); err != nil {
			t.Fatalf("pin: %v", err)
		}
	}
	if pins := fake.Pins(id); len(pins) != 1 || pins[0] != ts {
		t.Fatalf("pins = %v", pins)
	}
	if link, err := api.MessagePermalink(ctx, id, ts); err != nil || link == "" {
		t.Fatalf("permalink = %q, %v", link, err)
	}
	if err := api.RenameChannel(ctx, id, "deal-42-acme-won"); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := api.ArchiveChannel(ctx, id); err != nil {
			t.Fatalf("archive: %v", err)
		}
	}
	if err := api.RenameChannel(ctx, id, "deal-42"); !errors.Is(err, commands.ErrChannelArchived) {
		t.Fatalf("rename archived: %v", err)
	}

	fake.SetFailure("conversations.create", slackfake.Failure{Times: 1, Error: "missing_scope", Needed: "groups:write"})
	_, err = api.CreateChannel(ctx, "deal-43", true)
	if !errors.Is(err, commands.ErrMissingScope) || !errors.As(err, &r) || r.Needed != "groups:write" {
		t.Fatalf("missing scope: %v", err)
	}
	fake.SetFailure("conversations.create", slackfake.Failure{Times: 1, Error: "restricted_action"})
	if _, err := api.CreateChannel(ctx, "deal-43", true); !errors.Is(err, commands.ErrRestricted) {
		t.Fatalf("restricted: %v", err)
	}
	fake.SetFailure("conversations.invite", slackfake.Failure{Times: 1, Status: 429, RetryAfter: 1})
	var rl *slack.RateLimitedError
	if err := api.InviteToChannel(ctx, id, "U2"); !errors.As(err, &rl) {
		t.Fatalf("rate limit: %v", err)
	}
}

// ChannelByName pages past the first conversations.list page, finds
// private channels the bot is in and archived ones, and says who made
// each; a name nobody has is not found.
func TestChannelByNameOverTheFake(t *testing.T) {
	fake := slackfake.New(t)
	api := NewAPI("xoxb-test", "xapp-test", fake.APIURL())
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for i := range 2 * channelPage {
		fake.AddChannel(slackfake.Channel{ID: fmt.Sprintf("C0%06d", i), Name: fmt.Sprintf("filler-%d", i), Creator: "U1"})
	}
	mine, err := api.CreateChannel(ctx, "deal-42-acme", true)
	if err != nil {
		t.Fatal(err)
	}
	fake.AddChannel(slackfake.Channel{ID: "C9OLD", Name: "deal-7-old", Creator: "U1", Archived: true})

	// C9OLD sorts after the others: conversations.list pages to it.
	if _, _, _, found, err := api.ChannelByName(ctx, "deal-7-old"); !found || err != nil {
		t.Fatalf("deal-7-old: found=%v %v", found, err)
	}
	if n := len(fake.Calls("conversations.list")); n != 3 {
		t.Errorf("%d conversations.list calls to reach the channel after %d others, want 3", n, 2*channelPage+1)
	}
	for _, tc := range []struct {
		name, id, creator string
		archived, found   bool
	}{
		{"deal-42-acme", mine, slackfake.BotUserID, false, true},
		{"deal-7-old", "C9OLD", "U1", true, true},
		{"filler-3", "C0000003", "U1", false, true},
		{"deal-99", "", "", false, false},
	} {
		id, creator, archived, found, err := api.ChannelByName(ctx, tc.name)
		if err != nil || id != tc.id || creator != tc.creator || archived != tc.archived || found != tc.found {
			t.Errorf("%s: %q %q archived=%v found=%v %v, want %+v", tc.name, id, creator, archived, found, err, tc)
		}
	}
	fake.SetFailure("conversations.list", slackfake.Failure{Times: 1, Error: "missing_scope", Needed: "groups:read"})
	if _, _, _, _, err := api.ChannelByName(ctx, "deal-42-acme"); !errors.Is(err, commands.ErrMissingScope) {
		t.Errorf("missing scope: %v", err)
	}
}
