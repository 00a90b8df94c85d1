// Package webhooks sends a workspace's deal events to the endpoints its
// admins added: each delivery is a River job inserted in the transaction of
// the change (Publish), so an event is sent if and only if its change
// commits. The worker signs each request with the endpoint's secret, treats
// any 2xx as delivered and retries anything else with exponential backoff
// for about a day; delivery is at least once, and the event ID (the same in
// every retry) lets a receiver drop repeats. Endpoints on private networks
// are refused when added and again at each connection (see Guard).
package webhooks
