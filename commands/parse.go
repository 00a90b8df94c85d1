package commands

import (
	"strings"
	"unicode/utf8"

	"salesbot/pipeline"
	"salesbot/render"
)

// The parsers below read slash command arguments. Each returns an inputError
// that names what is wrong and shows the usage, never a partial result.

// splitRef takes the deal reference off the front of text.
func splitRef(text, usage string) (int64, string, error) {
	first, rest, _ := strings.Cut(strings.TrimSpace(text), " ")
	if first == "" {
		return 0, "", badInput(render.WhichDeal(usage))
	}
	n, err := pipeline.ParseRef(first)
	if err != nil {
		return 0, "", badInput(render.BadArg(err, usage))
	}
	return n, strings.TrimSpace(rest), nil
}

// parseRefOnly reads "D-42" and nothing else.
func parseRefOnly(text, usage string) (int64, error) {
	n, rest, err := splitRef(text, usage)
	if err == nil && rest != "" {
		return 0, badInput(render.AfterRef(rest, usage))
	}
	return n, err
}

// parseRefAndText reads "D-42 some text", where the text is required and at
// most max characters.
func parseRefAndText(text, usage, what string, max int) (int64, string, error) {
	n, rest, err := splitRef(text, usage)
	if err != nil {
		return 0, "", err
	}
	if rest == "" {
		return 0, "", badInput(render.AddThe(what, usage))
	}
	if c := utf8.RuneCountInString(rest); c > max {
		return 0, "", badInput(render.TooLong(what, c, max))
	}
	return n, rest, nil
}

// parseWon reads "D-42 [amount]".
func parseWon(text, currency string) (int64, *pipeline.Money, error) {
	const usage = "/deal won D-42 [final amount]"
	n, rest, err := splitRef(text, usage)
	if err != nil || rest == "" {
		return n, nil, err
	}
	m, err := pipeline.ParseAmount(rest, currency)
	if err != nil {
		return 0, nil, badInput(render.BadArg(err, usage))
	}
	return n, &m, nil
}

// parseMention reads a Slack user mention as Slack escapes it in slash
// command text: <@U123> or <@U123|maria>.
func parseMention(s string) (string, bool) {
	if !strings.HasPrefix(s, "<@") || !strings.HasSuffix(s, ">") {
		return "", false
	}
	id, _, _ := strings.Cut(s[2:len(s)-1], "|")
	return id, pipeline.ValidUserID(id)
}

// parseMentions reads one or more mentions; at least min of them.
func parseMentions(words []string, min int, usage string) ([]string, error) {
	if len(words) < min {
		return nil, badInput(render.MentionPeople(usage))
	}
	ids := make([]string, 0, len(words))
	for _, w := range words {
		id, ok := parseMention(w)
		if !ok {
			return nil, badInput(render.NotAPerson(w, usage))
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// parseAssign reads "D-42 @user".
func parseAssign(text string) (int64, string, error) {
	const usage = "/lead assign D-42 @user"
	n, rest, err := splitRef(text, usage)
	if err != nil {
		return 0, "", err
	}
	ids, err := parseMentions(strings.Fields(rest), 1, usage)
	if err != nil {
		return 0, "", err
	}
	if len(ids) != 1 {
		return 0, "", badInput(render.OneOwner(usage))
	}
	return n, ids[0], nil
}

// parseRole reads "@user rep|manager|admin".
func parseRole(args []string) (string, string, error) {
	const usage = "/salesbot role @user rep|manager|admin"
	if len(args) != 2 {
		return "", "", badInput(render.UsageOnly(usage))
	}
	ids, err := parseMentions(args[:1], 1, usage)
	if err != nil {
		return "", "", err
	}
	role := strings.ToLower(args[1])
	if !pipeline.ValidRole(role) {
		return "", "", badInput(render.NotARole(args[1]))
	}
	return ids[0], role, nil
}

// parseTeam reads "@manager @rep…".
func parseTeam(args []string) (string, []string, error) {
	const usage = "/salesbot team @manager @rep @rep…"
	ids, err := parseMentions(args, 2, usage)
	if err != nil {
		return "", nil, err
	}
	for _, r := range ids[1:] {
		if r == ids[0] {
			return "", nil, badInput(render.OwnTeam(usage))
		}
	}
	return ids[0], ids[1:], nil
}

// listScope is whose deals /lead list shows.
type listScope struct {
	all  bool
	user string // "" = the actor
}

// parseListScope reads "[mine|all|@user]".
func parseListScope(args []string) (listScope, error) {
	const usage = "/lead list [mine|all|@user]"
	if len(args) == 0 {
		return listScope{}, nil
	}
	if len(args) > 1 {
		return listScope{}, badInput(render.UsageOnly(usage))
	}
	switch strings.ToLower(args[0]) {
	case "mine", "me":
		return listScope{}, nil
	case "all":
		return listScope{all: true}, nil
	}
	if id, ok := parseMention(args[0]); ok {
		return listScope{user: id}, nil
	}
	return listScope{}, badInput(render.BadListScope(args[0], usage))
}
