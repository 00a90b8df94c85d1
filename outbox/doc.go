// Package outbox delivers the Slack messages that follow a state change
// (closed-won announcements, handoff offers, alerts, digests) durably, on
// River over the application's lib/pq pool.
//
// A message is enqueued as a River job in the same database transaction as
// the change it announces: commit and it will be delivered, roll back and it
// never existed. Workers post it with retries and backoff, snooze for
// Slack's Retry-After, pace posts per channel, and cancel on errors no retry
// can fix. Every post carries its job ID in Slack message metadata
// (event_type "salesbot_outbox"), so that a job run again after Slack took
// its message finds the message in the channel's history instead of posting
// it twice.
//
// # Crashes
//
// Covered, neither lost nor sent twice:
//   - after the commit, before any worker took the job: the job waits in
//     the table and the next process serving its workspace posts it;
//   - while a worker held the job, before or after its post reached Slack:
//     the job stays "running" until River's rescuer (on the leader) re-runs
//     it after RescueStuckJobsAfter; the re-run, being a later attempt,
//     looks in the channel's history since the job's creation and posts
//     only if its message is not there;
//   - a post whose answer was lost (timeout, reset): the error is retried
//     and the retry looks in history the same way;
//   - DMs posted to a user ID: a re-run finds the DM channel with
//     conversations.open, which returns the channel the post landed in, so
//     nothing has to be recorded between the post and the job's end;
//   - shutdown: a post in flight is never cut off by the job's context
//     (River would requeue such a job as never attempted, and its re-run
//     would not look in history).
//
// Not covered:
//   - a re-run that cannot read the history (no channels:history,
//     groups:history or im:history scope; a public channel the bot posts to
//     without being a member) posts anyway, logged: a crash right after a post
//     can then show it twice. Delivery wins over silence;
//   - a message deleted in Slack before the re-run is posted again, and a
//     re-run searches at most 1,000 messages back;
//   - messages to one channel are not promised to arrive in enqueue order;
//   - a job failing for all of its attempts (about 85 minutes) is given up,
//     logged at error and counted as failed{reason="attempts_exhausted"}.
//
// # Replicas
//
// Any number of processes may run an Outbox on one database; each job runs in
// one of them at a time, and only in one serving the message's workspace
// (Config.Teams): each workspace has its own queue (QueueFor), so a process
// of another workspace, or `salesbot dev` on a shared database, never takes
// its messages. Pacing is per process: N replicas may post to one
// channel up to N times the interval's rate, and Slack's 429 answers (snoozed
// for their Retry-After, also holding back that channel's later posts) are
// the backstop.
package outbox
