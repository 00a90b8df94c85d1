package main

import (
	"context"
	"errors"
	"fmt"

	"salesbot/pipeline"
	"salesbot/sales"
	"salesbot/sales/salesdb"
	"salesbot/simulator"
)

// setUpSimulator gives the simulator's workspace what it takes to show the
// whole product from the first start: each person's role (Alex admin, Maria
// manager) and team (Sam and Priya under Maria), and the #wins, #pipeline
// and #sales channels as the celebration, digest and alerts channels. It
// goes through the use cases, as the admin would with /salesbot role, team
// and settings. It runs on the simulator's first start only
// (Server.SetUpOnce), and even then fills only channels that are unset: what
// an admin changes afterwards stays.
func setUpSimulator(ctx context.Context, svc *salesdb.Service) error {
	const team = simulator.TeamID
	people := simulator.People()
	var admin pipeline.User
	for _, p := range people {
		u, _, err := svc.Actor(ctx, team, p.ID)
		if err != nil {
			return fmt.Errorf("simulator set-up: %w", err)
		}
		if u.Role == pipeline.RoleAdmin && admin.ID == "" {
			admin = u
		}
	}
	if admin.ID == "" {
		return errors.New("simulator set-up: no admin among the simulated people")
	}
	// The keys make a set-up cut short and run again change nothing twice.
	key := func(parts ...string) string {
		k := "simulator-setup"
		for _, p := range parts {
			k += ":" + p
		}
		return k
	}
	teams := map[string][]string{}
	for _, p := range people {
		if p.Role != pipeline.RoleRep && p.ID != admin.ID {
			err := svc.SetRole(ctx, sales.SetRole{Team: team, Actor: admin, User: p.ID, Role: p.Role,
				IdempotencyKey: key("role", p.ID)})
			if err != nil && !errors.Is(err, sales.ErrDuplicate) {
				return fmt.Errorf("simulator set-up: role of %s: %w", p.Name, err)
			}
		}
		if p.Manager != "" {
			teams[p.Manager] = append(teams[p.Manager], p.ID)
		}
	}
	for manager, reps := range teams {
		err := svc.SetTeam(ctx, sales.SetTeam{Team: team, Actor: admin, Manager: manager, Reps: reps,
			IdempotencyKey: key("team", manager)})
		if err != nil && !errors.Is(err, sales.ErrDuplicate) {
			return fmt.Errorf("simulator set-up: team of %s: %w", manager, err)
		}
	}
	st, err := svc.Settings(ctx, team)
	if err != nil {
		return fmt.Errorf("simulator set-up: %w", err)
	}
	changed := false
	for _, c := range []struct {
		field   *string
		channel string
	}{
		{&st.CelebrationChannel, "wins"},
		{&st.DigestChannel, "pipeline"},
		{&st.AlertsChannel, "sales"},
	} {
		if *c.field == "" {
			*c.field, changed = simulator.ChannelID(c.channel), true
		}
	}
	if !changed {
		return nil
	}
	err = svc.SaveSettings(ctx, sales.SaveSettings{Team: team, Actor: admin, Settings: st, IdempotencyKey: key("channels")})
	if err != nil && !errors.Is(err, sales.ErrDuplicate) {
		return fmt.Errorf("simulator set-up: channels: %w", err)
	}
	return nil
}
