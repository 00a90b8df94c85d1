package salesdb

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/base64"
	"errors"
	"net/url"
	"strings"

	"github.com/jmoiron/sqlx"

	"salesbot/sales"
	"salesbot/store"
)

// A raw key reads sb_<kind>_<prefix>_<secret>: the kind and prefix let a
// person tell keys apart; the 256-bit secret makes a plain SHA-256 of the
// whole key safe to store (no slow hash is needed against guessing).
const (
	keyStart     = "sb_"
	maxKeyLabel  = 80
	maxOrigins   = 20
	secretBytes  = 32
	prefixBytes  = 5 // 8 base32 characters
	prefixLength = 8
)

var prefixEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// NewAPIKey makes a key for the workspace once per in.IdempotencyKey (admins
// only) and returns it whole, the one time it is ever shown: only its hash
// is kept.
func (s *Service) NewAPIKey(ctx context.Context, in sales.NewAPIKey) (sales.APIKeyCreated, error) {
	if err := validPeople(in.Team, in.Actor, in.Actor.ID); err != nil {
		return sales.APIKeyCreated{}, err
	}
	label := strings.TrimSpace(in.Label)
	switch {
	case label == "":
		return sales.APIKeyCreated{}, invalid("label", "Give the key a label, such as the site or system that will use it.")
	case len([]rune(label)) > maxKeyLabel:
		return sales.APIKeyCreated{}, invalid("label", "A key's label has at most %d characters.", maxKeyLabel)
	case in.Kind != sales.KeySecret && in.Kind != sales.KeyForm:
		return sales.APIKeyCreated{}, invalid("kind", "A key is either secret or form.")
	case in.Kind == sales.KeySecret && len(in.AllowedOrigins) > 0:
		return sales.APIKeyCreated{}, invalid("origins", "Only form keys take origins: a secret key is used from servers.")
	case in.Kind == sales.KeyForm && len(in.AllowedOrigins) == 0:
		return sales.APIKeyCreated{}, invalid("origins", "Say the origins of the pages the form is on, such as https://example.com.")
	case len(in.AllowedOrigins) > maxOrigins:
		return sales.APIKeyCreated{}, invalid("origins", "A key takes at most %d origins.", maxOrigins)
	}
	origins := make([]string, 0, len(in.AllowedOrigins))
	for _, o := range in.AllowedOrigins {
		norm, err := origin(o)
		if err != nil {
			return sales.APIKeyCreated{}, err
		}
		origins = append(origins, norm)
	}
	if err := requireAdmin(in.Actor, "make API keys"); err != nil {
		return sales.APIKeyCreated{}, err
	}
	raw, prefix, err := newRawKey(in.Kind)
	if err != nil {
		return sales.APIKeyCreated{}, err
	}
	k := sales.APIKey{Team: in.Team, Prefix: prefix, Label: label, Kind: in.Kind, AllowedOrigins: origins,
		CreatedBy: in.Actor.ID, CreatedAt: s.now()}
	err = s.once(ctx, in.Team, in.IdempotencyKey, func(tx *sqlx.Tx) error {
		sum := sha256.Sum256([]byte(raw))
		return s.store.InsertAPIKey(ctx, tx, k, sum[:])
	})
	if err != nil {
		return sales.APIKeyCreated{}, err
	}
	return sales.APIKeyCreated{Key: k, Raw: raw}, nil
}

// ListAPIKeys are the workspace's keys, revoked ones too, oldest first
// (admins only). No key's secret is in them: none is kept.
func (s *Service) ListAPIKeys(ctx context.Context, in sales.ListAPIKeys) ([]sales.APIKey, error) {
	if err := validPeople(in.Team, in.Actor, in.Actor.ID); err != nil {
		return nil, err
	}
	if err := requireAdmin(in.Actor, "see API keys"); err != nil {
		return nil, err
	}
	return s.store.APIKeys(ctx, s.store.DB(), in.Team)
}

