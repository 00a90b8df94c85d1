package main

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"salesbot/internal/pgtest"
	"salesbot/internal/slackfake"
)

// roomRow is a deal's room as the database holds it.
type roomRow struct {
	State   string `db:"state"`
	Channel string `db:"channel_id"`
	Name    string `db:"name"`
	CardTS  string `db:"card_ts"`
	Archive bool   `db:"archive_due"`
}

// room reads deal n's room; ok is false when it has none.
func (h *harness) room(n int64) (roomRow, bool) {
	h.t.Helper()
	var rows []roomRow
	err := h.svc.db.SelectContext(h.ctx, &rows, `SELECT r.state, COALESCE(r.channel_id, '') AS channel_id, r.name,
		COALESCE(r.card_ts, '') AS card_ts, r.archive_at IS NOT NULL AS archive_due
		FROM deal_rooms r JOIN deals d ON d.workspace_id = r.workspace_id AND d.id = r.deal_id
		WHERE r.workspace_id = $1 AND d.number = $2`, h.team, n)
	if err != nil {
		h.t.Fatal(err)
	}
	if len(rows) == 0 {
		return roomRow{}, false
	}
	return rows[0], true
}

// roomOpened waits for user's DM saying deal n's room is open, and returns
// the room's channel in the fake.
func (h *harness) roomOpened(user string, n int64) slackfake.Channel {
	h.t.Helper()
	ref := fmt.Sprintf("D-%d", n)
	m, err := h.fake.WaitMessage(h.ctx, "D"+user, func(m slackfake.Message) bool { return strings.Contains(m.Text, "is open for "+ref+" ·") })
	if err != nil {
		h.t.Fatalf("%s was not told the room of %s is open: %v", user, ref, err)
	}
	r, ok := h.room(n)
	if !ok || r.State != "open" {
		h.t.Fatalf("the room of %s is %+v after %q", ref, r, m.Text)
	}
	if !strings.Contains(m.Text, "<#"+r.Channel+">") {
		h.t.Errorf("the DM does not link the room: %s", m.Text)
	}
	ch, ok := h.fake.Channel(r.Channel)
	if !ok {
		h.t.Fatalf("the fake has no channel %s", r.Channel)
	}
	return ch
}

// channelsNamed are the fake's channels whose name starts with prefix.
func (h *harness) channelsNamed(prefix string) []slackfake.Channel {
	var out []slackfake.Channel
	for _, c := range h.fake.Channels() {
		if strings.HasPrefix(c.Name, prefix) {
			out = append(out, c)
		}
	}
	return out
}

// checkPinnedCard checks that ch has exactly one pin, the room's card.
func (h *harness) checkPinnedCard(ch slackfake.Channel, n int64) {
	h.t.Helper()
	pins := h.fake.Pins(ch.ID)
	if len(pins) != 1 {
		h.t.Fatalf("%s has %d pins, want the card once", ch.Name, len(pins))
	}
	r, _ := h.room(n)
	if r.CardTS != pins[0] {
		h.t.Errorf("the pin %s is not the recorded card %s", pins[0], r.CardTS)
	}
	cards := 0
	for _, m := range h.fake.Messages(ch.ID) {
		if strings.Contains(m.Text, fmt.Sprintf("This is the room of D-%d", n)) {
			cards++
			if m.TS != pins[0] {
				h.t.Errorf("the card %s is not the pinned message %s", m.TS, pins[0])
			}
		}
	}
	if cards != 1 {
		h.t.Errorf("%s has %d cards, want 1", ch.Name, cards)
	}
}

