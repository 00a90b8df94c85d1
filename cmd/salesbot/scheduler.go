package main

import (
	"context"
	"time"

	"github.com/slack-go/slack"

	"salesbot/commands"
)

// appReports gives the scheduler the commands' digest and leaderboard, so a
// scheduled digest and /pipeline digest say the same thing.
type appReports struct{ app *commands.App }

func (r appReports) Digest(ctx context.Context, teamID string, day time.Time, managerID string) (string, []slack.Block, error) {
	d, err := r.app.BuildDigest(ctx, teamID, day, managerID)
	if err != nil {
		return "", nil, err
	}
	return commands.DigestText(d), commands.DigestBlocks(d), nil
}

func (r appReports) Leaderboard(ctx context.Context, teamID string, from, to time.Time) (string, []slack.Block, []byte, error) {
	return r.app.LeaderboardMessage(ctx, teamID, from, to)
}
