package bot

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"testing"
)

func TestSecretURLsAreRedactedFromErrorsAndLogs(t *testing.T) {
	t.Parallel()
	hook := "https://hooks.slack.com/actions/T0/123/SeCrEt"
	upload := "https://files.slack.com/upload/v1/SeCrEtUpLoAd?x=1"
	api := "https://slack.com/api/chat.postMessage"
	err := errors.Join(
		fmt.Errorf("answer: %w", &url.Error{Op: "Post", URL: hook, Err: context.DeadlineExceeded}),
		&url.Error{Op: "Post", URL: upload, Err: errors.New("connection reset")},
		&url.Error{Op: "Post", URL: api, Err: errors.New("connection refused")},
	)
	red := RedactError(err)
	for _, secret := range []string{"SeCrEt", "/actions/", "/upload/"} {
		if strings.Contains(red.Error(), secret) {
			t.Errorf("redacted error still has %q: %s", secret, red)
		}
	}
	if !strings.Contains(red.Error(), api) || !strings.Contains(red.Error(), "https://hooks.slack.com/") {
		t.Errorf("redaction must keep Web API methods and hosts, to debug by: %s", red)
	}
	if !errors.Is(red, context.DeadlineExceeded) {
		t.Error("redaction must keep the error chain")
	}

	for _, e := range []error{
		errors.New(`pq: missing "=" after "postgres://sales:SeCrEt@db:5432/sales" in connection info string`),
		errors.New(`connect host=db user=sales password=SeCrEt dbname=sales`),
	} {
		if got := RedactError(e).Error(); strings.Contains(got, "SeCrEt") || !strings.Contains(got, "[redacted]") {
			t.Errorf("database password not redacted: %s", got)
		}
	}

	var buf bytes.Buffer
	log := RedactingLogger(slog.New(slog.NewTextHandler(&buf, nil)))
	log.With("cause", err).Error("failed", "error", err, slog.Group("g", "error", err))
	if strings.Contains(buf.String(), "SeCrEt") {
		t.Errorf("the logger let a URL through: %s", buf.String())
	}
}