// /deal room opens a channel named after the deal and its account, with
// the owner, their manager and the people added (the deactivated one
// skipped), the card posted and pinned once; asking again answers with the
// room, a person added afterwards is invited at once, and the card links
// the room instead of offering to open one.
func TestDealRoomByCommand(t *testing.T) {
	h := setup(t)
	h.fake.AddUser(slackfake.User{ID: "U0GONE", Name: "gone", Deleted: true})
	h.command("U0ADMIN", "/salesbot", "team <@U0MGR> <@U0MARIA>")
	n := h.newDeal("U0MARIA", map[string]string{"Company": "Acme Corp.", "Estimated value": "40,000"})
	ref := fmt.Sprintf("D-%d", n)

	if r := h.command("U0MARIA", "/deal", "room "+ref+" invite <@U0SAM>"); !strings.Contains(r.all(), "/deal room D-42 [add @person]") {
		t.Errorf("a verb that is not add: %s", r.all())
	}
	if r := h.command("U0MARIA", "/deal", "room "+ref+" add <@U0SAM>"); !strings.Contains(r.all(), "Opening a room for "+ref+" · Acme Corp. with <@U0SAM> in it") {
		t.Errorf("adding to a deal without a room: %s", r.all())
	}
	if r := h.command("U0MARIA", "/deal", "room "+ref+" add <@U0GONE>"); !strings.Contains(r.all(), "<@U0GONE>") {
		t.Errorf("adding a second person: %s", r.all())
	}
	ch := h.roomOpened("U0MARIA", n)
	if want := fmt.Sprintf("deal-%d-acme-corp", n); ch.Name != want || ch.IsPrivate {
		t.Errorf("channel %q (private %v), want public %q", ch.Name, ch.IsPrivate, want)
	}
	for _, u := range []string{"U0MARIA", "U0MGR", "U0SAM"} {
		if !slices.Contains(ch.Members, u) {
			t.Errorf("%s was not invited: %v", u, ch.Members)
		}
	}
	if slices.Contains(ch.Members, "U0GONE") {
		t.Error("a deactivated person was invited")
	}
	h.checkPinnedCard(ch, n)
	if r, _ := h.room(n); r.Name != ch.Name {
		t.Errorf("the room's recorded name %q, want %q", r.Name, ch.Name)
	}

	if r := h.command("U0MARIA", "/deal", "room "+ref); !strings.Contains(r.all(), ref+" has its room already: <#"+ch.ID+">") {
		t.Errorf("asking again: %s", r.all())
	}
	if r := h.command("U0MARIA", "/deal", "room "+ref+" add <@U0BOB>"); !strings.Contains(r.all(), "<@U0BOB> is being invited to <#"+ch.ID+">") {
		t.Errorf("adding to an open room: %s", r.all())
	}
	waitUntil(t, h.ctx, "Bob invited", func() bool {
		c, _ := h.fake.Channel(ch.ID)
		return slices.Contains(c.Members, "U0BOB")
	})
	// Slack refusing someone added later is told to who added them.
	h.fake.AddUser(slackfake.User{ID: "U0LEFT", Name: "left", Deleted: true})
	h.command("U0MGR", "/deal", "room "+ref+" add <@U0LEFT>")
	if _, err := h.fake.WaitMessage(h.ctx, "DU0MGR", func(m slackfake.Message) bool {
		return strings.Contains(m.Text, "<@U0LEFT> was not invited to <#"+ch.ID+"> ("+ref+" · Acme Corp.): that person's account is deactivated")
	}); err != nil {
		t.Errorf("the manager was not told the invitation was refused: %v", err)
	}
	card := h.command("U0MARIA", "/deal", ref)
	if !strings.Contains(card.all(), "Room <#"+ch.ID+">") || strings.Contains(card.all(), "Open deal room") {
		t.Errorf("the card of a deal with a room: %s", card.all())
	}
	if got := len(h.channelsNamed(fmt.Sprintf("deal-%d-", n))); got != 1 {
		t.Errorf("%d channels for the deal, want 1", got)
	}
	// Someone who may not change the deal may not open its room.
	m := h.newDeal("U0MARIA", map[string]string{"Company": "Initech"})
	if r := h.command("U0BOB", "/deal", fmt.Sprintf("room D-%d", m)); !strings.Contains(r.all(), "belongs to <@U0MARIA>") {
		t.Errorf("another rep opening the room: %s", r.all())
	}
	if _, ok := h.room(m); ok {
		t.Error("a refused request made a room")
	}
}

// The card's Open deal room button opens the room too, for the clicker.
func TestDealRoomByCardButton(t *testing.T) {
	h := setup(t)
	n := h.newDeal("U0MARIA", map[string]string{"Company": "Globex"})
	h.command("U0MARIA", "/deal", fmt.Sprintf("D-%d", n))
	card := h.lastMessage("C0SALES", "Open deal room")
	h.click("U0MARIA", card, "Open deal room")
	h.svc.bot.WaitHandlers()
	ch := h.roomOpened("U0MARIA", n)
	if want := fmt.Sprintf("deal-%d-globex", n); ch.Name != want {
		t.Errorf("channel %q, want %q", ch.Name, want)
	}
	h.checkPinnedCard(ch, n)
}

