package render

import (
	"strings"
	"testing"
	"time"

	"salesbot/pipeline"
	"salesbot/sales"
)

// The room notices name the deal and link the room; the account a person
// typed is escaped, and Slack's refusal is said in plain words.
func TestRoomOpeningWords(t *testing.T) {
	d := pipeline.Deal{Number: 42, AccountName: "Acme <!here> & Co"}
	room := pipeline.Room{ChannelID: "C0ROOM", State: pipeline.RoomOpen}
	for _, c := range []struct {
		got  Message
		want string
	}{
		{RoomOpenedNotice(sales.RoomOpened{Deal: d, Room: room}), ":door: <#C0ROOM> is open for D-42 · Acme &lt;!here&gt; &amp; Co."},
		{RoomOpenedNotice(sales.RoomOpened{Deal: d, Room: room, Problems: []sales.RoomRefusal{
			{Op: "invite", Code: "user_is_deactivated", User: "U0GONE"}, {Op: "pin", Code: "missing_scope", Needed: "pins:write"}}}),
			":door: <#C0ROOM> is open for D-42 · Acme &lt;!here&gt; &amp; Co.\n" +
				":warning: <@U0GONE> was not invited: that person's account is deactivated or not in this workspace.\n" +
				":warning: The card could not be pinned: salesbot lacks Slack's pins:write permission: a Slack admin must add it to the app and reinstall it."},
		{RoomRefusedNotice(sales.RoomRefused{Deal: d, Why: sales.RoomRefusal{Op: "create", Code: "restricted_action"}, At: time.Unix(0, 0)}),
			":warning: The room for D-42 · Acme &lt;!here&gt; &amp; Co was not opened: this workspace does not let apps do that: " +
				"a Slack admin can allow it in the workspace's settings. Nothing was made; ask again with `/deal room D-42` once that is fixed."},
		{RoomRefusedNotice(sales.RoomRefused{Deal: d, Why: sales.RoomRefusal{Op: "create", Code: "weird_<code>"}}),
			":warning: The room for D-42 · Acme &lt;!here&gt; &amp; Co was not opened: Slack refused it (weird_&lt;code&gt;). Nothing was made; ask again with `/deal room D-42` once that is fixed."},
	} {
		if c.got.Text != c.want {
			t.Errorf("got  %q\nwant %q", c.got.Text, c.want)
		}
	}
}

// The card offers the room's button only on a card with buttons, without a
// room and still open; with a room it links it.
func TestCardRoomLineAndButton(t *testing.T) {
	d := pipeline.Deal{Number: 42, AccountName: "Acme", Stage: pipeline.StageProposal}
	text := func(c Card) string { return string(messageText(t, "", DealCard(c))) }
	if got := text(Card{Deal: d, Buttons: true, RoomButton: true}); !strings.Contains(got, "Open deal room") {
		t.Errorf("no button on a card without a room: %s", got)
	}
	won := d
	won.Stage = pipeline.StageWon
	for name, c := range map[string]Card{
		"without buttons": {Deal: d, RoomButton: true},
		"a closed deal":   {Deal: won, Buttons: true, RoomButton: true},
		"with a room":     {Deal: d, Buttons: true, RoomButton: true, Room: &pipeline.Room{State: pipeline.RoomOpen, ChannelID: "C0ROOM"}},
	} {
		got := text(c)
		if strings.Contains(got, "Open deal room") {
			t.Errorf("%s: the card offers a room: %s", name, got)
		}
		if name == "with a room" && !strings.Contains(got, "Room <#C0ROOM>") {
			t.Errorf("the card does not link its room: %s", got)
		}
	}
}
