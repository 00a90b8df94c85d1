// Package pipeline is salesbot's domain: stages, deals, money, validation and
// the rules that decide what may happen to a deal. It is pure Go on purpose:
// no Slack, no SQL, so every rule can be unit tested without either.
package pipeline
