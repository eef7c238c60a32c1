// Package orders is Dealdesk's domain: the kinds of order and their
// parameters, the presets that turn a person's choices into billing codes,
// the order state machine and approval policy, and the service that moves
// orders. It knows no HTTP, no HTML and no SQL.
package orders
