package simulator

import "regexp"

// The page sends what Slack's own client sends: &, < and > as entities, a
// picked person as <@U…>, a picked channel as <#C…|name>. Slack's servers
// then turn bare URLs into links and, for a slash command, write mentions
// the way the command's "Escape channels, users, and links" setting
// (should_escape in the manifest) asks.

var (
	mentionToken = regexp.MustCompile(`<([@#])([A-Z0-9]+)(?:\|([^<>]*))?>`)
	specialToken = regexp.MustCompile(`<!(here|channel|everyone)>`)
	bareURL      = regexp.MustCompile(`(^|\s)(https?://[^\s<>|]+)`)
)

// linkify wraps bare URLs in <…>, as Slack's servers do with typed text.
func linkify(text string) string {
	return bareURL.ReplaceAllString(text, "$1<$2>")
}

// slashText is the text field of a slash command's payload, made from what
// the page sent: with escaping on, <@U…|handle>, <#C…|name> and <url>; with
// it off, the plain @handle, #name and url a person reads.
func (s *Server) slashText(text string, escape bool) string {
	if escape {
		text = linkify(text)
	}
	text = mentionToken.ReplaceAllStringFunc(text, func(tok string) string {
		m := mentionToken.FindStringSubmatch(tok)
		sigil, id, label := m[1], m[2], m[3]
		name := label
		if sigil == "@" {
			p, ok := s.person(id)
			if !ok {
				return tok // not a member: Slack leaves it as typed
			}
			name = p.Name
		} else if n := s.channelName(id); n != id {
			name = n
		}
		if name == "" {
			return tok
		}
		if escape {
			return "<" + sigil + id + "|" + name + ">"
		}
		return sigil + name
	})
	if !escape {
		text = specialToken.ReplaceAllString(text, "@$1")
	}
	return text
}
