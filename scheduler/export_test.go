package scheduler

// OnlyTeam makes s tick one workspace, so tests sharing a database stay apart.
func OnlyTeam(s *Scheduler, team string) { s.only = team }
