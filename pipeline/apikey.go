package pipeline

import "time"

// Kinds of API key. A secret key can create and read; a form key is
// publishable in a web page, so it can only create leads, from its origins.
const (
	KeySecret = "secret"
	KeyForm   = "form"
)

// APIKey is a workspace's API key as stored: never the key itself, only its
// public prefix (the hash stays in the store).
type APIKey struct {
	Team           string
	Prefix         string // the key's public name, shown in lists
	Label          string
	Kind           string // KeySecret or KeyForm
	AllowedOrigins []string
	CreatedBy      string
	CreatedAt      time.Time
	RevokedAt      *time.Time
}
