package salesdb_test

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"salesbot/sales"
	"salesbot/sales/salesdb"
)

func (e env) newKey(t *testing.T, in sales.NewAPIKey) sales.APIKeyCreated {
	t.Helper()
	if in.Team == "" {
		in.Team = e.team
	}
	if in.Actor.ID == "" {
		in.Actor = e.user(t, "U0ADMIN")
	}
	got, err := e.svc.NewAPIKey(t.Context(), in)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// An admin's key is shown whole once; the database holds only its hash, a
// listing shows no secret, and the key checks out as its workspace's until
// revoked.
func TestAPIKeyCreateListCheckRevoke(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	admin := e.user(t, "U0ADMIN")
	in := sales.NewAPIKey{Team: e.team, Actor: admin, Label: "Website", Kind: sales.KeyForm,
		AllowedOrigins: []string{"https://Example.com/", "http://localhost:8080"}, IdempotencyKey: "slash:apikey:1"}
	made := e.newKey(t, in)
	if !strings.HasPrefix(made.Raw, "sb_form_"+made.Key.Prefix+"_") || len(made.Raw) < 50 {
		t.Fatalf("raw key %q: want sb_form_<prefix>_<secret>", made.Raw)
	}
	var logged bytes.Buffer
	slog.New(slog.NewTextHandler(&logged, nil)).Info("made", "key", made)
	if printed := fmt.Sprintf("%v %+v %#v %s", made, made, made, logged.String()); strings.Contains(printed, made.Raw) {
		t.Errorf("the raw key is printed or logged: %s", printed)
	}
	if _, err := e.svc.NewAPIKey(t.Context(), in); !errors.Is(err, sales.ErrDuplicate) {
		t.Errorf("same request again: err = %v, want ErrDuplicate", err)
	}

	var stored []byte
	if err := e.db.GetContext(t.Context(), &stored, `SELECT key_hash FROM api_keys WHERE workspace_id = $1`, e.team); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(made.Raw))
	if !bytes.Equal(stored, sum[:]) {
		t.Errorf("stored %x, want the SHA-256 of the key", stored)
	}
	secret := strings.SplitN(made.Raw, "_", 4)[3] // sb_<kind>_<prefix>_<secret>; the secret may hold "_"
	if n := e.count(t, `SELECT count(*) FROM api_keys WHERE strpos(api_keys::text, $1) > 0`, secret); n != 0 {
		t.Errorf("the key's secret is in %d stored rows", n)
	}

	list, err := e.svc.ListAPIKeys(t.Context(), sales.ListAPIKeys{Team: e.team, Actor: admin})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 {
		t.Fatalf("listed %d keys, want 1", len(list))
	}
	k := list[0]
	if k.Prefix != made.Key.Prefix || k.Label != "Website" || k.Kind != sales.KeyForm || k.CreatedBy != "U0ADMIN" ||
		!k.CreatedAt.Equal(now) || k.RevokedAt != nil ||
		!slices.Equal(k.AllowedOrigins, []string{"https://example.com", "http://localhost:8080"}) {
		t.Errorf("listed %+v", k)
	}

	checked, err := e.svc.CheckKey(t.Context(), made.Raw)
	if err != nil {
		t.Fatal(err)
	}
	if checked.Team != e.team || checked.Kind != sales.KeyForm || checked.Prefix != made.Key.Prefix {
		t.Errorf("checked %+v, want the form key of %s", checked, e.team)
	}
	for name, raw := range map[string]string{
		"empty":        "",
		"other secret": made.Raw[:len(made.Raw)-4] + "AAAA",
		"other kind":   strings.Replace(made.Raw, "sb_form_", "sb_secret_", 1),
		"prefix only":  "sb_form_" + made.Key.Prefix,
		"unknown":      "sb_secret_aaaaaaaa_" + secret,
	} {
		if _, err := e.svc.CheckKey(t.Context(), raw); !errors.Is(err, sales.ErrBadKey) {
			t.Errorf("%s: err = %v, want ErrBadKey", name, err)
		}
	}

	revoked, err := e.svc.RevokeAPIKey(t.Context(), sales.RevokeAPIKey{Team: e.team, Actor: admin,
		Prefix: "sb_form_" + strings.ToUpper(made.Key.Prefix), IdempotencyKey: "slash:apikey:2"})
	if err != nil {
		t.Fatal(err)
	}
	if revoked.RevokedAt == nil || !revoked.RevokedAt.Equal(now) {
		t.Errorf("revoked at %v, want %v", revoked.RevokedAt, now)
	}
	if _, err := e.svc.CheckKey(t.Context(), made.Raw); !errors.Is(err, sales.ErrBadKey) {
		t.Errorf("revoked key: err = %v, want ErrBadKey", err)
	}
	list, err = e.svc.ListAPIKeys(t.Context(), sales.ListAPIKeys{Team: e.team, Actor: admin})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].RevokedAt == nil {
		t.Errorf("after revoking, listed %+v; want the key, revoked", list)
	}
}

