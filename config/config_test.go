package config

import (
	"errors"
	"log/slog"
	"strings"
	"testing"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestLoadValid(t *testing.T) {
	t.Parallel()
	c, err := Load(env(map[string]string{
		"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1",
		"SLACK_API_URL": "http://127.0.0.1:9/api", "SALESBOT_TZ": "America/New_York",
		"SALESBOT_ADMINS": "U1AAA, W2BBB", "LOG_LEVEL": "debug",
	}), true)
	if err != nil {
		t.Fatal(err)
	}
	if c.APIURL != "http://127.0.0.1:9/api/" {
		t.Errorf("APIURL = %q, want a trailing slash added", c.APIURL)
	}
	if c.Location.String() != "America/New_York" || len(c.Admins) != 2 || c.LogLevel != slog.LevelDebug {
		t.Errorf("got %+v", c)
	}
	if c.HTTPAddr != "127.0.0.1:8080" || c.DataDir != "data" || c.WebhookAllowPrivate {
		t.Errorf("defaults: %q %q, webhooks to private addresses %v", c.HTTPAddr, c.DataDir, c.WebhookAllowPrivate)
	}
	if c.APIKeyRate != DefaultAPIKeyRate || c.APIIPRate != DefaultAPIIPRate || c.APITrustProxy {
		t.Errorf("API rate defaults: %v %v %v", c.APIKeyRate, c.APIIPRate, c.APITrustProxy)
	}
	c, err = Load(env(map[string]string{"API_KEY_RATE": "0.5", "API_IP_RATE": "2", "API_TRUST_PROXY": "true"}), false)
	if err != nil || c.APIKeyRate != 0.5 || c.APIIPRate != 2 || !c.APITrustProxy {
		t.Errorf("API rates: %v %v %v, %v", c.APIKeyRate, c.APIIPRate, c.APITrustProxy, err)
	}
}

func TestLoadErrorsNameTheVariableNotTheValue(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		env     map[string]string
		wantVar string
		missing bool
	}{
		{"no bot token", map[string]string{"SLACK_APP_TOKEN": "xapp-1"}, "SLACK_BOT_TOKEN", true},
		{"no app token", map[string]string{"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_APP_TOKEN", true},
		{"swapped tokens", map[string]string{"SLACK_BOT_TOKEN": "xapp-secret", "SLACK_APP_TOKEN": "xoxb-secret"}, "SLACK_BOT_TOKEN", false},
		{"bad tz", map[string]string{"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1", "SALESBOT_TZ": "Mars/Base"}, "SALESBOT_TZ", false},
		{"bad admin", map[string]string{"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1", "SALESBOT_ADMINS": "bob"}, "SALESBOT_ADMINS", false},
		{"bad db", map[string]string{"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1", "DATABASE_URL": "mysql://x"}, "DATABASE_URL", false},
		{"bad addr", map[string]string{"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1", "HTTP_ADDR": "8080"}, "HTTP_ADDR", false},
		{"bad api addr", map[string]string{"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1", "API_ADDR": "8081"}, "API_ADDR", false},
		{"api on the ops listener", map[string]string{"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1", "API_ADDR": "127.0.0.1:8080"}, "API_ADDR", false},
		{"bad level", map[string]string{"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1", "LOG_LEVEL": "loud"}, "LOG_LEVEL", false},
		{"bad key rate", map[string]string{"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1", "API_KEY_RATE": "fast"}, "API_KEY_RATE", false},
		{"zero IP rate", map[string]string{"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1", "API_IP_RATE": "0"}, "API_IP_RATE", false},
		{"bad trust proxy", map[string]string{"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1", "API_TRUST_PROXY": "maybe"}, "API_TRUST_PROXY", false},
		{"bad work timeout", map[string]string{"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1", "SALESBOT_WORK_TIMEOUT": "30"}, "SALESBOT_WORK_TIMEOUT", false},
		{"bad webhook switch", map[string]string{"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1", "WEBHOOK_ALLOW_PRIVATE": "yes please"}, "WEBHOOK_ALLOW_PRIVATE", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(env(tt.env), true)
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), tt.wantVar) {
				t.Errorf("error %q does not name %s", err, tt.wantVar)
			}
			if strings.Contains(err.Error(), "secret") {
				t.Errorf("error %q shows a token value", err)
			}
			if errors.Is(err, ErrMissingToken) != tt.missing {
				t.Errorf("errors.Is(ErrMissingToken) = %v, want %v", !tt.missing, tt.missing)
			}
		})
	}
}

func TestLoadWithoutTokens(t *testing.T) {
	t.Parallel()
	if _, err := Load(env(nil), false); err != nil {
		t.Fatalf("migrate needs no tokens: %v", err)
	}
}
