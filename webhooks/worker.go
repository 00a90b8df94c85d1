package webhooks

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/riverqueue/river"

	"salesbot/pipeline"
	"salesbot/sales"
)

// Register puts the delivery worker on workers (the process's one River
// client's, before it starts); it learns and tells about endpoints through
// ep.
func (h *Hooks) Register(workers *river.Workers, ep Endpoints) error {
	if ep == nil {
		return errors.New("webhooks: Register needs the endpoints' use cases")
	}
	dialer := &net.Dialer{Timeout: h.cfg.Timeout, Control: h.guard.control}
	client := &http.Client{
		Timeout: h.cfg.Timeout,
		Transport: &http.Transport{
			// No proxy: the dialer must see the endpoint's own address.
			Proxy:                 nil,
			DialContext:           dialer.DialContext,
			TLSHandshakeTimeout:   h.cfg.Timeout,
			ResponseHeaderTimeout: h.cfg.Timeout,
			MaxIdleConnsPerHost:   4,
			IdleConnTimeout:       90 * time.Second,
		},
		// A redirect is not followed: it could lead anywhere, and the
		// endpoint is the URL the admin gave. It counts as a failure.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	if err := river.AddWorkerSafely(workers, &worker{h: h, ep: ep, http: client}); err != nil {
		return fmt.Errorf("webhooks: register the delivery worker: %w", err)
	}
	return nil
}

type worker struct {
	river.WorkerDefaults[deliveryArgs]
	h    *Hooks
	ep   Endpoints
	http *http.Client
}

// Timeout leaves the request its own timeout, and room to record the result.
func (w *worker) Timeout(*river.Job[deliveryArgs]) time.Duration {
	return w.h.cfg.Timeout + 20*time.Second
}

// NextRetry backs off exponentially (see Hooks.delay).
func (w *worker) NextRetry(job *river.Job[deliveryArgs]) time.Time {
	return time.Now().Add(w.h.delay(job.Attempt))
}

func (w *worker) Work(ctx context.Context, job *river.Job[deliveryArgs]) error {
	a := job.Args
	ep, secret, err := w.ep.WebhookTarget(ctx, a.Team, a.Endpoint)
	if errors.As(err, new(sales.ErrNoSuchWebhook)) {
		return nil // removed since: nobody to tell
	}
	if err != nil {
		return err
	}
	if ep.State != pipeline.WebhookActive && a.Type != pipeline.EventWebhookTest {
		return river.JobCancel(fmt.Errorf("webhook %d is disabled", a.Endpoint))
	}
	reason := w.post(ctx, ep.URL, secret, a)
	if reason == "" {
		// Delivered: failing to note it must not send it again.
		if err := w.ep.WebhookDelivered(ctx, a.Team, a.Endpoint); err != nil {
			w.h.cfg.Log.Warn("webhook delivered, but not recorded", "team_id", a.Team, "webhook", a.Endpoint, "error", err)
		}
		return nil
	}
	disabled, err := w.ep.WebhookFailed(ctx, a.Team, a.Endpoint, reason)
	if err != nil {
		return errors.Join(errors.New(reason), err)
	}
	w.h.cfg.Log.Info("webhook delivery failed", "team_id", a.Team, "webhook", a.Endpoint, "event_id", a.EventID,
		"attempt", job.Attempt, "reason", reason, "disabled", disabled)
	if disabled {
		return river.JobCancel(fmt.Errorf("webhook %d disabled: %s", a.Endpoint, reason))
	}
	return errors.New(reason)
}

// post sends one delivery and says why it failed, or "" when the endpoint
// answered 2xx.
func (w *worker) post(ctx context.Context, endpoint, secret string, a deliveryArgs) string {
	u, err := url.Parse(endpoint)
	if err != nil || (u.Scheme != "https" && !(u.Scheme == "http" && w.h.cfg.AllowPrivate)) {
		return "the URL is not https"
	}
	body := []byte(a.Body)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		return "the URL cannot be requested: " + err.Error()
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "salesbot-webhooks/1")
	req.Header.Set(HeaderEventID, a.EventID)
	req.Header.Set(HeaderSignature, Signature(secret, w.h.cfg.Now(), body))
	resp, err := w.http.Do(req)
	if err != nil {
		if errors.Is(err, errRefusedAddress) {
			return "refused: " + unwrapURL(err).Error()
		}
		return "no answer: " + unwrapURL(err).Error()
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // lets the connection be reused
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		return ""
	case resp.StatusCode >= 300 && resp.StatusCode < 400:
		return fmt.Sprintf("answered %s (redirects are not followed)", resp.Status)
	}
	return "answered " + resp.Status
}

// unwrapURL drops the *url.Error around err, whose text repeats the URL.
func unwrapURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
