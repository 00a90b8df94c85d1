package scheduler

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"salesbot/outbox"
	"salesbot/pipeline"
	"salesbot/render"
	"salesbot/sales"
)

// Router re-routes leads whose owner did not accept them in time.
type Router interface {
	// RerouteExpiredHandoffsTx re-routes them in tx, the transaction that
	// claims the occurrence.
	RerouteExpiredHandoffsTx(ctx context.Context, tx *sqlx.Tx, teamID string, now time.Time) error
}

// digest posts the daily digest to the digest channel and DMs each manager
// their team's, once per occurrence.
func (s *Scheduler) digest(ctx context.Context, st pipeline.Settings, at time.Time) (plan, error) {
	day := at.In(pipeline.Zone(st.Timezone))
	stamp := fmt.Sprint(at.Unix())
	var msgs []outbox.Message
	if st.DigestChannel != "" {
		d, err := s.sales.Digest(ctx, sales.DigestRequest{Team: st.WorkspaceID, Day: day})
		if err != nil {
			return nil, err
		}
		msgs = append(msgs, report(st.WorkspaceID, st.DigestChannel, "digest", "digest:"+stamp+":"+st.DigestChannel, render.Digest(d)))
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
		d, err := s.sales.Digest(ctx, sales.DigestRequest{Team: st.WorkspaceID, Day: day, Manager: m.ID})
		if err != nil {
			return nil, err
		}
		msg := report(st.WorkspaceID, m.ID, "digest", "digest:"+stamp+":"+m.ID, render.Digest(d))
		msg.NotBefore = rc.notBefore(at)
		msgs = append(msgs, msg)
	}
	return func(ctx context.Context, tx *sqlx.Tx, out *outbox.Outbox) error {
		return enqueueAll(ctx, tx, out, msgs)
	}, nil
}

// leaderboard posts last week's leaderboard to the digest channel.
func (s *Scheduler) leaderboard(ctx context.Context, st pipeline.Settings, at time.Time) (plan, error) {
	if st.DigestChannel == "" {
		return nil, nil
	}
	local := at.In(pipeline.Zone(st.Timezone))
	to := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, local.Location())
	from := to.AddDate(0, 0, -7)
	l, err := s.sales.Leaderboard(ctx, sales.LeaderboardRequest{Team: st.WorkspaceID, From: from, To: to})
	if err != nil {
		return nil, err
	}
	msg := report(st.WorkspaceID, st.DigestChannel, "leaderboard", fmt.Sprintf("leaderboard:%d", at.Unix()), render.LeaderboardReport(l))
	png, err := render.FunnelChart(l.Rows, l.Currency)
	if err != nil {
		s.log.Warn("funnel chart", "team", st.WorkspaceID, "error", err)
	}
	if len(png) > 0 {
		msg.Chart = &outbox.Chart{PNG: png, Filename: "funnel.png", Title: "Pipeline funnel"}
	}
	return func(ctx context.Context, tx *sqlx.Tx, out *outbox.Outbox) error {
		return out.Enqueue(ctx, tx.Tx, msg)
	}, nil
}

// report is a digest or leaderboard post; more blocks than Slack allows
// fall back to the text.
func report(team, channel, kind, key string, r render.Report) outbox.Message {
	text, blocks := r.Text(), r.Blocks()
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
