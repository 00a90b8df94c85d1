package pipeline

import (
	"strconv"
	"strings"
	"time"
)

// MaxMentions is how many deals one message may bring up: a message listing
// a dozen deal numbers is a report, not a question about one.
const MaxMentions = 3

// ChannelSettings are what an admin has set for one channel. A channel
// nobody has set has the zero value: every setting off.
type ChannelSettings struct {
	WorkspaceID, ChannelID string
	// Mentions: a D-n in a message here gets the writer an ephemeral card.
	Mentions  bool
	ChangedBy string // "" when never set
	ChangedAt time.Time
}

// MentionedRefs finds the deal numbers written as D-n (any case) in a
// message's text, in order, without repeats and at most MaxMentions. A
// reference must stand as a word of its own ("D-42," yes, "ID-42" or
// "D-42x" no), and one inside a link, a mention or code (`…`, ```…```) is
// not counted: Slack sends links and mentions as <…>.
func MentionedRefs(text string) []int64 {
	var out []int64
	for _, part := range plainParts(text) {
		for i := 0; i < len(part); i++ {
			if part[i] != 'D' && part[i] != 'd' || i+2 >= len(part) || part[i+1] != '-' {
				continue
			}
			if i > 0 && wordByte(part[i-1]) {
				continue
			}
			j := i + 2
			for j < len(part) && part[j] >= '0' && part[j] <= '9' {
				j++
			}
			digits := part[i+2 : j]
			i = j - 1
			if digits == "" || len(digits) > 18 || (j < len(part) && (wordByte(part[j]) || part[j] == '-')) {
				continue
			}
			n, err := strconv.ParseInt(digits, 10, 64)
			if err != nil || n <= 0 || containsInt(out, n) {
				continue
			}
			if out = append(out, n); len(out) == MaxMentions {
				return out
			}
		}
	}
	return out
}

// plainParts is text without its <…> links and mentions and its code.
func plainParts(text string) []string {
	var parts []string
	for text != "" {
		i := strings.IndexAny(text, "<`")
		if i < 0 {
			parts = append(parts, text)
			break
		}
		parts = append(parts, text[:i])
		closing := ">"
		if text[i] == '`' {
			closing = "`"
			if strings.HasPrefix(text[i:], "```") {
				closing = "```"
			}
		}
		rest := text[i+len(closing):]
		if closing == ">" {
			rest = text[i+1:]
		}
		end := strings.Index(rest, closing)
		if end < 0 {
			// Unclosed: Slack shows it as typed, so it is plain text.
			parts = append(parts, text[i:i+1])
			text = text[i+1:]
			continue
		}
		text = rest[end+len(closing):]
	}
	return parts
}

// wordByte reports whether b continues a word (an ASCII letter, digit or _,
// or part of a multi-byte letter).
func wordByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '_' || b >= 0x80
}

func containsInt(xs []int64, x int64) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}
