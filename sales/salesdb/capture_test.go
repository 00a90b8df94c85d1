package salesdb_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"salesbot/pipeline"
	"salesbot/sales"
)

func (e env) addMessage(n int64, actor pipeline.User, text, key string) sales.AddMessage {
	return sales.AddMessage{Team: e.team, Actor: actor, Number: n, IdempotencyKey: key, Message: pipeline.CapturedMessage{
		Channel: "C0CUST", TS: "1773100000.000100", Author: "U0CUST", At: time.Unix(1773100000, 100000).UTC(),
		Text: text, Permalink: "https://x.example/archives/C0CUST/p1773100000000100"}}
}

// A message is added to a deal once: a redelivery changes nothing, a new
// request for the same message reports who added it, someone who may not
// change the deal is refused, and a message without text is refused.
func TestAddMessageLogsOncePerDeal(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	d := e.repDeal(t)
	rep := e.user(t, "U0REP1")
	long := strings.Repeat("é", pipeline.MaxNotesLen+50)

	res, err := e.svc.AddMessage(t.Context(), e.addMessage(d.Number, rep, long, "view:1"))
	if err != nil {
		t.Fatal(err)
	}
	if res.Already || res.Activity.Kind != pipeline.KindMessage || res.Activity.AuthorID != "U0REP1" || res.Activity.Source == nil ||
		res.Activity.Source.Author != "U0CUST" || utf8.RuneCountInString(res.Activity.Body) != pipeline.MaxNotesLen ||
		!res.Deal.LastActivityAt.Equal(now) {
		t.Errorf("added = %+v", res)
	}
	if _, err := e.svc.AddMessage(t.Context(), e.addMessage(d.Number, rep, long, "view:1")); !errors.Is(err, sales.ErrDuplicate) {
		t.Errorf("redelivery: %v, want ErrDuplicate", err)
	}
	again, err := e.svc.AddMessage(t.Context(), e.addMessage(d.Number, e.user(t, "U0ADMIN"), "other words", "view:2"))
	if err != nil || !again.Already || again.Activity.ID != res.Activity.ID || again.Activity.AuthorID != "U0REP1" {
		t.Errorf("the same message again = %+v, %v", again, err)
	}
	var f sales.ErrForbidden
	if _, err := e.svc.AddMessage(t.Context(), e.addMessage(d.Number, e.user(t, "U0REP2"), "hi", "view:3")); !errors.As(err, &f) || f.Owner != "U0REP1" {
		t.Errorf("another rep: %v, want ErrForbidden naming U0REP1", err)
	}
	var v *sales.ValidationError
	if _, err := e.svc.AddMessage(t.Context(), e.addMessage(d.Number, rep, "  ", "view:4")); !errors.As(err, &v) || v.Field != "message" {
		t.Errorf("no text: %v", err)
	}
	if n := e.count(t, `SELECT count(*) FROM activities WHERE deal_id = $1 AND kind = 'message'`, d.ID); n != 1 {
		t.Errorf("captured messages = %d, want 1", n)
	}
}

// The deal whose room the channel is comes first, but only for someone who
// may change it.
func TestSuggestDealsPutsTheRoomFirst(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	d := e.repDeal(t)
	if _, err := e.db.ExecContext(t.Context(), `INSERT INTO deal_rooms (workspace_id, deal_id, state, channel_id, private, requested_by, requested_at)
		VALUES ($1, $2, 'open', 'C0ROOM', false, 'U0REP1', $3)`, e.team, d.ID, now); err != nil {
		t.Fatal(err)
	}
	sg, err := e.svc.SuggestDeals(t.Context(), sales.SuggestDeals{Actor: e.user(t, "U0REP1"), Channel: "C0ROOM", Text: "hello"})
	if err != nil || !sg.Matched || len(sg.Deals) != 1 || sg.Deals[0].Deal.ID != d.ID || sg.Deals[0].Why != sales.SuggestRoom {
		t.Errorf("the owner's suggestions = %+v, %v", sg, err)
	}
	sg, err = e.svc.SuggestDeals(t.Context(), sales.SuggestDeals{Actor: e.user(t, "U0REP2"), Channel: "C0ROOM", Text: "Acme Corp"})
	if err != nil || sg.Matched || len(sg.Deals) != 0 {
		t.Errorf("another rep's suggestions = %+v, %v", sg, err)
	}
}

// Two people adding the same message to the same deal at once log it once:
// the deal's lock orders them, and the second is told it was there.
func TestAddMessageTwiceAtOnce(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	d := e.repDeal(t)
	actors := []pipeline.User{e.user(t, "U0REP1"), e.user(t, "U0ADMIN")}
	results := make(chan sales.MessageAdded, len(actors))
	errs := make(chan error, len(actors))
	for i, a := range actors {
		go func() {
			res, err := e.svc.AddMessage(t.Context(), e.addMessage(d.Number, a, "we are in", "view:at-once:"+string(rune('a'+i))))
			results <- res
			errs <- err
		}()
	}
	already := 0
	for range actors {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
		if (<-results).Already {
			already++
		}
	}
	if already != 1 {
		t.Errorf("%d of 2 were told the message was there already, want 1", already)
	}
	if n := e.count(t, `SELECT count(*) FROM activities WHERE deal_id = $1 AND kind = 'message'`, d.ID); n != 1 {
		t.Errorf("captured messages = %d, want 1", n)
	}
}

// A message added from another channel is posted in the deal's room, once;
// one added from the room itself is not posted there again.
func TestAddMessageReachesTheRoomFromElsewhere(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	d := e.repDeal(t)
	rep := e.user(t, "U0REP1")
	e.addRoom(t, e.team, d.ID, pipeline.RoomOpen, "C0ROOM")

	if _, err := e.svc.AddMessage(t.Context(), e.addMessage(d.Number, rep, "we need <b>SSO</b>", "view:1")); err != nil {
		t.Fatal(err)
	}
	inRoom := e.addMessage(d.Number, rep, "said in the room", "view:2")
	inRoom.Message.Channel, inRoom.Message.TS = "C0ROOM", "1773100001.000100"
	if _, err := e.svc.AddMessage(t.Context(), inRoom); err != nil {
		t.Fatal(err)
	}
	posts := e.roomPosts(t, e.team)
	if len(posts) != 1 || posts[0].Channel != "C0ROOM" || posts[0].Kind != "room_activity" ||
		!strings.Contains(posts[0].Text, "logged a Slack message on *"+d.Ref()+"*: we need &lt;b&gt;SSO&lt;/b&gt;") {
		t.Errorf("room posts = %+v, want the message from elsewhere only, escaped", posts)
	}
}

// A deal the message names by number comes first among the matches, before
// those whose account it names; a number of a deal the person may not
// change, or of none, is passed over.
func TestSuggestDealsPutsTheNamedNumberFirst(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	acme := e.ownedLead(t, "U0REP1", "Acme Corp")
	globex := e.ownedLead(t, "U0REP1", "Globex")
	theirs := e.ownedLead(t, "U0REP2", "Initech")
	text := fmt.Sprintf("Acme Corp asked about %s, %s and D-999", globex.Ref(), theirs.Ref())
	sg, err := e.svc.SuggestDeals(t.Context(), sales.SuggestDeals{Actor: e.user(t, "U0REP1"), Channel: "C0CUST", Text: text})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range sg.Deals {
		if d.Why == sales.SuggestMention {
			got = append(got, d.Deal.Ref())
		}
	}
	if want := []string{globex.Ref(), acme.Ref()}; !slices.Equal(got, want) {
		t.Errorf("named in the message: %v, want %v", got, want)
	}
}