// An admin sets, in the settings form, private rooms opening by themselves
// above 50k at Proposal; the form refuses a value without a stage and days
// out of range inline. A deal above the value moved to Proposal gets its
// room, its owner told; one below does not.
func TestDealRoomOpensByItselfOnAMove(t *testing.T) {
	h := setup(t)
	_, trigger := h.slash("U0ADMIN", "/salesbot", "settings")
	view := h.modalFor(trigger)
	ack, _ := h.submit("U0ADMIN", view, map[string]string{"Open a room by itself above": "50k", "Archive rooms after the close (days)": "400"})
	for _, want := range []string{"Choose the stage at which such a room opens", "from 0 (never) to 365"} {
		if !strings.Contains(string(ack.Payload), want) {
			t.Errorf("the form's errors lack %q: %s", want, ack.Payload)
		}
	}
	ack, _ = h.submit("U0ADMIN", view, map[string]string{"Deal rooms are": "private", "Open a room by itself above": "50k",
		"…on reaching the stage": "proposal", "Archive rooms after the close (days)": "30"})
	if len(ack.Payload) > 0 && string(ack.Payload) != "null" {
		t.Fatalf("settings rejected: %s", ack.Payload)
	}
	if _, err := h.fake.WaitMessage(h.ctx, "DU0ADMIN", func(m slackfake.Message) bool { return strings.Contains(m.Text, "Settings saved") }); err != nil {
		t.Fatal(err)
	}
	big := h.newDeal("U0MARIA", map[string]string{"Company": "Big Co", "Estimated value": "60,000"})
	small := h.newDeal("U0MARIA", map[string]string{"Company": "Small Co", "Estimated value": "50,000"})
	h.command("U0MARIA", "/deal", fmt.Sprintf("move D-%d qualified", big))
	if _, ok := h.room(big); ok {
		t.Error("a room opened at another stage")
	}
	h.command("U0MARIA", "/deal", fmt.Sprintf("move D-%d proposal", small))
	h.command("U0MARIA", "/deal", fmt.Sprintf("move D-%d proposal", big))
	ch := h.roomOpened("U0MARIA", big)
	if !ch.IsPrivate || ch.Name != fmt.Sprintf("deal-%d-big-co", big) {
		t.Errorf("channel %q private %v, want a private deal-%d-big-co", ch.Name, ch.IsPrivate, big)
	}
	h.checkPinnedCard(ch, big)
	if _, ok := h.room(small); ok {
		t.Error("a deal not above the value got a room")
	}
	if got := h.count(`SELECT count(*) FROM workspace_settings WHERE workspace_id = $1 AND room_private
		AND room_auto_minor = 5000000 AND room_auto_stage = 'proposal' AND room_archive_days = 30`, h.team); got != 1 {
		t.Error("the room settings were not stored as typed")
	}
}

