package salesdb

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/jmoiron/sqlx"

	"salesbot/pipeline"
	"salesbot/sales"
	"salesbot/store"
)

// Events delivers the events the use cases publish to the endpoints named
// in each, in the change's transaction: sent if and only if the change
// commits.
type Events interface {
	Publish(ctx context.Context, tx *sql.Tx, e sales.Event) error
}

// WebhookGuard checks an endpoint's URL before it is added: what a
// delivery could reach (no private addresses, https). It returns the URL as
// it will be stored, or an error whose text the admin can act on.
type WebhookGuard interface {
	CheckURL(ctx context.Context, raw string) (string, error)
}

const (
	maxWebhookURL   = 2000
	maxWebhooks     = 100
	webhookSecretSz = 32
	secretStart     = "whsec_"
)

// publish tells the endpoints subscribed to typ of d's change, in tx. It
// does nothing without Events or without a subscriber.
func (s *Service) publish(ctx context.Context, tx *sqlx.Tx, typ string, d pipeline.Deal, prev pipeline.Stage) error {
	if s.events == nil {
		return nil
	}
	ids, err := s.store.WebhookSubscribers(ctx, tx, d.WorkspaceID, typ)
	if err != nil || len(ids) == 0 {
		return err
	}
	id, err := eventID()
	if err != nil {
		return err
	}
	return s.events.Publish(ctx, tx.Tx, sales.Event{ID: id, Type: typ, Team: d.WorkspaceID, OccurredAt: s.now(),
		Deal: d, PreviousStage: prev, Endpoints: ids})
}

// stageEvent is the event of a stage change: a win and a loss are their
// own events, not also stage changes.
func stageEvent(c pipeline.StageChange) string {
	switch c.To {
	case pipeline.StageWon:
		return pipeline.EventDealWon
	case pipeline.StageLost:
		return pipeline.EventDealLost
	}
	return pipeline.EventDealStageChanged
}

func eventID() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return "evt_" + hex.EncodeToString(b), nil
}

// AddWebhook adds an endpoint for in.Events (all of them when none is
// named) once per in.IdempotencyKey (admins only), with a new signing
// secret, returned this once.
func (s *Service) AddWebhook(ctx context.Context, in sales.AddWebhook) (sales.WebhookAdded, error) {
	if err := validPeople(in.Team, in.Actor, in.Actor.ID); err != nil {
		return sales.WebhookAdded{}, err
	}
	if err := requireAdmin(in.Actor, "manage webhooks"); err != nil {
		return sales.WebhookAdded{}, err
	}
	events, err := webhookEvents(in.Events)
	if err != nil {
		return sales.WebhookAdded{}, err
	}
	u, err := s.webhookURL(ctx, in.URL)
	if err != nil {
		return sales.WebhookAdded{}, err
	}
	b := make([]byte, webhookSecretSz)
	if _, err := rand.Read(b); err != nil {
		return sales.WebhookAdded{}, err
	}
	secret := secretStart + base64.RawURLEncoding.EncodeToString(b)
	var w sales.Webhook
	err = s.once(ctx, in.Team, in.IdempotencyKey, func(tx *sqlx.Tx) error {
		have, err := s.store.Webhooks(ctx, tx, in.Team)
		if err != nil {
			return err
		}
		if len(have) >= maxWebhooks {
			return invalid("url", "A workspace has at most %d webhooks: remove one first.", maxWebhooks)
		}
		w, err = s.store.InsertWebhook(ctx, tx, sales.Webhook{Team: in.Team, URL: u, Events: events,
			CreatedBy: in.Actor.ID, CreatedAt: s.now()}, secret)
		return err
	})
	if err != nil {
		return sales.WebhookAdded{}, err
	}
	return sales.WebhookAdded{Webhook: w, Secret: secret}, nil
}

// webhookEvents reads the events typed, each once, in the usual order.
func webhookEvents(typed []string) ([]string, error) {
	if len(typed) == 0 {
		return slices.Clone(pipeline.WebhookEvents), nil
	}
	var out []string
	for _, e := range pipeline.WebhookEvents {
		if slices.ContainsFunc(typed, func(t string) bool { return strings.EqualFold(strings.TrimSpace(t), e) }) {
			out = append(out, e)
		}
	}
	for _, t := range typed {
		if !pipeline.ValidWebhookEvent(strings.ToLower(strings.TrimSpace(t))) {
			return nil, invalid("events", "%q is not an event. The events are %s.", clip(t, 40),
				strings.Join(pipeline.WebhookEvents, ", "))
		}
	}
	return out, nil
}

// webhookURL checks raw as an endpoint's URL, through the guard when there
// is one (which knows what deliveries may reach), else as an https URL.
func (s *Service) webhookURL(ctx context.Context, raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", invalid("url", "Say where to send the events: an https:// URL.")
	}
	if len(raw) > maxWebhookURL {
		return "", invalid("url", "A webhook's URL has at most %d characters.", maxWebhookURL)
	}
	if s.guard != nil {
		u, err := s.guard.CheckURL(ctx, raw)
		if err != nil {
			return "", invalid("url", "%s", err.Error())
		}
		return u, nil
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "https" || u.Hostname() == "" || u.User != nil {
		return "", invalid("url", "%q is not an https:// URL.", clip(raw, 60))
	}
	return u.String(), nil
}

