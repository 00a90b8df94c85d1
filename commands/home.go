package commands

import (
	"context"
	"fmt"
	"strings"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"salesbot/pipeline"
	"salesbot/render"
	"salesbot/sales"
)

// shortcutNewLead is the global shortcut's callback ID (features.shortcuts
// in manifest.yml).
const shortcutNewLead = "new_lead"

// homeEvent answers app_home_opened by publishing the person's Home tab
// after the ack.
func (a *App) homeEvent(ev slackevents.EventsAPIEvent) Reply {
	open, ok := ev.InnerEvent.Data.(*slackevents.AppHomeOpenedEvent)
	if !ok || open.User == "" || (open.Tab != "" && open.Tab != "home") {
		return Reply{}
	}
	team := ev.TeamID
	return Reply{Later: func(ctx context.Context) error {
		if _, _, err := a.sales.Actor(ctx, team, open.User); err == nil {
			if err := a.sales.HomeOpened(ctx, team, open.User); err != nil {
				a.log.Warn("home: mark opened", "team", team, "user", open.User, "error", err)
			}
		}
		return a.publishHome(ctx, team, open.User)
	}}
}

// homeAction handles the Home tab's and help's own buttons; ok is false
// for other actions. A Home row's Open (render.ActOpen) is the card button
// every message has: blockAction answers it, and as a Home tab has no
// response_url, the card comes as a DM.
func (a *App) homeAction(ctx context.Context, cb slack.InteractionCallback) (Reply, bool) {
	if len(cb.ActionCallback.BlockActions) == 0 {
		return Reply{}, false
	}
	act := cb.ActionCallback.BlockActions[0]
	if strings.HasPrefix(act.ActionID, render.ActHelpForm) {
		return a.helpFormAction(ctx, cb, act.Value), true
	}
	switch act.ActionID {
	case render.ActHomeNewLead:
		return a.openNewLead(cb.Team.ID, cb.User.ID, "", cb.TriggerID, render.FormHomeNewLead), true
	case render.ActHomeRep:
		return a.repPipeline(cb, act.Value), true
	case render.ActionFollowUpDone, render.ActionFollowUpSnooze:
		if cb.View.Type != slack.VTHomeTab {
			return Reply{}, false
		}
		// The reminder's buttons, on the Home tab: the same answer by DM,
		// then the tab without the follow-up (or with its new time).
		r := a.blockAction(ctx, cb)
		if r.Later != nil {
			later, team, user := r.Later, cb.Team.ID, cb.User.ID
			r.Later = func(ctx context.Context) error {
				err := later(ctx)
				a.dealsChanged(ctx, team, user)
				return err
			}
		}
		return r, true
	}
	return Reply{}, false
}

// repPipeline answers a rep row's Pipeline button on a manager's Home: the
// rep's open deals, by DM (a Home tab has no response_url).
func (a *App) repPipeline(cb slack.InteractionCallback, rep string) Reply {
	return a.buttonReply(cb, func(ctx context.Context, actor pipeline.User) (message, error) {
		p, err := a.sales.OwnerDeals(ctx, sales.OwnerDeals{Actor: actor, Owner: rep})
		if err != nil {
			return message{}, err
		}
		m := render.RepPipeline(p)
		return ephemeral(m.Text, m.Blocks...), nil
	})
}

// shortcut handles global shortcuts: "New lead" opens the New lead form.
func (a *App) shortcut(cb slack.InteractionCallback) Reply {
	if cb.CallbackID != shortcutNewLead {
		a.log.Debug("unhandled shortcut", "callback_id", cb.CallbackID, "team", cb.Team.ID)
		return Reply{}
	}
	return a.openNewLead(cb.Team.ID, cb.User.ID, "", cb.TriggerID, render.FormShortcutLead)
}

// openNewLead opens the same New lead form as /lead new; the trigger_id
// lasts three seconds, so nothing else happens before it.
func (a *App) openNewLead(team, user, channel, trigger string, form render.Form) Reply {
	return Reply{Transient: true, Later: func(ctx context.Context) error {
		meta := leadMeta{Channel: channel, Currency: a.currency(ctx, team)}
		return a.openModal(ctx, trigger, leadModal("", meta), modalOpen{Form: form, user: user})
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
			a.home.Request(homeKey{team: team, user: id, managerToo: true})
		}
	}
}

// publishHome builds and publishes the person's Home tab.
func (a *App) publishHome(ctx context.Context, team, user string) error {
	dbctx, cancel := context.WithTimeout(ctx, dbTimeout)
	defer cancel()
	view, err := a.homeView(dbctx, team, user)
	if err != nil {
		view = render.HomeUnavailable()
		a.log.Error("home: read", "team", team, "user", user, "error", err)
	}
	_, err = a.slack.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: user, View: view})
	if err != nil {
		return fmt.Errorf("publish home of %s: %w", user, err)
	}
	return nil
}

func (a *App) homeView(ctx context.Context, team, user string) (slack.HomeTabViewRequest, error) {
	actor, st, err := a.sales.Actor(ctx, team, user)
	if err != nil {
		return slack.HomeTabViewRequest{}, err
	}
	loc := a.userLocation(ctx, actor)
	h, err := a.sales.Home(ctx, sales.ReadHome{Actor: actor, Currency: st.Currency, Loc: loc})
	if err != nil {
		return slack.HomeTabViewRequest{}, err
	}
	return render.HomeView(h, loc), nil
}

// changedCard is the card shown after a change to d has committed: the Home
// tabs that show d are brought up to date first (dealsChanged).
func (a *App) changedCard(ctx context.Context, actor pipeline.User, d pipeline.Deal, summary string) (message, error) {
	a.dealsChanged(ctx, d.WorkspaceID, d.OwnerID)
	return a.cardMessage(ctx, actor, d, summary)
}
