// Package config reads salesbot's configuration from the environment and
// validates all of it before anything connects.
package config

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"salesbot/pipeline"
)

// DefaultAPIURL is Slack's Web API base.
const DefaultAPIURL = "https://slack.com/api/"

// Defaults of API_KEY_RATE and API_IP_RATE, requests per second.
const (
	DefaultAPIKeyRate = 20
	DefaultAPIIPRate  = 5
)

// DefaultWorkTimeout is SALESBOT_WORK_TIMEOUT's default.
const DefaultWorkTimeout = 30 * time.Second

// helpRef tells people where to find how to get a token.
const helpRef = `see "Create the Slack app" in the README`

// Config is everything salesbot reads from the environment.
type Config struct {
	BotToken    string // SLACK_BOT_TOKEN, xoxb-…
	AppToken    string // SLACK_APP_TOKEN, xapp-…
	DatabaseURL string // DATABASE_URL; empty = the private embedded cluster
	APIURL      string // SLACK_API_URL, always with a trailing slash
	Location    *time.Location
	Admins      []string // SALESBOT_ADMINS, Slack user IDs
	HTTPAddr    string
	APIAddr     string // API_ADDR, the public HTTP API; empty = off, never the ops listener
	LogLevel    slog.Level
	DataDir     string // SALESBOT_DATA_DIR, where the embedded cluster lives
	SimAddr     string // SIM_ADDR, where `salesbot dev` serves the local Slack simulator
	// WorkTimeout (SALESBOT_WORK_TIMEOUT) bounds the work that follows one
	// ack; an acked envelope whose replica died is redone by another
	// replica this long (and a few seconds) after it arrived.
	WorkTimeout time.Duration

	// APIKeyRate and APIIPRate (API_KEY_RATE, API_IP_RATE) are the API's
	// requests per second per key and per client IP (form keys);
	// APITrustProxy (API_TRUST_PROXY) takes the client IP from
	// X-Forwarded-For, for an API behind a reverse proxy.
	APIKeyRate, APIIPRate float64
	APITrustProxy         bool
	// WebhookAllowPrivate (WEBHOOK_ALLOW_PRIVATE=true) lets webhooks reach
	// private and loopback addresses over http: for tests only.
	WebhookAllowPrivate bool
}

// Error is a configuration error: it names the variable, never its value.
type Error struct {
	Var     string
	Reason  string
	missing bool // a required token that is not set at all
}

func (e *Error) Error() string { return e.Var + " " + e.Reason }

// Is makes errors.Is(err, ErrMissingToken) true for an absent token.
func (e *Error) Is(target error) bool { return e.missing && target == ErrMissingToken }

// ErrMissingToken is wrapped by errors about absent Slack tokens.
var ErrMissingToken = errors.New("missing Slack token")

