package render

import (
	"bytes"
	"testing"
	"time"

	"salesbot/pipeline"
)

// What deal mentions show: the writer's card (an account with markup
// escaped), the post when they share it, and the switch's answers.
func TestGoldenMentions(t *testing.T) {
	d := pipeline.Deal{Number: 42, AccountName: "Acme <!channel> & Co", Title: "Renewal", Stage: pipeline.StageProposal,
		Value: pipeline.Money{Minor: 1_250_000, Currency: "USD"}, OwnerID: "U0MARIA"}
	var b bytes.Buffer
	card := MentionCard(d, nil, "1700000000.000100")
	b.Write(messageText(t, card.Text, card.Blocks))
	shared := SharedCard(d, nil, "U0SAM")
	b.Write(messageText(t, shared.Text, shared.Blocks))
	set := pipeline.ChannelSettings{Mentions: true, ChangedBy: "U0ADMIN", ChangedAt: time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)}
	for _, s := range []string{MentionShared(d), MentionsStatus(pipeline.ChannelSettings{}, time.UTC), MentionsStatus(set, time.UTC),
		MentionsTurned(true, false), MentionsTurned(true, true), MentionsTurned(false, false), MentionsUsage, MentionsNotInChannel,
		ShareRefused("not_in_channel"), ShareRefused("is_archived"), ShareRefused("restricted_action")} {
		b.WriteString("---\n" + s + "\n")
	}
	golden(t, "mentions", b.Bytes())
}

func TestShareValueRoundTrip(t *testing.T) {
	n, ts, ok := ParseShareValue(ShareValue(42, "1700000000.000100"))
	if !ok || n != 42 || ts != "1700000000.000100" {
		t.Errorf("round trip: %d %q %v", n, ts, ok)
	}
	n, ts, thread, ok := ParseShareThreadValue(ShareThreadValue(42, "1700000000.000200", "1700000000.000100"))
	if !ok || n != 42 || ts != "1700000000.000200" || thread != "1700000000.000100" {
		t.Errorf("round trip in a thread: %d %q %q %v", n, ts, thread, ok)
	}
	if _, _, thread, ok := ParseShareThreadValue(ShareValue(42, "1.0")); !ok || thread != "" {
		t.Errorf("a top-level value read as in thread %q", thread)
	}
	for _, bad := range []string{"", "42", "x:1.0", "0:1.0", "-3:1.0", "42:"} {
		if _, _, ok := ParseShareValue(bad); ok {
			t.Errorf("ParseShareValue(%q) accepted", bad)
		}
	}
}