// A name in use gets -2; Slack refusing to make the channel (a scope
// missing, a restricted workspace) tells the person why, leaves no row and
// no channel, and a later request works.
func TestDealRoomNameClashAndRefusals(t *testing.T) {
	h := setup(t)
	n := h.newDeal("U0MARIA", map[string]string{"Company": "Hooli"})
	taken := fmt.Sprintf("deal-%d-hooli", n)
	h.fake.AddChannel(slackfake.Channel{ID: "C0TAKEN", Name: taken})
	if r := h.command("U0MARIA", "/deal", fmt.Sprintf("room D-%d", n)); !strings.Contains(r.all(), "Opening a room") {
		t.Fatalf("/deal room: %s", r.all())
	}
	if ch := h.roomOpened("U0MARIA", n); ch.Name != taken+"-2" {
		t.Errorf("after a clash the channel is %q, want %q", ch.Name, taken+"-2")
	}

	for _, f := range []struct {
		failure slackfake.Failure
		says    string
	}{
		{slackfake.Failure{Times: 1, Error: "missing_scope", Needed: "channels:manage", Provided: "commands,chat:write"},
			"salesbot lacks Slack's channels:manage permission"},
		{slackfake.Failure{Times: 1, Error: "restricted_action"}, "this workspace does not let apps do that"},
	} {
		m := h.newDeal("U0MARIA", map[string]string{"Company": "Pied Piper " + f.failure.Error})
		ref := fmt.Sprintf("D-%d", m)
		h.fake.SetFailure("conversations.create", f.failure)
		h.command("U0MARIA", "/deal", "room "+ref)
		msg, err := h.fake.WaitMessage(h.ctx, "DU0MARIA", func(m slackfake.Message) bool { return strings.Contains(m.Text, "The room for "+ref+" ") })
		if err != nil {
			t.Fatalf("%s: the person was not told: %v", f.failure.Error, err)
		}
		if !strings.Contains(msg.Text, "was not opened: "+f.says) || !strings.Contains(msg.Text, "ask again with `/deal room "+ref+"`") {
			t.Errorf("%s: %s", f.failure.Error, msg.Text)
		}
		if _, ok := h.room(m); ok {
			t.Errorf("%s: the room's row is left", f.failure.Error)
		}
		if got := h.channelsNamed(fmt.Sprintf("deal-%d-", m)); len(got) != 0 {
			t.Errorf("%s: channels made: %v", f.failure.Error, got)
		}
		// Asked again once Slack allows it, it opens.
		h.command("U0MARIA", "/deal", "room "+ref)
		h.checkPinnedCard(h.roomOpened("U0MARIA", m), m)
	}
}

// A person renaming or archiving a room in Slack is followed: the new
// name is recorded and never changed back; archived and unarchived, the
// room's state follows. An event from another workspace about the same
// channel changes nothing, and neither does a room command there.
func TestDealRoomFollowsPeopleAndStaysInItsWorkspace(t *testing.T) {
	h := setup(t)
	n := h.newDeal("U0MARIA", map[string]string{"Company": "Vandelay"})
	h.command("U0MARIA", "/deal", fmt.Sprintf("room D-%d", n))
	ch := h.roomOpened("U0MARIA", n)

	other := *h
	other.team = pgtest.TeamID()
	if r := other.command("U0EVE", "/deal", fmt.Sprintf("room D-%d", n)); !strings.Contains(r.all(), fmt.Sprintf("can't find D-%d", n)) {
		t.Errorf("/deal room from another workspace: %s", r.all())
	}
	if r := other.command("U0EVE", "/deal", fmt.Sprintf("room D-%d add <@U0EVE>", n)); !strings.Contains(r.all(), fmt.Sprintf("can't find D-%d", n)) {
		t.Errorf("/deal room add from another workspace: %s", r.all())
	}
	if got := h.count(`SELECT count(*) FROM deal_rooms WHERE workspace_id = $1`, other.team); got != 0 {
		t.Errorf("the other workspace has %d rooms", got)
	}
	send := func(team string, ev map[string]any) {
		t.Helper()
		id, err := h.fake.SendEvent(h.ctx, team, ev)
		if err != nil {
			t.Fatal(err)
		}
		h.ack(id)
		h.svc.bot.WaitHandlers()
	}
	send(other.team, map[string]any{"type": "channel_rename", "channel": map[string]any{"id": ch.ID, "name": "stolen"}})
	send(other.team, map[string]any{"type": "channel_archive", "channel": ch.ID, "user": "U0EVE"})
	if r, _ := h.room(n); r.Name != ch.Name || r.State != "open" {
		t.Errorf("events of another workspace changed the room: %+v", r)
	}

	ev, err := h.fake.RenameChannel(ch.ID, "vandelay-imports")
	if err != nil {
		t.Fatal(err)
	}
	send(h.team, ev)
	if r, _ := h.room(n); r.Name != "vandelay-imports" {
		t.Errorf("after a rename the room is called %q", r.Name)
	}
	if c, _ := h.fake.Channel(ch.ID); c.Name != "vandelay-imports" || len(h.fake.Calls("conversations.rename")) != 0 {
		t.Errorf("salesbot renamed the channel back: %q", c.Name)
	}
	ev, err = h.fake.ArchiveChannel(ch.ID, "U0MARIA")
	if err != nil {
		t.Fatal(err)
	}
	send(h.team, ev)
	if r, _ := h.room(n); r.State != "archived" {
		t.Errorf("after an archive the room is %q", r.State)
	}
	send(h.team, map[string]any{"type": "channel_unarchive", "channel": ch.ID, "user": "U0MARIA"})
	if r, _ := h.room(n); r.State != "open" {
		t.Errorf("after an unarchive the room is %q", r.State)
	}
}

