package scheduler

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/slack-go/slack"

	"salesbot/commands"
	"salesbot/outbox"
	"salesbot/pipeline"
	"salesbot/store"
)

// personAlerts is what one person hears about in the morning run.
type personAlerts struct {
	stale     []store.StaleDeal // their deals gone quiet
	close     []pipeline.Deal   // their deals past the expected close date
	escalated []store.StaleDeal // their team's deals quiet for twice the limit
}

// Items per section of one message, so that the whole stays under Slack's
// 50 blocks: two blocks per stale or close item, one per escalation, a
// header and a "more" line per section.
const (
	maxStaleItems = 10
	maxCloseItems = 6
	maxEscItems   = 10
)

// morning sends each person one DM with what needs them today: their deals
// idle past the stage's threshold (once a local day per deal; snoozed deals
// are quiet), their deals past the expected close date, and, for managers,
// their team's deals idle for twice the threshold. Several alerts for one
// person at one time are one message, not a burst.
func (s *Scheduler) morning(ctx context.Context, st pipeline.Settings, at time.Time) (plan, error) {
	day := at.In(location(st.Timezone)).Format(time.DateOnly)
	byPerson := map[string]*personAlerts{}
	var order []string
	get := func(id string) *personAlerts {
		if byPerson[id] == nil {
			byPerson[id] = &personAlerts{}
			order = append(order, id)
		}
		return byPerson[id]
	}
	var alerted, escalated, closeIDs []int64
	if enabled(st, pipeline.JobStale) {
		deals, err := s.store.StaleForAlert(ctx, st.WorkspaceID, at, day)
		if err != nil {
			return nil, err
		}
		for _, d := range deals {
			if !d.AlertedToday {
				get(d.OwnerID).stale = append(get(d.OwnerID).stale, d)
				alerted = append(alerted, d.ID)
			}
			if !d.EscalatedToday && d.ManagerID != "" && idleDays(d, at) >= 2*d.StaleDays {
				get(d.ManagerID).escalated = append(get(d.ManagerID).escalated, d)
				escalated = append(escalated, d.ID)
			}
		}
	}
	if enabled(st, pipeline.JobClosePassed) {
		deals, err := s.store.ClosePassed(ctx, st.WorkspaceID, day)
		if err != nil {
			return nil, err
		}
		for _, d := range deals {
			get(d.OwnerID).close = append(get(d.OwnerID).close, d)
			closeIDs = append(closeIDs, d.ID)
		}
	}
	if len(order) == 0 {
		return nil, nil
	}
	prefs, err := s.store.Recipients(ctx, st.WorkspaceID, order)
	if err != nil {
		return nil, err
	}
	var msgs []outbox.Message
	for _, id := range order {
		p, active := prefs[id]
		if !active {
			continue // deactivated: their deals are marked, nothing is sent
		}
		rc := newRecipient(p, st)
		a := byPerson[id]
		if !rc.want(pipeline.NotifyStale) {
			a.stale = nil
		}
		if !rc.want(pipeline.NotifyClose) {
			a.close = nil
		}
		if !rc.want(pipeline.NotifyEscalation) {
			a.escalated = nil
		}
		if m, ok := alertsMessage(st.WorkspaceID, id, day, a, rc, at); ok {
			msgs = append(msgs, m)
		}
	}
	return func(ctx context.Context, tx *sqlx.Tx, out *outbox.Outbox) error {
		if err := s.store.MarkStaleAlerted(ctx, tx, st.WorkspaceID, alerted, day); err != nil {
			return err
		}
		if err := s.store.MarkEscalated(ctx, tx, st.WorkspaceID, escalated, day); err != nil {
			return err
		}
		if err := s.store.MarkCloseAlerted(ctx, tx, st.WorkspaceID, closeIDs, day); err != nil {
			return err
		}
		return enqueueAll(ctx, tx, out, msgs)
	}, nil
}

func idleDays(d store.StaleDeal, at time.Time) int {
	return int(at.Sub(d.LastActivityAt) / (24 * time.Hour))
}

// alertsMessage is one person's morning DM; ok is false when nothing is left
// to say after their choices.
func alertsMessage(team, person, day string, a *personAlerts, rc recipient, at time.Time) (outbox.Message, bool) {
	var blocks []slack.Block
	var lines []string
	// The notification text names the first deal of each section.
	section := func(emoji, headline, first string) {
		lines = append(lines, headline+": "+first)
		blocks = append(blocks, slack.NewSectionBlock(mrkdwn(emoji+" *"+headline+"*"), nil, nil))
	}
	if n := len(a.stale); n > 0 {
		section(":hourglass:", plural(n, "One of your deals has gone quiet", "%d of your deals have gone quiet"), a.stale[0].Ref())
		for i, d := range a.stale {
			if i == maxStaleItems {
				blocks = append(blocks, moreLine(n-i, "`/pipeline stale` lists them all."))
				break
			}
			num := fmt.Sprint(d.Number)
			blocks = append(blocks,
				slack.NewSectionBlock(mrkdwn(fmt.Sprintf("%s\n%s · no activity for %d days (limit %d)",
					dealLine(d.Deal), d.Stage, idleDays(d, at), d.StaleDays)), nil, nil),
				slack.NewActionBlock("stale:"+num,
					button(actionDealNote, num, "Log activity"),
					button(commands.ActionDealSnooze, num, "Snooze 7 days"),
					button(actionDealMove, num, "Move"),
					button(actionDealLost, num, "Lost")))
		}
	}
	if n := len(a.close); n > 0 {
		section(":calendar:", plural(n, "A deal is past its expected close date", "%d deals are past their expected close date"), a.close[0].Ref())
		for i, d := range a.close {
			if i == maxCloseItems {
				blocks = append(blocks, moreLine(n-i, "Update their close dates with `/deal edit`."))
				break
			}
			num := fmt.Sprint(d.Number)
			blocks = append(blocks,
				slack.NewSectionBlock(mrkdwn(fmt.Sprintf("%s\nExpected to close %s · %s",
					dealLine(d), d.ExpectedClose.Format("Jan 2, 2006"), d.Stage)), nil, nil),
				slack.NewActionBlock("close:"+num, button(actionDealEdit, num, "Edit"),
					button(actionDealMove, num, "Move"), button(actionDealLost, num, "Lost")))
		}
	}
	if n := len(a.escalated); n > 0 {
		section(":rotating_light:", plural(n, "A deal on your team has been idle for twice its limit",
			"%d deals on your team have been idle for twice their limit"), a.escalated[0].Ref())
		for i, d := range a.escalated {
			if i == maxEscItems {
				blocks = append(blocks, moreLine(n-i, "`/pipeline stale team` lists them all."))
				break
			}
			blocks = append(blocks, slack.NewSectionBlock(mrkdwn(fmt.Sprintf("%s\nOwner %s · %s · no activity for %d days (limit %d)",
				dealLine(d.Deal), mention(d.OwnerID), d.Stage, idleDays(d, at), d.StaleDays)), nil, nil))
		}
	}
	if len(lines) == 0 {
		return outbox.Message{}, false
	}
	return outbox.Message{TeamID: team, Channel: person, Kind: "alerts",
		Text: strings.Join(lines, " · "), Blocks: blocksJSON(blocks),
		Key: "alerts:" + person + ":" + day, NotBefore: rc.notBefore(at)}, true
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return fmt.Sprintf(many, n)
}
