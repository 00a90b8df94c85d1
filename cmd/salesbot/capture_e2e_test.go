package main

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"salesbot/internal/pgtest"
	"salesbot/internal/slackfake"
	"salesbot/pipeline"
)

// addToDeal chooses "Add to deal" on message ts of channel as user and
// returns the modal it opened.
func (h *harness) addToDeal(user, channel, ts string) slack.View {
	h.t.Helper()
	id, err := h.fake.SendMessageShortcut(h.ctx, slackfake.MessageShortcut{TeamID: h.team, UserID: user, UserName: strings.ToLower(user),
		CallbackID: "add_to_deal", Channel: channel, MessageTS: ts})
	if err != nil {
		h.t.Fatal(err)
	}
	env, _ := h.fake.Envelope(id)
	var p struct {
		TriggerID string `json:"trigger_id"`
	}
	json.Unmarshal(env.Payload, &p)
	h.ack(id)
	return h.modalFor(p.TriggerID)
}

// suggestion is one deal offered in the Add to deal modal, under its group.
type suggestion struct{ group, number, label string }

// suggestions lists the deals the modal offers, in order, and its text.
func suggestions(v slack.View) ([]suggestion, string) {
	var out []suggestion
	for _, b := range v.Blocks.BlockSet {
		in, ok := b.(*slack.InputBlock)
		if !ok {
			continue
		}
		if sel, ok := in.Element.(*slack.SelectBlockElement); ok {
			for _, g := range sel.OptionGroups {
				for _, o := range g.Options {
					out = append(out, suggestion{g.Label.Text, o.Value, o.Text.Text})
				}
			}
		}
	}
	raw, _ := json.Marshal(v.Blocks)
	return out, blockText(raw)
}

// captured is an activity kept from a message, as the database holds it.
type captured struct {
	AuthorID  string    `db:"author_id"`
	Body      string    `db:"body"`
	Author    string    `db:"source_author"`
	At        time.Time `db:"source_at"`
	Permalink string    `db:"source_permalink"`
}

func (h *harness) capturedOn(team string, n int64) []captured {
	h.t.Helper()
	var out []captured
	err := h.svc.db.SelectContext(h.ctx, &out, `SELECT a.author_id, a.body, a.source_author, a.source_at, a.source_permalink
		FROM activities a JOIN deals d ON d.id = a.deal_id
		WHERE d.workspace_id = $1 AND d.number = $2 AND a.kind = 'message' ORDER BY a.id`, team, n)
	if err != nil {
		h.t.Fatal(err)
	}
	return out
}

