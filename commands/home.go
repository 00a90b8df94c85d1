package commands

import (
	"context"
	"fmt"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"salesbot/pipeline"
	"salesbot/store"
)

// Action and callback IDs of the App Home and the global shortcut.
const (
	actHomeNewLead  = "home_new_lead"
	shortcutNewLead = "new_lead" // features.shortcuts in manifest.yml
)

// homeEvent answers app_home_opened by publishing the person's Home tab
// after the ack.
func (a *App) homeEvent(ev slackevents.EventsAPIEvent) Reply {
	open, ok := ev.InnerEvent.Data.(*slackevents.AppHomeOpenedEvent)
	if !ok || open.User == "" || (open.Tab != "" && open.Tab != "home") {
		return Reply{}
	}
	team := ev.TeamID
	return Reply{Later: func(ctx context.Context) error {
		if _, _, err := a.actor(ctx, team, open.User); err == nil {
			if err := a.store.MarkHomeOpened(ctx, a.store.DB(), team, open.User); err != nil {
				a.log.Warn("home: mark opened", "team", team, "user", open.User, "error", err)
			}
		}
		return a.publishHome(ctx, team, open.User)
	}}
}

// homeAction handles the Home tab's buttons; ok is false for other actions.
func (a *App) homeAction(cb slack.InteractionCallback) (Reply, bool) {
	if len(cb.ActionCallback.BlockActions) == 0 || cb.ActionCallback.BlockActions[0].ActionID != actHomeNewLead {
		return Reply{}, false
	}
	return a.openNewLead(cb.Team.ID, cb.User.ID, "", cb.TriggerID, "click *New lead* again"), true
}

// shortcut handles global shortcuts: "New lead" opens the New lead form.
func (a *App) shortcut(cb slack.InteractionCallback) Reply {
	if cb.CallbackID != shortcutNewLead {
		a.log.Debug("unhandled shortcut", "callback_id", cb.CallbackID, "team", cb.Team.ID)
		return Reply{}
	}
	return a.openNewLead(cb.Team.ID, cb.User.ID, "", cb.TriggerID, "use the *New lead* shortcut again")
}

// openNewLead opens the same New lead form as /lead new; the trigger_id
// lasts three seconds, so nothing else happens before it.
func (a *App) openNewLead(team, user, channel, trigger, again string) Reply {
	return Reply{Transient: true, Later: func(ctx context.Context) error {
		meta := leadMeta{Channel: channel, Currency: a.currency(ctx, team)}
		return a.openModal(ctx, trigger, leadModal("", meta), modalOpen{form: "New lead", again: again, user: user})
	}}
}

// dealsChanged is the one seam through which every change to someone's
// deals reaches the App Home: called after the change has committed, it asks
// for the Home tab of each person given, and of their manager (whose Home
// shows the team), to be republished. It never blocks and never touches the
// database itself: the refresh runs in RunHome's workers, so a burst of
// changes never competes with the changes themselves for connections.
func (a *App) dealsChanged(_ context.Context, team string, users ...string) {
	if team == "" {
		return
	}
	for _, id := range users {
		if id != "" {
			a.home.request(homeKey{team: team, user: id, managerToo: true})
		}
	}
}

// homeDeals bounds how many deals the Home tab reads per list.
const homeDeals = 200

// publishHome builds and publishes the person's Home tab.
func (a *App) publishHome(ctx context.Context, team, user string) error {
	dbctx, cancel := context.WithTimeout(ctx, dbTimeout)
	defer cancel()
	h, err := a.homeData(dbctx, team, user)
	if err != nil {
		h = homeData{failed: true}
		a.log.Error("home: read", "team", team, "user", user, "error", err)
	}
	_, err = a.slack.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: user, View: homeView(h)})
	if err != nil {
		return fmt.Errorf("publish home of %s: %w", user, err)
	}
	return nil
}

func (a *App) homeData(ctx context.Context, team, user string) (homeData, error) {
	actor, st, err := a.actor(ctx, team, user)
	if err != nil {
		return homeData{}, err
	}
	h := homeData{user: actor, currency: st.Currency, now: a.now(), loc: a.userLocation(ctx, actor)}
	if h.stages, err = a.store.Stages(ctx, a.store.DB(), team); err != nil {
		return h, err
	}
	mine := []string{user}
	if h.open, err = a.store.ListDeals(ctx, a.store.DB(), team, store.DealFilter{OwnerIDs: mine, OpenOnly: true, Limit: homeDeals}); err != nil {
		return h, err
	}
	y, m, d := h.now.In(h.loc).Date()
	endOfToday := time.Date(y, m, d+1, 0, 0, 0, 0, h.loc)
	if h.due, err = a.store.FollowUpsDue(ctx, a.store.DB(), team, mine, endOfToday, homeDeals); err != nil {
		return h, err
	}
	if h.stale, err = a.store.StaleDealsOf(ctx, a.store.DB(), team, mine, h.now, homeDeals); err != nil {
		return h, err
	}
	if actor.Role == pipeline.RoleRep {
		return h, nil
	}
	if h.team, err = a.store.TeamOf(ctx, a.store.DB(), team, user); err != nil || len(h.team) == 0 {
		return h, err
	}
	ids := make([]string, len(h.team))
	for i, u := range h.team {
		ids[i] = u.ID
	}
	if h.teamOpen, err = a.store.OpenByOwner(ctx, a.store.DB(), team, ids); err != nil {
		return h, err
	}
	stale, err := a.store.StaleDealsOf(ctx, a.store.DB(), team, ids, h.now, 10*homeDeals)
	h.teamStale = map[string]int{}
	for _, d := range stale {
		h.teamStale[d.OwnerID]++
	}
	return h, err
}

// changedCard is the card shown after a change to d has committed: the Home
// tabs that show d are brought up to date first (dealsChanged).
func (a *App) changedCard(ctx context.Context, actor pipeline.User, d pipeline.Deal, summary string) (message, error) {
	a.dealsChanged(ctx, d.WorkspaceID, d.OwnerID)
	return a.cardMessage(ctx, actor, d, summary)
}