// Load reads the configuration through getenv (os.Getenv in production).
// needTokens is false for subcommands that never talk to Slack.
func Load(getenv func(string) string, needTokens bool) (Config, error) {
	c := Config{
		BotToken:    strings.TrimSpace(getenv("SLACK_BOT_TOKEN")),
		AppToken:    strings.TrimSpace(getenv("SLACK_APP_TOKEN")),
		DatabaseURL: strings.TrimSpace(getenv("DATABASE_URL")),
		APIURL:      strings.TrimSpace(getenv("SLACK_API_URL")),
		HTTPAddr:    strings.TrimSpace(getenv("HTTP_ADDR")),
		APIAddr:     strings.TrimSpace(getenv("API_ADDR")),
		DataDir:     strings.TrimSpace(getenv("SALESBOT_DATA_DIR")),
		SimAddr:     strings.TrimSpace(getenv("SIM_ADDR")),
	}
	var errs []error
	if needTokens {
		errs = append(errs, checkToken("SLACK_BOT_TOKEN", c.BotToken, "xoxb-"), checkToken("SLACK_APP_TOKEN", c.AppToken, "xapp-"))
	}
	if c.APIURL == "" {
		c.APIURL = DefaultAPIURL
	} else if u, err := url.Parse(c.APIURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		errs = append(errs, &Error{Var: "SLACK_API_URL", Reason: "must be an http(s) URL such as https://slack.com/api/"})
	} else if !strings.HasSuffix(c.APIURL, "/") {
		// slack-go builds URLs as base + method name.
		c.APIURL += "/"
	}
	if c.DatabaseURL != "" {
		if u, err := url.Parse(c.DatabaseURL); err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
			errs = append(errs, &Error{Var: "DATABASE_URL", Reason: "must be a postgres:// URL"})
		}
	}
	c.Location = time.UTC
	if tz := strings.TrimSpace(getenv("SALESBOT_TZ")); tz != "" {
		loc, err := time.LoadLocation(tz)
		if err != nil {
			errs = append(errs, &Error{Var: "SALESBOT_TZ", Reason: fmt.Sprintf("is not a known timezone (%q): use an IANA name such as Europe/Berlin", tz)})
		} else {
			c.Location = loc
		}
	}
	for _, id := range strings.FieldsFunc(getenv("SALESBOT_ADMINS"), func(r rune) bool { return r == ',' || r == ' ' }) {
		if !pipeline.ValidUserID(id) {
			errs = append(errs, &Error{Var: "SALESBOT_ADMINS", Reason: fmt.Sprintf("has %q, which is not a Slack user ID (U… or W…)", id)})
			continue
		}
		c.Admins = append(c.Admins, id)
	}
	if c.HTTPAddr == "" {
		c.HTTPAddr = "127.0.0.1:8080"
	} else if _, _, err := net.SplitHostPort(c.HTTPAddr); err != nil {
		errs = append(errs, &Error{Var: "HTTP_ADDR", Reason: "must be host:port, such as 127.0.0.1:8080"})
	}
	if c.APIAddr != "" {
		if _, _, err := net.SplitHostPort(c.APIAddr); err != nil {
			errs = append(errs, &Error{Var: "API_ADDR", Reason: "must be host:port, such as 127.0.0.1:8081"})
		} else if c.APIAddr == c.HTTPAddr && !strings.HasSuffix(c.APIAddr, ":0") {
			errs = append(errs, &Error{Var: "API_ADDR", Reason: "must differ from HTTP_ADDR: the API is public, the ops listener is not"})
		}
	}
	c.APIKeyRate, c.APIIPRate = DefaultAPIKeyRate, DefaultAPIIPRate
	for _, r := range []struct {
		name string
		to   *float64
	}{{"API_KEY_RATE", &c.APIKeyRate}, {"API_IP_RATE", &c.APIIPRate}} {
		if v := strings.TrimSpace(getenv(r.name)); v != "" {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil || !(f > 0) || f > 1e6 {
				errs = append(errs, &Error{Var: r.name, Reason: "must be a number of requests per second above 0, such as 20 or 0.5"})
				continue
			}
			*r.to = f
		}
	}
	switch v := strings.ToLower(strings.TrimSpace(getenv("API_TRUST_PROXY"))); v {
	case "", "false", "0", "no":
	case "true", "1", "yes":
		c.APITrustProxy = true
	default:
		errs = append(errs, &Error{Var: "API_TRUST_PROXY", Reason: "must be true or false"})
	}
	switch lvl := strings.ToLower(strings.TrimSpace(getenv("LOG_LEVEL"))); lvl {
	case "", "info":
		c.LogLevel = slog.LevelInfo
	case "debug":
		c.LogLevel = slog.LevelDebug
	case "warn", "warning":
		c.LogLevel = slog.LevelWarn
	case "error":
		c.LogLevel = slog.LevelError
	default:
		errs = append(errs, &Error{Var: "LOG_LEVEL", Reason: "must be debug, info, warn or error"})
	}
	if v := strings.TrimSpace(getenv("WEBHOOK_ALLOW_PRIVATE")); v != "" {
		allow, err := strconv.ParseBool(v)
		if err != nil {
			errs = append(errs, &Error{Var: "WEBHOOK_ALLOW_PRIVATE", Reason: "must be true or false"})
		}
		c.WebhookAllowPrivate = allow
	}
	c.WorkTimeout = DefaultWorkTimeout
	if v := strings.TrimSpace(getenv("SALESBOT_WORK_TIMEOUT")); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < time.Second || d > 5*time.Minute {
			errs = append(errs, &Error{Var: "SALESBOT_WORK_TIMEOUT", Reason: "must be a duration from 1s to 5m, such as 30s"})
		} else {
			c.WorkTimeout = d
		}
	}
	if c.DataDir == "" {
		c.DataDir = "data"
	}
	if c.SimAddr == "" {
		c.SimAddr = "127.0.0.1:3000"
	} else if _, _, err := net.SplitHostPort(c.SimAddr); err != nil {
		errs = append(errs, &Error{Var: "SIM_ADDR", Reason: "must be host:port, such as 127.0.0.1:3000"})
	}
	return c, errors.Join(errs...)
}

func checkToken(name, value, prefix string) error {
	if value == "" {
		return &Error{Var: name, Reason: "is required (" + prefix + "…): " + helpRef, missing: true}
	}
	if !strings.HasPrefix(value, prefix) {
		// Never echo the value: a pasted token is a secret even when it is the wrong one.
		return &Error{Var: name, Reason: "must start with " + prefix + ": " + helpRef}
	}
	return nil
}