// A customer's message in a deal room: Add to deal offers the room's deal,
// then the deals the message names, then the person's recent deals, only
// theirs to change and only of their workspace; the chosen deal gets the
// message once, with its writer, time, text and link, and its staleness
// ends. Someone who may not change the deal is refused and nothing is
// written; another workspace can neither see nor change the deal.
func TestAddToDealFromAChannelMessage(t *testing.T) {
	now := time.Date(2026, 3, 10, 15, 0, 0, 0, time.UTC)
	h := setupAt(t, now)
	acme := h.newDeal("U0MARIA", map[string]string{"Company": "Acme Corp", "Deal title": "Acme platform", "Contact name": "Jane Doe", "Contact email": "jane@acme.example"})
	room := h.newDeal("U0MARIA", map[string]string{"Company": "Globex", "Deal title": "Globex rollout"})
	initech := h.newDeal("U0MARIA", map[string]string{"Company": "Initech", "Deal title": "Initech pilot"})
	priyas := h.newDeal("U0PRIYA", map[string]string{"Company": "Acme Corp", "Deal title": "Acme Europe"})
	other := *h
	other.team = pgtest.TeamID()
	elsewhere := other.newDeal("U0EVE", map[string]string{"Company": "Acme Corp", "Deal title": "Acme elsewhere"})
	// Older activity, in a known order: Initech is Maria's most recent.
	for i, n := range []int64{initech, acme, room} {
		h.sql(`UPDATE deals SET last_activity_at = $3 WHERE workspace_id = $1 AND number = $2`, h.team, n, now.AddDate(0, 0, -20-i))
	}
	h.fake.AddChannel(slackfake.Channel{ID: "C0ROOM", Name: "deal-globex", Members: []string{"U0MARIA", "U0CUST"}})
	h.sql(`INSERT INTO deal_rooms (workspace_id, deal_id, state, channel_id, name, private, requested_by, requested_at, opened_at)
		SELECT workspace_id, id, 'open', 'C0ROOM', 'deal-globex', false, 'U0MARIA', $3, $3 FROM deals WHERE workspace_id = $1 AND number = $2`,
		h.team, room, now)
	// As Slack sends it: & < > escaped, the email as a link.
	msg, _, err := h.fake.PostAsUser(h.ctx, slackfake.Message{User: "U0CUST", Channel: "C0ROOM",
		Text: "Jane Doe from ACME Corp: we want &lt;b&gt;3 seats&lt;/b&gt; &amp; a call. <mailto:jane@acme.example|jane@acme.example>"})
	if err != nil {
		t.Fatal(err)
	}
	plain := "Jane Doe from ACME Corp: we want <b>3 seats</b> & a call. jane@acme.example"

	view := h.addToDeal("U0MARIA", "C0ROOM", msg.TS)
	got, text := suggestions(view)
	var order []string
	for _, s := range got {
		order = append(order, s.group+": "+s.label)
	}
	want := []string{
		fmt.Sprintf("This deal's room: D-%d · Globex — Globex rollout (Lead)", room),
		fmt.Sprintf("Named in the message: D-%d · Acme Corp — Acme platform (Lead)", acme),
		fmt.Sprintf("Your recent deals: D-%d · Initech — Initech pilot (Lead)", initech),
	}
	if strings.Join(order, "\n") != strings.Join(want, "\n") {
		t.Errorf("suggestions:\n%s\nwant:\n%s", strings.Join(order, "\n"), strings.Join(want, "\n"))
	}
	if !strings.Contains(text, "Message from <@U0CUST>") || !strings.Contains(text, "&lt;b&gt;3 seats&lt;/b&gt; &amp; a call") {
		t.Errorf("the modal's preview: %s", text)
	}
	if len(view.PrivateMetadata) > 3000 || strings.Contains(view.PrivateMetadata, "xoxb") {
		t.Errorf("private_metadata: %s", view.PrivateMetadata)
	}

	// Added: the message is an activity of Acme's, the deal no longer stale.
	if ack, _ := h.submit("U0MARIA", view, map[string]string{"Deal": strconv.FormatInt(acme, 10)}); len(ack.Payload) > 0 && string(ack.Payload) != "null" {
		t.Fatalf("the form was refused: %s", ack.Payload)
	}
	if _, err := h.fake.WaitMessage(h.ctx, "DU0MARIA", func(m slackfake.Message) bool {
		return strings.Contains(m.Text, fmt.Sprintf("Message added to D-%d", acme)) && strings.Contains(blockText(m.Blocks), fmt.Sprintf("Open D-%d", acme))
	}); err != nil {
		t.Fatalf("Maria was not told: %v", err)
	}
	sent, _ := pipeline.MessageTime(msg.TS)
	link := "https://fake.slack.com/archives/C0ROOM/p" + strings.Replace(msg.TS, ".", "", 1)
	rows := h.capturedOn(h.team, acme)
	if len(rows) != 1 || rows[0].AuthorID != "U0MARIA" || rows[0].Author != "U0CUST" || !rows[0].At.Equal(sent) ||
		rows[0].Body != plain || rows[0].Permalink != link {
		t.Fatalf("activities = %+v", rows)
	}
	if n := h.count(`SELECT count(*) FROM deals WHERE workspace_id = $1 AND number = $2 AND last_activity_at = $3`, h.team, acme, now); n != 1 {
		t.Error("the deal's last activity did not move to now")
	}
	hist := h.command("U0MARIA", "/deal", fmt.Sprintf("history D-%d", acme)).all()
	if !strings.Contains(hist, "added <@U0CUST>'s message") || !strings.Contains(hist, "&lt;b&gt;3 seats&lt;/b&gt; &amp; a call") ||
		!strings.Contains(hist, "<"+link+"|view in Slack>") {
		t.Errorf("history: %s", hist)
	}

	// The same message again, by typing the deal: it is logged once.
	again := h.addToDeal("U0MARIA", "C0ROOM", msg.TS)
	h.submit("U0MARIA", again, map[string]string{"Or a deal number": fmt.Sprintf("D-%d", acme)})
	if _, err := h.fake.WaitMessage(h.ctx, "DU0MARIA", func(m slackfake.Message) bool {
		return strings.Contains(m.Text, fmt.Sprintf("already on D-%d", acme))
	}); err != nil {
		t.Errorf("the second add was not answered: %v", err)
	}
	if rows := h.capturedOn(h.team, acme); len(rows) != 1 {
		t.Errorf("logged %d times", len(rows))
	}

	// Priya may not change Maria's deal: it is not offered, and typing it
	// is refused with nothing written.
	pv := h.addToDeal("U0PRIYA", "C0ROOM", msg.TS)
	pgot, _ := suggestions(pv)
	offeredHers := false
	for _, s := range pgot {
		if s.number != strconv.FormatInt(priyas, 10) {
			t.Errorf("Priya is offered %+v", s)
		}
		offeredHers = true
	}
	if !offeredHers {
		t.Error("Priya is not offered her own deal")
	}
	h.submit("U0PRIYA", pv, map[string]string{"Or a deal number": fmt.Sprintf("D-%d", room)})
	if _, err := h.fake.WaitMessage(h.ctx, "DU0PRIYA", func(m slackfake.Message) bool {
		return strings.Contains(m.Text, ":no_entry:") && strings.Contains(m.Text, "<@U0MARIA>")
	}); err != nil {
		t.Errorf("Priya was not refused: %v", err)
	}
	if rows := h.capturedOn(h.team, room); len(rows) != 0 {
		t.Errorf("a refused add wrote %+v", rows)
	}

	// Another workspace: its person sees only their own deal, and typing
	// this workspace's numbers finds nothing.
	ev := other.addToDeal("U0EVE", "C0ROOM", msg.TS)
	egot, _ := suggestions(ev)
	if len(egot) != 1 || egot[0].number != strconv.FormatInt(elsewhere, 10) || !strings.Contains(egot[0].label, "Acme elsewhere") {
		t.Errorf("the other workspace is offered %+v", egot)
	}
	if elsewhere != room {
		other.submit("U0EVE", ev, map[string]string{"Or a deal number": fmt.Sprintf("D-%d", room)})
		if _, err := h.fake.WaitMessage(h.ctx, "DU0EVE", func(m slackfake.Message) bool {
			return strings.Contains(m.Text, fmt.Sprintf("can't find D-%d", room))
		}); err != nil {
			t.Errorf("another workspace's add was not refused: %v", err)
		}
	}
	h.svc.bot.WaitHandlers()
	if rows := h.capturedOn(h.team, room); len(rows) != 0 {
		t.Errorf("another workspace wrote %+v", rows)
	}
	if n := h.count(`SELECT count(*) FROM activities WHERE workspace_id = $1 AND kind = 'message'`, other.team); n != 0 {
		t.Errorf("the other workspace has %d captured messages", n)
	}
}

