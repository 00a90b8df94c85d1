// Package salesbot holds what belongs to the whole repository rather than
// to one part of the program, such as the Slack app manifest.
package salesbot

import _ "embed"

// Manifest is manifest.yml, the Slack app manifest, as shipped. The local
// Slack simulator reads the slash commands it offers from it, so the
// simulator and a real workspace register the same commands.
//
//go:embed manifest.yml
var Manifest []byte
