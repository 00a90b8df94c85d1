package commands

import (
	"context"
	"errors"
	"fmt"
	"salesbot/render"

	"github.com/slack-go/slack"
)

// modalOpen says which form a views.open call is for, for the message a
// person gets when it fails, and where to tell them.
type modalOpen struct {
	render.Form
	responseURL string // where to answer; empty: by DM to user
	user        string
}

// openModal opens view with trigger. When Slack refuses (an expired
// trigger, a Slack error, no answer), the person is told which form did not
// open and what to do, and the error comes back marked Told.
func (a *App) openModal(ctx context.Context, trigger string, view slack.ModalViewRequest, m modalOpen) error {
	_, err := a.slack.OpenViewContext(ctx, trigger, view)
	if err == nil {
		return nil
	}
	text := render.ModalFailed(m.Form, err)
	tctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), tellTimeout)
	defer cancel()
	terr := a.tell(tctx, m.responseURL, m.user, ephemeral(text))
	if terr != nil && m.responseURL != "" && m.user != "" {
		// The response_url may be what is failing: try a DM.
		terr = a.tell(tctx, "", m.user, ephemeral(text))
	}
	if terr != nil {
		return fmt.Errorf("open the %s form: %w", m.Name, errors.Join(err, fmt.Errorf("tell user: %w", terr)))
	}
	return Told(fmt.Errorf("open the %s form: %w", m.Name, err))
}
