-- The scheduler: occurrences of scheduled jobs already carried out, so that a
-- done occurrence never runs again, whatever replica or restart looks back at
-- it (River forgets completed jobs after a day).

-- +goose Up
CREATE TABLE scheduler_runs (
    workspace_id text NOT NULL REFERENCES workspaces (id) ON DELETE RESTRICT,
    job          text NOT NULL CHECK (job <> ''),
    scheduled_at timestamptz NOT NULL,
    outcome      text NOT NULL DEFAULT 'done' CHECK (outcome IN ('done', 'skipped')),
    ran_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, job, scheduled_at)
);

-- The tick prunes runs older than anything it looks back over.
CREATE INDEX scheduler_runs_scheduled_idx ON scheduler_runs (scheduled_at);

-- Due reminders of one workspace: the reminder job runs per workspace.
CREATE INDEX follow_ups_ws_due_idx ON follow_ups (workspace_id, remind_at) WHERE done_at IS NULL AND reminded_at IS NULL;

-- +goose Down
DROP INDEX follow_ups_ws_due_idx;
DROP TABLE scheduler_runs;
