package main

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"salesbot/internal/slackfake"
)

// Slack refusing one person with a code salesbot does not sort
// (cant_invite) skips that person, Slack's code told to the requester;
// the others are invited and the card pinned on the first attempt.
func TestDealRoomInviteRefusalSkipsThePerson(t *testing.T) {
	h := setup(t)
	h.command("U0ADMIN", "/salesbot", "team <@U0MGR> <@U0MARIA>")
	n := h.newDeal("U0MARIA", map[string]string{"Company": "Soylent"})
	// The whole call, then the owner alone, refused.
	h.fake.SetFailure("conversations.invite", slackfake.Failure{Times: 2, Error: "cant_invite"})
	h.command("U0MARIA", "/deal", fmt.Sprintf("room D-%d", n))
	ch := h.roomOpened("U0MARIA", n)
	if slices.Contains(ch.Members, "U0MARIA") || !slices.Contains(ch.Members, "U0MGR") {
		t.Errorf("members %v, want the manager without the refused owner", ch.Members)
	}
	h.checkPinnedCard(ch, n)
	if _, err := h.fake.WaitMessage(h.ctx, "DU0MARIA", func(m slackfake.Message) bool {
		return strings.Contains(m.Text, "<@U0MARIA> was not invited: Slack refused it (cant_invite).")
	}); err != nil {
		t.Errorf("the requester was not told who was skipped: %v", err)
	}
	if got := len(h.fake.Calls("conversations.create")); got != 1 {
		t.Errorf("conversations.create called %d times", got)
	}
}

// Slack never accepting the invitations: the job's last attempt still
// posts and pins the card, and the requester is told people could not be
// invited, with Slack's code.
func TestDealRoomLastAttemptPostsTheCardWithoutInvitations(t *testing.T) {
	h := setup(t)
	n := h.newDeal("U0MARIA", map[string]string{"Company": "Umbrella"})
	h.fake.SetFailure("conversations.invite", slackfake.Failure{Times: 1000})
	h.command("U0MARIA", "/deal", fmt.Sprintf("room D-%d", n))
	// After the first failed attempt, the next one is made the last.
	waitUntil(t, h.ctx, "a failed attempt", func() bool {
		return h.count(`WITH u AS (UPDATE river_job SET max_attempts = attempt + 1 WHERE kind = 'room_open'
			AND args->>'team_id' = $1 AND state = 'retryable' RETURNING 1) SELECT count(*) FROM u`, h.team) == 1
	})
	ch := h.roomOpened("U0MARIA", n)
	h.checkPinnedCard(ch, n)
	if _, err := h.fake.WaitMessage(h.ctx, "DU0MARIA", func(m slackfake.Message) bool {
		return strings.Contains(m.Text, "People could not be invited: Slack refused it (internal_error).")
	}); err != nil {
		t.Errorf("the requester was not told: %v", err)
	}
	h.fake.SetFailure("conversations.invite", slackfake.Failure{})
}
