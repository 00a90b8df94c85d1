package salesdb

import (
	"context"
	"salesbot/pipeline"
)

// Workspace reads team's context in one query, creating the workspace on
// first sight.
func (s *Service) Workspace(ctx context.Context, team string) (Workspace, error) {
	st, icp, err := s.store.EnsureWorkspaceICP(ctx, s.store.DB(), team, s.defaults)
	if err != nil {
		return Workspace{}, err
	}
	return Workspace{Settings: st, ICP: icp}, nil
}

// scorer scores new leads against the workspace's ICP.
func scorerOf(w Workspace) func(pipeline.ScoreInput) (int, []string) {
	return func(in pipeline.ScoreInput) (int, []string) { return pipeline.Score(in, w.ICP) }
}
