package pipeline

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// MaxChannelName is Slack's limit on a channel name, in characters.
const MaxChannelName = 80

// RoomName is the channel name of deal n's room, for account: "deal-42-"
// and the account as a slug. Slack takes only lowercase a-z, 0-9, - and _,
// up to 80 characters, so accents are folded ("Müller" → "muller"), other
// letters (non-latin scripts) dropped, every other run of characters made
// one hyphen, and the slug cut at a word edge to fit. An account with no
// latin letter or digit gives "deal-42".
func RoomName(n int64, account string) string {
	return fitName("deal-"+strconv.FormatInt(n, 10), slug(account), MaxChannelName)
}

// RoomNameTry is the name to try the attempt-th time (1 for the first)
// after Slack answered name_taken: name itself, then name cut at a word
// edge to leave room for "-2", "-3", … within 80 characters.
func RoomNameTry(name string, attempt int) string {
	if attempt <= 1 {
		return name
	}
	suffix := "-" + strconv.Itoa(attempt)
	return cutWords(name, MaxChannelName-len(suffix)) + suffix
}

// latinLetters spells the Latin letters that have no accent to strip (so
// NFKD leaves them whole) in ASCII, as they are commonly written.
var latinLetters = strings.NewReplacer("ß", "ss", "ẞ", "SS", "ø", "o", "Ø", "O", "æ", "ae", "Æ", "AE",
	"ł", "l", "Ł", "L", "đ", "d", "Đ", "D", "þ", "th", "Þ", "TH", "œ", "oe", "Œ", "OE")

// slug is s in Slack's channel-name alphabet, words joined by hyphens.
func slug(s string) string {
	var b strings.Builder
	gap := false
	for _, r := range norm.NFKD.String(latinLetters.Replace(s)) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue // a combining accent: the letter before it stays
		case r >= 'A' && r <= 'Z':
			r += 'a' - 'A'
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
		case unicode.IsLetter(r):
			continue // another script: dropped, not a word break
		default:
			gap = b.Len() > 0
			continue
		}
		if gap {
			b.WriteByte('-')
			gap = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// fitName is prefix and slug joined by a hyphen, the slug cut at a word
// edge so that the whole is at most max characters.
func fitName(prefix, slug string, max int) string {
	if slug == "" {
		return prefix
	}
	room := max - len(prefix) - 1
	if room <= 0 {
		return prefix
	}
	if s := cutWords(slug, room); s != "" {
		return prefix + "-" + s
	}
	return prefix
}

// cutWords cuts s (ASCII) to at most max bytes, at the last hyphen or
// underscore that keeps it within max, unless that would drop more than
// half of it (one long word): then hard. No trailing separator is left.
func cutWords(s string, max int) string {
	if len(s) <= max {
		return s
	}
	if !utf8.ValidString(s) {
		return s[:max]
	}
	cut := s[:max]
	if s[max] != '-' && s[max] != '_' {
		if i := strings.LastIndexAny(cut, "-_"); i > max/2 {
			cut = cut[:i]
		}
	}
	return strings.TrimRight(cut, "-_")
}