// A room is archived once its archive_at passes by the service's clock,
// once: a second sweep archives nothing more.
func TestDealRoomArchivedAfterTheClose(t *testing.T) {
	start := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	clk := &settableClock{t: start}
	h, _, _ := startHarness(t, harnessSpec{opts: []serviceOption{{now: clk.Now}}})
	n := h.newDeal("U0MARIA", map[string]string{"Company": "Kramerica"})
	keep := h.newDeal("U0MARIA", map[string]string{"Company": "Pendant"})
	h.command("U0MARIA", "/deal", fmt.Sprintf("room D-%d", n))
	ch := h.roomOpened("U0MARIA", n)
	h.command("U0MARIA", "/deal", fmt.Sprintf("room D-%d", keep))
	kept := h.roomOpened("U0MARIA", keep)
	// What the close does (rooms-mirror's hook): archive_at, N days on.
	h.sql(`UPDATE deal_rooms SET archive_at = $2 WHERE workspace_id = $1
		AND deal_id = (SELECT id FROM deals WHERE workspace_id = $1 AND number = $3)`, h.team, start.Add(7*24*time.Hour), n)

	sweep := func() {
		t.Helper()
		if err := h.svc.rooms.QueueSweep(h.ctx, h.team); err != nil {
			t.Fatal(err)
		}
		waitUntil(t, h.ctx, "the sweep done", func() bool {
			return h.count(`SELECT count(*) FROM river_job WHERE kind = 'room_archive_sweep' AND args->>'team_id' = $1
				AND state NOT IN ('completed', 'discarded', 'cancelled')`, h.team) == 0
		})
	}
	clk.Set(start.Add(7*24*time.Hour - time.Minute))
	sweep()
	if c, _ := h.fake.Channel(ch.ID); c.Archived {
		t.Fatal("archived before its time")
	}
	clk.Set(start.Add(7 * 24 * time.Hour))
	sweep()
	if c, _ := h.fake.Channel(ch.ID); !c.Archived {
		t.Error("not archived when due")
	}
	if r, _ := h.room(n); r.State != "archived" {
		t.Errorf("the room is %q", r.State)
	}
	if c, _ := h.fake.Channel(kept.ID); c.Archived {
		t.Error("a room not due was archived")
	}
	sweep()
	if got := len(h.fake.Calls("conversations.archive")); got != 1 {
		t.Errorf("conversations.archive called %d times, want once", got)
	}
}

// A restart in the middle: pins.add fails until the service restarts, so
// the first process makes the channel and posts the card but cannot pin it;
// the next one finishes the room: one channel, one card, pinned once, the
// owner told once.
func TestDealRoomAcrossARestart(t *testing.T) {
	h, dbURL, stop := startHarness(t, harnessSpec{})
	n := h.newDeal("U0MARIA", map[string]string{"Company": "Dunder Mifflin"})
	h.fake.SetFailure("pins.add", slackfake.Failure{Times: 1000, Status: 500})
	h.command("U0MARIA", "/deal", fmt.Sprintf("room D-%d", n))
	if _, err := h.fake.WaitCall(h.ctx, "pins.add", func(slackfake.Call) bool { return true }); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, h.ctx, "a retry of the pin", func() bool { return len(h.fake.Calls("pins.add")) >= 2 })
	if r, _ := h.room(n); r.State != "opening" || r.Channel == "" || r.CardTS == "" {
		t.Fatalf("before the restart the room is %+v, want opening with its channel and card", r)
	}
	// As if the process had stopped between posting the card and recording
	// it: the next attempt must find the card in the room, not post another.
	h.sql(`UPDATE deal_rooms SET card_ts = NULL WHERE workspace_id = $1`, h.team)
	stop()
	h.fake.SetFailure("pins.add", slackfake.Failure{})

	h.restartOn(dbURL, func() {})
	h2 := h
	ch := h2.roomOpened("U0MARIA", n)
	h2.checkPinnedCard(ch, n)
	if got := len(h2.channelsNamed(fmt.Sprintf("deal-%d-", n))); got != 1 {
		t.Errorf("%d channels after the restart, want 1", got)
	}
	if got := len(h2.fake.Calls("conversations.create")); got != 1 {
		t.Errorf("conversations.create called %d times, want once", got)
	}
	told := 0
	for _, m := range h2.fake.Messages("DU0MARIA") {
		if strings.Contains(m.Text, "is open for") {
			told++
		}
	}
	if told != 1 {
		t.Errorf("the owner was told %d times", told)
	}
}

