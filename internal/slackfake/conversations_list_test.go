package slackfake

import (
	"fmt"
	"slices"
	"testing"

	"github.com/slack-go/slack"
)

// conversations.list pages the channels of the types asked for with a
// cursor, shows private channels only to a member, and says who made each.
func TestConversationsList(t *testing.T) {
	s := New(t)
	ctx := testCtx(t)
	api := slack.New("xoxb-test", slack.OptionAPIURL(s.APIURL()))
	made, err := api.CreateConversationContext(ctx, slack.CreateConversationParams{ChannelName: "deal-42-acme", IsPrivate: true})
	if err != nil {
		t.Fatal(err)
	}
	s.AddChannel(Channel{ID: "C0PUBLIC", Name: "general", Creator: "U1"})
	s.AddChannel(Channel{ID: "C0AWAY", Name: "random", Creator: "U1", BotAbsent: true})
	s.AddChannel(Channel{ID: "C0OLD", Name: "old", Creator: "U1", Archived: true})
	s.AddChannel(Channel{ID: "C0SECRET", Name: "secret", IsPrivate: true, Creator: "U1", BotAbsent: true})
	s.AddChannel(Channel{ID: "C0INNER", Name: "inner", IsPrivate: true, Creator: "U1"})

	// all pages the channels of types, limit at a time.
	all := func(types []string, limit int, excludeArchived bool) ([]slack.Channel, int) {
		t.Helper()
		var out []slack.Channel
		pages := 0
		p := &slack.GetConversationsParameters{Types: types, Limit: limit, ExcludeArchived: excludeArchived}
		for {
			chs, next, err := api.GetConversationsContext(ctx, p)
			if err != nil {
				t.Fatal(err)
			}
			if limit > 0 && len(chs) > limit {
				t.Errorf("page of %d channels over the limit %d", len(chs), limit)
			}
			out, pages = append(out, chs...), pages+1
			if next == "" {
				return out, pages
			}
			p.Cursor = next
		}
	}
	names := func(chs []slack.Channel) []string {
		var out []string
		for _, ch := range chs {
			out = append(out, ch.Name)
		}
		slices.Sort(out)
		return out
	}

	chs, pages := all([]string{"public_channel", "private_channel"}, 2, false)
	if got, want := names(chs), []string{"deal-42-acme", "general", "inner", "old", "random"}; !slices.Equal(got, want) {
		t.Errorf("public and private: %v, want %v (secret hidden from a non-member)", got, want)
	}
	if pages != 3 {
		t.Errorf("5 channels 2 at a time came in %d pages", pages)
	}
	for _, ch := range chs {
		switch ch.Name {
		case "deal-42-acme":
			if ch.ID != made.ID || ch.Creator != BotUserID || !ch.IsPrivate || !ch.IsMember || ch.IsArchived {
				t.Errorf("the bot's channel is listed as %+v", ch.GroupConversation)
			}
		case "old":
			if !ch.IsArchived || ch.Creator != "U1" {
				t.Errorf("the archived channel is listed as %+v", ch.GroupConversation)
			}
		case "random":
			if ch.IsMember {
				t.Errorf("random lists the bot as a member")
			}
		}
	}
	if chs, _ := all(nil, 0, true); !slices.Equal(names(chs), []string{"general", "random"}) {
		t.Errorf("default types without archived: %v", names(chs))
	}
	if chs, _ := all([]string{"private_channel"}, 0, false); !slices.Equal(names(chs), []string{"deal-42-acme", "inner"}) {
		t.Errorf("private: %v", names(chs))
	}

	// Limit defaults to 100 and stops at 1000.
	for i := range 1100 {
		s.AddChannel(Channel{ID: fmt.Sprintf("C1%06d", i), Name: fmt.Sprintf("many-%d", i)})
	}
	for _, tc := range []struct{ limit, first int }{{0, 100}, {5000, 1000}} {
		chs, _, err := api.GetConversationsContext(ctx, &slack.GetConversationsParameters{Limit: tc.limit})
		if err != nil || len(chs) != tc.first {
			t.Errorf("limit %d: %d channels on the first page (%v), want %d", tc.limit, len(chs), err, tc.first)
		}
	}
	for code, p := range map[string]*slack.GetConversationsParameters{
		"invalid_cursor": {Cursor: "nonsense"}, "invalid_types": {Types: []string{"channels"}}} {
		if _, _, err := api.GetConversationsContext(ctx, p); slackCode(err) != code {
			t.Errorf("%+v: %q, want %s", p, slackCode(err), code)
		}
	}
}