// A message that names no deal says so and offers the person's deals; a
// form with no deal chosen, or two different ones, is refused under the
// field; a message too long for private_metadata still opens, cut.
func TestAddToDealWithoutAMatch(t *testing.T) {
	now := time.Date(2026, 3, 10, 15, 0, 0, 0, time.UTC)
	h := setupAt(t, now)
	n := h.newDeal("U0MARIA", map[string]string{"Company": "Umbrella"})
	h.fake.AddChannel(slackfake.Channel{ID: "C0CUST", Name: "customers", Members: []string{"U0MARIA", "U0CUST"}})
	msg, _, err := h.fake.PostAsUser(h.ctx, slackfake.Message{User: "U0CUST", Channel: "C0CUST", Text: strings.Repeat("lunch \" &lt; ", 400)})
	if err != nil {
		t.Fatal(err)
	}
	view := h.addToDeal("U0MARIA", "C0CUST", msg.TS)
	got, text := suggestions(view)
	if len(got) != 1 || got[0].group != "Your recent deals" || got[0].number != strconv.FormatInt(n, 10) ||
		!strings.Contains(text, "No deal matches this message") {
		t.Errorf("suggestions %+v in %s", got, text)
	}
	if len(view.PrivateMetadata) > 3000 {
		t.Errorf("private_metadata is %d long", len(view.PrivateMetadata))
	}
	if ack, _ := h.submit("U0MARIA", view, nil); !strings.Contains(string(ack.Payload), "Choose a deal above or type its number") {
		t.Errorf("no deal: %s", ack.Payload)
	}
	if ack, _ := h.submit("U0MARIA", view, map[string]string{"Deal": strconv.FormatInt(n, 10), "Or a deal number": "D-999"}); !strings.Contains(string(ack.Payload), "keep one") {
		t.Errorf("two deals: %s", ack.Payload)
	}
	if ack, _ := h.submit("U0MARIA", view, map[string]string{"Or a deal number": "soon"}); !strings.Contains(string(ack.Payload), "is not a deal number") {
		t.Errorf("not a number: %s", ack.Payload)
	}
	h.submit("U0MARIA", view, map[string]string{"Deal": strconv.FormatInt(n, 10)})
	if _, err := h.fake.WaitMessage(h.ctx, "DU0MARIA", func(m slackfake.Message) bool {
		return strings.Contains(m.Text, fmt.Sprintf("Message added to D-%d", n))
	}); err != nil {
		t.Fatalf("not added: %v", err)
	}
	rows := h.capturedOn(h.team, n)
	if len(rows) != 1 || !strings.HasPrefix(rows[0].Body, "lunch \" < lunch") || !strings.HasSuffix(rows[0].Body, "…") {
		t.Errorf("activities = %+v", rows)
	}
}