// A process that stops after Slack made a room's channel and before it
// recorded the channel leaves the name it tried: the retry, told the name
// is taken, adopts the channel the bot made rather than making a second
// (deal-N-…-2). A channel of that name a person made is not adopted: that
// room gets the next name.
func TestDealRoomAdoptsItsChannelAfterACrash(t *testing.T) {
	h, dbURL, stop := startHarness(t, harnessSpec{})
	crashed := h.newDeal("U0MARIA", map[string]string{"Company": "Initech"})
	clashed := h.newDeal("U0MARIA", map[string]string{"Company": "Vandelay"})
	clash := fmt.Sprintf("deal-%d-vandelay", clashed)

	// The crashed room's channel is made and recorded; its invitations
	// fail until the restart.
	h.fake.SetFailure("conversations.invite", slackfake.Failure{Times: 1000, Status: 500})
	h.command("U0MARIA", "/deal", fmt.Sprintf("room D-%d", crashed))
	waitUntil(t, h.ctx, "a retry of the invitations", func() bool { return len(h.fake.Calls("conversations.invite")) >= 2 })
	made, _ := h.room(crashed)
	if made.State != "opening" || made.Channel == "" || made.Name != fmt.Sprintf("deal-%d-initech", crashed) {
		t.Fatalf("before the restart the room is %+v, want opening on its channel", made)
	}
	// The clashed room's name is recorded, and Slack never answers the
	// create; meanwhile a person makes a channel of that name.
	h.fake.SetFailure("conversations.create", slackfake.Failure{Times: 1000, Status: 500})
	h.command("U0MARIA", "/deal", fmt.Sprintf("room D-%d", clashed))
	waitUntil(t, h.ctx, "the clashed room's create", func() bool {
		r, _ := h.room(clashed)
		return r.Name == clash && len(h.fake.Calls("conversations.create")) >= 2
	})
	h.fake.AddChannel(slackfake.Channel{ID: "C0PERSON", Name: clash, Creator: "U0DWIGHT", Members: []string{"U0DWIGHT"}})
	// As if the process had stopped between making the crashed room's
	// channel and recording it.
	h.sql(`UPDATE deal_rooms r SET channel_id = NULL FROM deals d
		WHERE d.workspace_id = r.workspace_id AND d.id = r.deal_id AND r.workspace_id = $1 AND d.number = $2`, h.team, crashed)
	stop()
	h.fake.SetFailure("conversations.invite", slackfake.Failure{})
	h.fake.SetFailure("conversations.create", slackfake.Failure{})

	h.restartOn(dbURL, func() {})
	ch := h.roomOpened("U0MARIA", crashed)
	if ch.ID != made.Channel || ch.Name != made.Name {
		t.Errorf("the room opened on %s #%s, want its own channel %s #%s", ch.ID, ch.Name, made.Channel, made.Name)
	}
	h.checkPinnedCard(ch, crashed)
	if got := h.channelsNamed(fmt.Sprintf("deal-%d-", crashed)); len(got) != 1 {
		t.Errorf("%d channels for the crashed room, want 1: %v", len(got), got)
	}
	if !slices.Contains(ch.Members, "U0MARIA") {
		t.Errorf("the owner is not in the adopted room: %v", ch.Members)
	}

	other := h.roomOpened("U0MARIA", clashed)
	if other.ID == "C0PERSON" || other.Name != clash+"-2" {
		t.Errorf("the clashed room opened on %s #%s, want a channel of its own, #%s-2", other.ID, other.Name, clash)
	}
	h.checkPinnedCard(other, clashed)
	if p, _ := h.fake.Channel("C0PERSON"); slices.Contains(p.Members, slackfake.BotUserID) || len(h.fake.Pins("C0PERSON")) != 0 {
		t.Errorf("the person's channel was used: %+v", p)
	}
}
