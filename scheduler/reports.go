package scheduler

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/slack-go/slack"

	"salesbot/outbox"
	"salesbot/pipeline"
)

// Reports renders the digest and the leaderboard; the commands package
// implements it, so that /pipeline digest and the scheduled digest say the
// same thing.
type Reports interface {
	// Digest is the daily digest of day (a time in the workspace's
	// timezone on that day) for the whole workspace (managerID "") or for
	// one manager's team.
	Digest(ctx context.Context, teamID string, day time.Time, managerID string) (text string, blocks []slack.Block, err error)
	// Leaderboard is the leaderboard over [from, to), with its funnel chart
	// as a PNG (nil when there is none).
	Leaderboard(ctx context.Context, teamID string, from, to time.Time) (text string, blocks []slack.Block, chartPNG []byte, err error)
}

// Router re-routes leads whose owner did not accept them in time.
type Router interface {
	// RerouteExpiredHandoffsTx re-routes them in tx, the transaction that
	// claims the occurrence.
	RerouteExpiredHandoffsTx(ctx context.Context, tx *sqlx.Tx, teamID string, now time.Time) error
}

// digest posts the daily digest to the digest channel and DMs each manager
// their team's, once per occurrence.
func (s *Scheduler) digest(ctx context.Context, st pipeline.Settings, at time.Time) (plan, error) {
	if s.reports == nil {
		return nil, nil
	}
	day := at.In(location(st.Timezone))
	stamp := fmt.Sprint(at.Unix())
	var msgs []outbox.Message
	if st.DigestChannel != "" {
		text, blocks, err := s.reports.Digest(ctx, st.WorkspaceID, day, "")
		if err != nil {
			return nil, err
		}
		msgs = append(msgs, report(st.WorkspaceID, st.DigestChannel, "digest", "digest:"+stamp+":"+st.DigestChannel, text, blocks))
	}
	managers, err := s.store.Managers(ctx, s.store.DB(), st.WorkspaceID)
	if err != nil {
		return nil, err
	}
	for _, m := range managers {
		rc := newRecipient(m, st)
		if !rc.want(pipeline.NotifyDigest) {
			continue
		}
		text, blocks, err := s.reports.Digest(ctx, st.WorkspaceID, day, m.ID)
		if err != nil {
			return nil, err
		}
		msg := report(st.WorkspaceID, m.ID, "digest", "digest:"+stamp+":"+m.ID, text, blocks)
		msg.NotBefore = rc.notBefore(at)
		msgs = append(msgs, msg)
	}
	return func(ctx context.Context, tx *sqlx.Tx, out *outbox.Outbox) error {
		return enqueueAll(ctx, tx, out, msgs)
	}, nil
}

// leaderboard posts last week's leaderboard to the digest channel.
func (s *Scheduler) leaderboard(ctx context.Context, st pipeline.Settings, at time.Time) (plan, error) {
	if s.reports == nil || st.DigestChannel == "" {
		return nil, nil
	}
	local := at.In(location(st.Timezone))
	to := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, local.Location())
	from := to.AddDate(0, 0, -7)
	text, blocks, png, err := s.reports.Leaderboard(ctx, st.WorkspaceID, from, to)
	if err != nil {
		return nil, err
	}
	msg := report(st.WorkspaceID, st.DigestChannel, "leaderboard", fmt.Sprintf("leaderboard:%d", at.Unix()), text, blocks)
	if len(png) > 0 {
		msg.Chart = &outbox.Chart{PNG: png, Filename: "funnel.png", Title: "Pipeline funnel"}
	}
	return func(ctx context.Context, tx *sqlx.Tx, out *outbox.Outbox) error {
		return out.Enqueue(ctx, tx.Tx, msg)
	}, nil
}

// report is a digest or leaderboard post; more blocks than Slack allows
// fall back to the text.
func report(team, channel, kind, key, text string, blocks []slack.Block) outbox.Message {
	m := outbox.Message{TeamID: team, Channel: channel, Kind: kind, Key: key, Text: text}
	if len(blocks) > 0 && len(blocks) <= 50 {
		if b, err := json.Marshal(blocks); err == nil { // blocks built in code always encode
			m.Blocks = b
		}
	}
	if m.Text == "" {
		m.Text = "Your " + kind
	}
	return m
}

// handoff has the router re-route leads whose handoff timed out, in the
// transaction that claims the occurrence: the re-routing and the claim
// commit together, or neither does.
func (s *Scheduler) handoff(_ context.Context, st pipeline.Settings, at time.Time) (plan, error) {
	if s.router == nil {
		return nil, nil
	}
	return func(ctx context.Context, tx *sqlx.Tx, _ *outbox.Outbox) error {
		return s.router.RerouteExpiredHandoffsTx(ctx, tx, st.WorkspaceID, at)
	}, nil
}