// ListWebhooks are the workspace's endpoints, oldest first (admins only).
func (s *Service) ListWebhooks(ctx context.Context, in sales.ListWebhooks) ([]sales.Webhook, error) {
	if err := validPeople(in.Team, in.Actor, in.Actor.ID); err != nil {
		return nil, err
	}
	if err := requireAdmin(in.Actor, "see webhooks"); err != nil {
		return nil, err
	}
	return s.store.Webhooks(ctx, s.store.DB(), in.Team)
}

// RemoveWebhook removes an endpoint once per in.IdempotencyKey (admins
// only): its deliveries still queued stop.
func (s *Service) RemoveWebhook(ctx context.Context, in sales.WebhookRequest) (sales.Webhook, error) {
	id, err := s.webhookRequest(in, "remove webhooks")
	if err != nil {
		return sales.Webhook{}, err
	}
	var w sales.Webhook
	err = s.once(ctx, in.Team, in.IdempotencyKey, func(tx *sqlx.Tx) error {
		var err error
		w, err = s.store.DeleteWebhook(ctx, tx, in.Team, id)
		if errors.Is(err, store.ErrNotFound) {
			return sales.ErrNoSuchWebhook{ID: clip(in.ID, 20)}
		}
		return err
	})
	return w, err
}

// TestWebhook sends a webhook.test event to one endpoint, once per
// in.IdempotencyKey (admins only), through the same queue as the others;
// a disabled endpoint gets it too, and is active again when it answers.
func (s *Service) TestWebhook(ctx context.Context, in sales.WebhookRequest) (sales.Webhook, error) {
	id, err := s.webhookRequest(in, "test webhooks")
	if err != nil {
		return sales.Webhook{}, err
	}
	if s.events == nil {
		return sales.Webhook{}, errors.New("webhooks are not delivered by this process")
	}
	var w sales.Webhook
	err = s.once(ctx, in.Team, in.IdempotencyKey, func(tx *sqlx.Tx) error {
		var err error
		w, _, err = s.store.WebhookTarget(ctx, tx, in.Team, id)
		if errors.Is(err, store.ErrNotFound) {
			return sales.ErrNoSuchWebhook{ID: clip(in.ID, 20)}
		}
		if err != nil {
			return err
		}
		evt, err := eventID()
		if err != nil {
			return err
		}
		return s.events.Publish(ctx, tx.Tx, sales.Event{ID: evt, Type: pipeline.EventWebhookTest, Team: in.Team,
			OccurredAt: s.now(), Endpoints: []int64{id}})
	})
	return w, err
}

// webhookRequest checks a request naming one endpoint and reads its ID.
func (s *Service) webhookRequest(in sales.WebhookRequest, what string) (int64, error) {
	if err := validPeople(in.Team, in.Actor, in.Actor.ID); err != nil {
		return 0, err
	}
	id, err := strconv.ParseInt(strings.TrimPrefix(strings.TrimSpace(in.ID), "#"), 10, 64)
	if err != nil || id <= 0 {
		return 0, invalid("id", "Say which webhook: its number, as `/salesbot webhook list` shows it.")
	}
	return id, requireAdmin(in.Actor, what)
}

// WebhookTarget is what a delivery to endpoint id needs: the endpoint and
// its signing secret (ErrNoSuchWebhook once it is removed).
func (s *Service) WebhookTarget(ctx context.Context, team string, id int64) (sales.Webhook, string, error) {
	w, secret, err := s.store.WebhookTarget(ctx, s.store.DB(), team, id)
	if errors.Is(err, store.ErrNotFound) {
		return w, "", sales.ErrNoSuchWebhook{ID: strconv.FormatInt(id, 10)}
	}
	return w, secret, err
}

// WebhookDelivered records that endpoint id answered: its failing streak
// ends.
func (s *Service) WebhookDelivered(ctx context.Context, team string, id int64) error {
	return s.store.WebhookSucceeded(ctx, s.store.DB(), team, id, s.now())
}

// WebhookFailed records a failed delivery to endpoint id, and disables it
// when it has failed since its last success for
// pipeline.WebhookDisableAfter: then each admin is told, once. disabled
// says whether this failure disabled it.
func (s *Service) WebhookFailed(ctx context.Context, team string, id int64, reason string) (disabled bool, err error) {
	at := s.now()
	err = s.store.WithTx(ctx, func(tx *sqlx.Tx) error {
		w, err := s.store.WebhookFailed(ctx, tx, team, id, clip(reason, 300), at)
		if errors.Is(err, store.ErrNotFound) {
			return nil // removed meanwhile: nothing to disable
		}
		if err != nil || !w.ShouldDisable(at) {
			return err
		}
		w, ok, err := s.store.DisableWebhook(ctx, tx, team, id, at)
		if err != nil || !ok {
			return err
		}
		disabled = true
		admins, err := s.adminIDs(ctx, tx, team)
		if err != nil {
			return err
		}
		for _, a := range admins {
			if err := s.outbox.Enqueue(ctx, tx.Tx, sales.WebhookDisabled{To: a, Webhook: w}); err != nil {
				return fmt.Errorf("webhook disabled notice: %w", err)
			}
		}
		return nil
	})
	return disabled, err
}
