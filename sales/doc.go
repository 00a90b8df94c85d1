// Package sales says what people and jobs can do to the pipeline, as data:
// each use case's typed request and result, the typed errors it refuses
// with and the notices a change causes. It imports only pipeline, so the
// Slack side (commands, render) can speak of the use cases without reaching
// the database; package salesdb carries them out.
package sales
