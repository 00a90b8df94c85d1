package sales

import (
	"errors"
	"log/slog"

	"salesbot/pipeline"
)

// The kinds of API key (pipeline says what each may do).
const (
	KeySecret = pipeline.KeySecret
	KeyForm   = pipeline.KeyForm
)

// ErrBadKey is a key that is unknown, malformed or revoked. Callers cannot
// tell which, on purpose: a guesser learns nothing.
var ErrBadKey = errors.New("invalid or revoked API key")

// APIKey is a key as stored: never the key itself, only its public prefix.
type APIKey = pipeline.APIKey

// NewAPIKey asks for a key of Kind with Label (admins only).
type NewAPIKey struct {
	Team           string
	Actor          pipeline.User
	Label          string
	Kind           string
	AllowedOrigins []string // form keys only: scheme://host[:port]
	IdempotencyKey string
}

// APIKeyCreated is the new key. Raw is the whole key, shown this once and
// kept nowhere; it must never be logged.
type APIKeyCreated struct {
	Key APIKey
	Raw string
}

// ListAPIKeys asks for the workspace's keys (admins only).
type ListAPIKeys struct {
	Team  string
	Actor pipeline.User
}

// RevokeAPIKey revokes the key named by Prefix (admins only).
type RevokeAPIKey struct {
	Team           string
	Actor          pipeline.User
	Prefix         string
	IdempotencyKey string
}

// ErrNoSuchKey is a prefix that names no key of the workspace.
type ErrNoSuchKey struct{ Prefix string }

func (e ErrNoSuchKey) Error() string { return "no API key " + e.Prefix }

// String, GoString and LogValue leave Raw out, so that printing or logging
// a result by mistake does not leak the key.
func (c APIKeyCreated) String() string { return "API key " + c.Key.Prefix + " (secret hidden)" }

// GoString is String, for %#v.
func (c APIKeyCreated) GoString() string { return c.String() }

// LogValue is String, for slog.
func (c APIKeyCreated) LogValue() slog.Value { return slog.StringValue(c.String()) }
