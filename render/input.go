package render

import "fmt"

// What a person is told about slash command text that could not be read:
// what is wrong, then how the command is typed (usage). What they typed is
// quoted and escaped.

// WhichDeal asks for the missing deal number.
func WhichDeal(usage string) string { return fmt.Sprintf("Which deal? Usage: `%s`", usage) }

// BadArg is a parser's refusal (a deal number, an amount, a rule) in words.
func BadArg(err error, usage string) string {
	return fmt.Sprintf("%s. Usage: `%s`", Escape(Capitalize(err.Error())), usage)
}

// AfterRef refuses text after a deal number that takes none.
func AfterRef(rest, usage string) string {
	return fmt.Sprintf("Unexpected %s after the deal number. Usage: `%s`", Quoted(rest, 40), usage)
}

// AddThe asks for the missing text (what: "note", "stage").
func AddThe(what, usage string) string { return fmt.Sprintf("Add the %s. Usage: `%s`", what, usage) }

// TooLong refuses text over its limit.
func TooLong(what string, n, max int) string {
	return fmt.Sprintf("The %s is %d characters long; the limit is %d.", what, n, max)
}

// UsageOnly is the usage alone.
func UsageOnly(usage string) string { return fmt.Sprintf("Usage: `%s`", usage) }

// MentionPeople asks for @mentions.
func MentionPeople(usage string) string {
	return fmt.Sprintf("Mention the people with @. Usage: `%s`", usage)
}

// NotAPerson refuses a word that is not an @mention.
func NotAPerson(word, usage string) string {
	return fmt.Sprintf("%s is not a person: mention them with @. Usage: `%s`", Quoted(word, 40), usage)
}

// OneOwner refuses more than one new owner.
func OneOwner(usage string) string {
	return fmt.Sprintf("A deal has one owner: mention one person. Usage: `%s`", usage)
}

// NotARole refuses an unknown role.
func NotARole(word string) string {
	return fmt.Sprintf("%s is not a role: use rep, manager or admin.", Quoted(word, 20))
}

// OwnTeam refuses a manager on their own team.
func OwnTeam(usage string) string {
	return fmt.Sprintf("A manager cannot be on their own team. Usage: `%s`", usage)
}

// BadListScope refuses whose leads /lead list was asked for.
func BadListScope(word, usage string) string {
	return fmt.Sprintf("%s: show `mine`, `all` or a @person. Usage: `%s`", Quoted(word, 40), usage)
}

// BadPeriod refuses a report's period.
func BadPeriod(err error) string { return Escape(err.Error()) }

// BadForecast refuses what /pipeline forecast was asked for.
func BadForecast(word string) string {
	return fmt.Sprintf("I can forecast the `month` or the `quarter`, not %s. Usage: `/pipeline forecast [month|quarter]`", Quoted(word, 40))
}

// ExportUsage answers /pipeline export with words it does not take.
const ExportUsage = "Usage: `/pipeline export [mine|team|all]`"

// TooManyToExport refuses an export over max deals.
func TooManyToExport(max int) string {
	return fmt.Sprintf("That is more than %d deals, too many for a file in Slack; an admin can run `salesbot export` on the server.", max)
}

// RouteWhichRule asks which rule /salesbot route remove means.
const RouteWhichRule = "Say which rule to remove by its number, as `/salesbot routing` lists them: `/salesbot route remove 2`."

// RouteNoTarget asks who gets the leads of a new rule.
var RouteNoTarget = fmt.Sprintf("End the rule with the @rep (or `team @manager`) who gets the leads. Usage: `%s`", RouteUsage)

// NoSuchRule refuses to remove rule n of count.
func NoSuchRule(n, count int) string {
	return fmt.Sprintf("There is no rule %d: there are %d. `/salesbot routing` lists them.", n, count)
}

// TooManyRules refuses a rule over the workspace's max.
func TooManyRules(max int) string {
	return fmt.Sprintf("A workspace has at most %d routing rules; remove one first.", max)
}

// The usage answers of /salesbot away and capacity.
const (
	AwayUsage       = "/salesbot away on|off [@user]"
	CapacityUsage   = "/salesbot capacity @rep 25  (0 = no limit)"
	AwayOnOrOff     = ":warning: Say `on` or `off`. Usage: `" + AwayUsage + "`"
	AwayMention     = ":warning: Mention the person with @. Usage: `" + AwayUsage + "`"
	CapacityBadArgs = ":warning: Mention the rep, then a number of open leads from 0 (no limit) to 10000. Usage: `" + CapacityUsage + "`"
)

// The inline errors of the deal card's modals.
const (
	LostNeedsReason = "Say why the deal was lost."
	ChooseKind      = "Choose what kind of activity this was."
	SayWhatHappened = "Say what happened."
)

// NoteTooLong refuses an activity over its limit.
func NoteTooLong(n, max int) string {
	return fmt.Sprintf("That is %d characters long; the limit is %d.", n, max)
}

// FieldError is a parser's refusal (an amount, a time) under its input;
// sentence adds the full stop the parser's words lack.
func FieldError(err error, sentence bool) string {
	if sentence {
		return Capitalize(err.Error()) + "."
	}
	return Capitalize(err.Error())
}