// RevokeAPIKey revokes the workspace's key named by its prefix, once per
// in.IdempotencyKey (admins only); a prefix the workspace has no key of is
// ErrNoSuchKey. Revoking a revoked key keeps its first revocation time.
func (s *Service) RevokeAPIKey(ctx context.Context, in sales.RevokeAPIKey) (sales.APIKey, error) {
	if err := validPeople(in.Team, in.Actor, in.Actor.ID); err != nil {
		return sales.APIKey{}, err
	}
	prefix := keyPrefix(in.Prefix)
	if prefix == "" {
		return sales.APIKey{}, invalid("prefix", "Say which key: the prefix that /salesbot apikey list shows.")
	}
	if err := requireAdmin(in.Actor, "revoke API keys"); err != nil {
		return sales.APIKey{}, err
	}
	var k sales.APIKey
	err := s.once(ctx, in.Team, in.IdempotencyKey, func(tx *sqlx.Tx) error {
		var err error
		k, err = s.store.RevokeAPIKey(ctx, tx, in.Team, prefix, s.now())
		if errors.Is(err, store.ErrNotFound) {
			return sales.ErrNoSuchKey{Prefix: clip(in.Prefix, 40)}
		}
		return err
	})
	s.keys.forget(in.Team, prefix) // revoked now, not when the memory of a check lapses
	return k, err
}

// CheckKey is the key raw stands for, when it is a live key: its workspace,
// kind and allowed origins. Anything else is ErrBadKey, whatever the reason.
func (s *Service) CheckKey(ctx context.Context, raw string) (sales.APIKey, error) {
	kind, prefix, ok := splitRawKey(raw)
	if !ok {
		return sales.APIKey{}, sales.ErrBadKey
	}
	sum := sha256.Sum256([]byte(raw))
	now := s.now()
	if k, ok := s.keys.get(sum, now); ok {
		return k, nil
	}
	k, hash, err := s.store.APIKeyByPrefix(ctx, s.store.DB(), prefix)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return sales.APIKey{}, sales.ErrBadKey
	case err != nil:
		return sales.APIKey{}, err
	}
	// The prefix is public; the comparison of the rest must not tell a
	// guesser how much of it was right.
	if subtle.ConstantTimeCompare(sum[:], hash) != 1 || k.Kind != kind || k.RevokedAt != nil {
		return sales.APIKey{}, sales.ErrBadKey
	}
	s.keys.put(sum, k, now)
	return k, nil
}

// newRawKey draws a key of kind and its prefix.
func newRawKey(kind string) (raw, prefix string, err error) {
	p := make([]byte, prefixBytes)
	secret := make([]byte, secretBytes)
	if _, err := rand.Read(p); err != nil {
		return "", "", err
	}
	if _, err := rand.Read(secret); err != nil {
		return "", "", err
	}
	prefix = strings.ToLower(prefixEncoding.EncodeToString(p))
	return keyStart + kind + "_" + prefix + "_" + base64.RawURLEncoding.EncodeToString(secret), prefix, nil
}

// splitRawKey reads the kind and prefix of a raw key.
func splitRawKey(raw string) (kind, prefix string, ok bool) {
	rest, ok := strings.CutPrefix(raw, keyStart)
	if !ok {
		return "", "", false
	}
	kind, rest, _ = strings.Cut(rest, "_")
	if kind != sales.KeySecret && kind != sales.KeyForm || len(rest) < prefixLength+1 || rest[prefixLength] != '_' {
		return "", "", false
	}
	return kind, rest[:prefixLength], true
}

// keyPrefix reads the prefix a person typed to name a key: the prefix
// alone, or the start of the key as it was shown ("sb_form_abcd2345").
func keyPrefix(typed string) string {
	p := strings.ToLower(strings.TrimSpace(typed))
	if _, pre, ok := splitRawKey(p + "_"); ok {
		return pre
	}
	if len(p) != prefixLength || strings.Trim(p, "abcdefghijklmnopqrstuvwxyz234567") != "" {
		return ""
	}
	return p
}

// origin is o as a browser sends it in Origin: scheme://host[:port].
func origin(o string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(o))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" ||
		strings.TrimSuffix(u.Path, "/") != "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return "", invalid("origins", "%q is not an origin: write it as https://example.com, without a path.", clip(o, 60))
	}
	return strings.ToLower(u.Scheme + "://" + u.Host), nil
}

// FormOrigin reports whether a live form key lists origin: a browser's
// preflight carries no key, so this is all it can be answered from. The
// request that follows is checked against its own key's origins.
func (s *Service) FormOrigin(ctx context.Context, origin string) (bool, error) {
	return s.store.FormOriginKnown(ctx, s.store.DB(), origin)
}
