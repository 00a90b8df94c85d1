package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"

	"salesbot/pipeline"
	"salesbot/sales"
	"salesbot/sales/salesdb"
	"salesbot/simulator"
)

// The labels of the keys `salesbot dev` makes for the simulator's page; a
// start revokes the live keys so labelled, so no raw key of an earlier start
// still works.
const (
	devFormKeyLabel   = "simulator form"
	devSecretKeyLabel = "simulator curl"
)

// offerDevKeys makes a fresh form key (allowed from the simulator's page
// only) and a secret key for the simulator's workspace, as its admin would
// with /salesbot apikey new, revokes the previous start's, and hands the raw
// keys to the page's "Leads from your website" panel. They are held in
// memory only, and never logged.
func offerDevKeys(ctx context.Context, svc *salesdb.Service, sim *simulator.Server, apiURL string) error {
	const team = simulator.TeamID
	var admin pipeline.User
	for _, id := range simulator.Admins() {
		u, _, err := svc.Actor(ctx, team, id)
		if err != nil {
			return fmt.Errorf("simulator keys: %w", err)
		}
		if u.Role == pipeline.RoleAdmin {
			admin = u
			break
		}
	}
	if admin.ID == "" {
		return errors.New("simulator keys: no admin among the simulated people")
	}
	keys, err := svc.ListAPIKeys(ctx, sales.ListAPIKeys{Team: team, Actor: admin})
	if err != nil {
		return fmt.Errorf("simulator keys: %w", err)
	}
	start := startID()
	for _, k := range keys {
		if k.RevokedAt != nil || (k.Label != devFormKeyLabel && k.Label != devSecretKeyLabel) {
			continue
		}
		if _, err := svc.RevokeAPIKey(ctx, sales.RevokeAPIKey{Team: team, Actor: admin, Prefix: k.Prefix,
			IdempotencyKey: "simulator-keys:" + start + ":revoke:" + k.Prefix}); err != nil {
			return fmt.Errorf("simulator keys: revoke %s: %w", k.Prefix, err)
		}
	}
	form, err := svc.NewAPIKey(ctx, sales.NewAPIKey{Team: team, Actor: admin, Label: devFormKeyLabel, Kind: sales.KeyForm,
		AllowedOrigins: pageOrigins(sim.URL()), IdempotencyKey: "simulator-keys:" + start + ":form"})
	if err != nil {
		return fmt.Errorf("simulator keys: form key: %w", err)
	}
	secret, err := svc.NewAPIKey(ctx, sales.NewAPIKey{Team: team, Actor: admin, Label: devSecretKeyLabel, Kind: sales.KeySecret,
		IdempotencyKey: "simulator-keys:" + start + ":secret"})
	if err != nil {
		return fmt.Errorf("simulator keys: secret key: %w", err)
	}
	sim.OfferAPI(apiURL, form.Raw, secret.Raw)
	return nil
}

// startID tells one start's idempotency keys from another's.
func startID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// apiBaseURL is the address a browser on this machine reaches the API at,
// listening on addr: an unspecified host (all interfaces) is reached on the
// loopback one.
func apiBaseURL(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "http://" + addr
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// pageOrigins are the origins a browser on this machine opens the
// simulator's page at: its own, and localhost's when it is on a loopback
// address.
func pageOrigins(pageURL string) []string {
	origin := strings.TrimSuffix(pageURL, "/")
	u, err := url.Parse(origin)
	if err != nil {
		return []string{origin}
	}
	if ip := net.ParseIP(u.Hostname()); ip != nil && ip.IsLoopback() {
		return []string{origin, u.Scheme + "://" + net.JoinHostPort("localhost", u.Port())}
	}
	return []string{origin}
}