// A key of one workspace resolves to that workspace only, and another
// workspace's admin can neither see nor revoke it.
func TestAPIKeyStaysInItsWorkspace(t *testing.T) {
	t.Parallel()
	a := setup(t, directory{})
	b := setup(t, directory{})
	keyA := a.newKey(t, sales.NewAPIKey{Label: "CRM sync", Kind: sales.KeySecret, IdempotencyKey: "k1"})
	keyB := b.newKey(t, sales.NewAPIKey{Label: "CRM sync", Kind: sales.KeySecret, IdempotencyKey: "k1"})

	for _, c := range []struct {
		env env
		raw string
	}{{a, keyA.Raw}, {b, keyB.Raw}} {
		got, err := c.env.svc.CheckKey(t.Context(), c.raw)
		if err != nil || got.Team != c.env.team {
			t.Errorf("key of %s resolves to %q (err %v)", c.env.team, got.Team, err)
		}
	}
	adminB := b.user(t, "U0ADMIN")
	list, err := b.svc.ListAPIKeys(t.Context(), sales.ListAPIKeys{Team: b.team, Actor: adminB})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].Prefix != keyB.Key.Prefix {
		t.Errorf("B lists %+v, want only its own key %s", list, keyB.Key.Prefix)
	}
	_, err = b.svc.RevokeAPIKey(t.Context(), sales.RevokeAPIKey{Team: b.team, Actor: adminB, Prefix: keyA.Key.Prefix,
		IdempotencyKey: "r1"})
	var none sales.ErrNoSuchKey
	if !errors.As(err, &none) {
		t.Fatalf("B revoking A's key: err = %v, want ErrNoSuchKey", err)
	}
	if _, err := a.svc.CheckKey(t.Context(), keyA.Raw); err != nil {
		t.Errorf("A's key after B tried to revoke it: %v", err)
	}
}

// Only admins make, see or revoke keys; bad input names what is wrong and
// stores nothing.
func TestAPIKeyRefusals(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	rep := e.user(t, "U0REP1")
	admin := e.user(t, "U0ADMIN")
	var forbidden sales.ErrForbidden
	if _, err := e.svc.NewAPIKey(t.Context(), sales.NewAPIKey{Team: e.team, Actor: rep, Label: "x", Kind: sales.KeySecret,
		IdempotencyKey: "n1"}); !errors.As(err, &forbidden) {
		t.Errorf("rep making a key: err = %v, want ErrForbidden", err)
	}
	if _, err := e.svc.ListAPIKeys(t.Context(), sales.ListAPIKeys{Team: e.team, Actor: rep}); !errors.As(err, &forbidden) {
		t.Errorf("rep listing keys: err = %v, want ErrForbidden", err)
	}
	if _, err := e.svc.RevokeAPIKey(t.Context(), sales.RevokeAPIKey{Team: e.team, Actor: rep, Prefix: "abcdefgh",
		IdempotencyKey: "n2"}); !errors.As(err, &forbidden) {
		t.Errorf("rep revoking a key: err = %v, want ErrForbidden", err)
	}
	for _, c := range []struct {
		field string
		in    sales.NewAPIKey
	}{
		{"label", sales.NewAPIKey{Kind: sales.KeySecret}},
		{"kind", sales.NewAPIKey{Label: "x", Kind: "public"}},
		{"origins", sales.NewAPIKey{Label: "x", Kind: sales.KeyForm}},
		{"origins", sales.NewAPIKey{Label: "x", Kind: sales.KeyForm, AllowedOrigins: []string{"https://example.com/contact"}}},
		{"origins", sales.NewAPIKey{Label: "x", Kind: sales.KeyForm, AllowedOrigins: []string{"example.com"}}},
		{"origins", sales.NewAPIKey{Label: "x", Kind: sales.KeySecret, AllowedOrigins: []string{"https://example.com"}}},
	} {
		c.in.Team, c.in.Actor, c.in.IdempotencyKey = e.team, admin, "bad:"+c.field
		_, err := e.svc.NewAPIKey(t.Context(), c.in)
		var bad *sales.ValidationError
		if !errors.As(err, &bad) || bad.Field != c.field {
			t.Errorf("%+v: err = %v, want a ValidationError on %s", c.in, err, c.field)
		}
	}
	if n := e.count(t, `SELECT count(*) FROM api_keys WHERE workspace_id = $1`, e.team); n != 0 {
		t.Errorf("%d keys stored after refusals, want 0", n)
	}
}

// A key that checked out is remembered for a few seconds: revoked behind
// this process's back (another replica) it still works until then, and not
// after; revoked through this process it stops at once.
func TestCheckKeyRemembersBrieflyAndForgetsOnRevoke(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	c := &clock{t: now}
	svc := salesdb.New(salesdb.Deps{Store: e.st, Outbox: &recorder{}, Now: c.Now})
	admin := e.user(t, "U0ADMIN")
	a := e.newKey(t, sales.NewAPIKey{Label: "Replica", Kind: sales.KeySecret, IdempotencyKey: "k1"})
	if k, err := svc.CheckKey(t.Context(), a.Raw); err != nil || k.Team != e.team {
		t.Fatalf("CheckKey = %+v, %v", k, err)
	}
	if _, err := e.db.ExecContext(t.Context(), `UPDATE api_keys SET revoked_at = $2 WHERE prefix = $1`, a.Key.Prefix, now); err != nil {
		t.Fatal(err)
	}
	c.add(4 * time.Second)
	if _, err := svc.CheckKey(t.Context(), a.Raw); err != nil {
		t.Errorf("4 s after its check, revoked elsewhere: %v, want still remembered", err)
	}
	c.add(time.Second)
	if _, err := svc.CheckKey(t.Context(), a.Raw); !errors.Is(err, sales.ErrBadKey) {
		t.Errorf("5 s after its check, revoked elsewhere: %v, want ErrBadKey", err)
	}

	b := e.newKey(t, sales.NewAPIKey{Label: "Here", Kind: sales.KeySecret, IdempotencyKey: "k2"})
	if _, err := svc.CheckKey(t.Context(), b.Raw); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.RevokeAPIKey(t.Context(), sales.RevokeAPIKey{Team: e.team, Actor: admin, Prefix: b.Key.Prefix, IdempotencyKey: "r2"}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.CheckKey(t.Context(), b.Raw); !errors.Is(err, sales.ErrBadKey) {
		t.Errorf("revoked through this service: %v, want ErrBadKey at once", err)
	}
}
