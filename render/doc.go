// Package render turns domain values into what people read: Block Kit
// blocks and the words in them. Its functions are pure — no database, no
// Slack calls, no clock of their own (the time to show is passed in) — so a
// message can be checked against a golden file. All user-facing wording
// belongs here; pipeline and the use cases return values and typed errors,
// never sentences with Slack markup.
package render
