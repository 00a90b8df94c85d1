package render

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/slack-go/slack"

	"salesbot/leadcsv"
	"salesbot/pipeline"
)

// The views and answers of /salesbot's people, routing, ICP and notify
// commands, and of /lead import.

// Callback and block IDs of the notify, ICP and import modals; each kind's
// switch in the notify modal is "notify_<kind>".
const (
	CbNotify       = "notify"
	InQuietStart   = "quiet_start"
	InQuietEnd     = "quiet_end"
	InNotifyPrefix = "notify_"
	CbICP          = "salesbot_icp"
	CbImport       = "lead_import"
	InCSV          = "csv"
	// MaxPastedCSV is Slack's limit for a text input.
	MaxPastedCSV = 3000
)

// NotifyModal is /salesbot notify: which DMs a person gets, and their
// quiet hours.
func NotifyModal(p pipeline.NotifyPrefs) slack.ModalViewRequest {
	blocks := []slack.Block{
		slack.NewSectionBlock(Mrkdwn("Choose the DMs salesbot sends you. Messages that fall in your quiet hours wait until they end."), nil, nil),
	}
	for _, k := range pipeline.NotifyKinds {
		id := InNotifyPrefix + k.Name
		blocks = append(blocks, Field(id, k.Label, "", onOff(id, p.Want(k.Name)), false))
	}
	blocks = append(blocks,
		Field(InQuietStart, "Quiet hours from", "HH:MM in your own timezone, such as 20:00. Empty: no quiet hours.", TextEl(InQuietStart, "20:00", p.QuietStart, 5, false), true),
		Field(InQuietEnd, "Quiet hours until", "HH:MM, such as 08:00: your morning.", TextEl(InQuietEnd, "08:00", p.QuietEnd, 5, false), true))
	return slack.ModalViewRequest{Type: slack.VTModal, CallbackID: CbNotify,
		Title: Plain("Notifications"), Submit: Plain("Save"), Close: Plain("Cancel"),
		Blocks: slack.Blocks{BlockSet: blocks}}
}

// The notify form's inline errors about quiet hours.
const (
	QuietNoStart = "Say when your quiet hours start, or leave both empty."
	QuietNoEnd   = "Say when your quiet hours end, or leave both empty."
	QuietSame    = "Quiet hours must end at another time than they start."
)

// NotifySaved confirms /salesbot notify, with the quiet hours if any.
func NotifySaved(start, end string) string {
	text := ":white_check_mark: Notification choices saved."
	if start != "" {
		text += fmt.Sprintf(" Quiet hours %s–%s.", start, end)
	}
	return text
}

// RoleSet confirms /salesbot role.
func RoleSet(user, role string) string {
	return fmt.Sprintf(":white_check_mark: %s is now a %s.", UserMention(user), role)
}

// TeamSet confirms /salesbot team.
func TeamSet(manager string, reps []string) string {
	names := make([]string, len(reps))
	for i, r := range reps {
		names[i] = UserMention(r)
	}
	return fmt.Sprintf(":busts_in_silhouette: %s now manages %s.", UserMention(manager), strings.Join(names, ", "))
}

// RouteUsage is how /salesbot route is typed.
const RouteUsage = "/salesbot route industry=Software size=51-200 territory=EMEA @rep  (or `team @manager`) · `/salesbot route remove 2` · `/salesbot route clear`"

// RoutingRules lists the rules in order, as /salesbot routing shows them.
func RoutingRules(rules []pipeline.RoutingRule) string {
	if len(rules) == 0 {
		return "No routing rules: new leads without an owner go round-robin to every available rep."
	}
	var b strings.Builder
	b.WriteString("*Routing rules* (first match wins, then round-robin):\n")
	for i, r := range rules {
		to := UserMention(r.To)
		if r.Team {
			to = "the team of " + to
		}
		fmt.Fprintf(&b, "%d. %s → %s\n", i+1, Escape(r.Conditions()), to)
	}
	return strings.TrimRight(b.String(), "\n")
}

// RoutingShown answers /salesbot routing.
func RoutingShown(rules []pipeline.RoutingRule) string {
	return RoutingRules(rules) + "\nChange them with `" + RouteUsage + "`"
}

// RoutingSaved confirms a change to the rules, listing them.
func RoutingSaved(rules []pipeline.RoutingRule) string {
	return ":white_check_mark: Routing rules saved.\n" + RoutingRules(rules)
}

// Away confirms /salesbot away on or off.
func Away(user string, on bool) string {
	if on {
		return fmt.Sprintf(":palm_tree: %s is away: no new leads are routed to them.", UserMention(user))
	}
	return fmt.Sprintf(":wave: %s is back: leads are routed to them again.", UserMention(user))
}

// CapacitySet confirms /salesbot capacity; 0 is no limit.
func CapacitySet(user string, n int) string {
	limit := strconv.Itoa(n) + " open leads"
	if n == 0 {
		limit = "no limit"
	}
	return fmt.Sprintf(":white_check_mark: %s takes routed leads up to %s.", UserMention(user), limit)
}

// ICPModal is /salesbot icp: the ideal customer profile lead scores measure
// fit against.
func ICPModal(icp pipeline.ICP) slack.ModalViewRequest {
	ind, size := string(pipeline.FieldIndustry), string(pipeline.FieldCompanySize)
	sizes := slack.NewCheckboxGroupsBlockElement(size, Options(pipeline.CompanySizes, func(s string) string { return s })...)
	for _, o := range sizes.Options {
		for _, s := range icp.Sizes {
			if o.Value == s {
				sizes.InitialOptions = append(sizes.InitialOptions, o)
			}
		}
	}
	return slack.ModalViewRequest{
		Type: slack.VTModal, CallbackID: CbICP,
		Title: Plain("Ideal customer"), Submit: Plain("Save"), Close: Plain("Cancel"),
		Blocks: slack.Blocks{BlockSet: []slack.Block{
			Field(ind, "Industries", "Comma-separated, e.g. Software, Fintech. Leads in these industries score higher.",
				TextEl(ind, "Software, Fintech", strings.Join(icp.Industries, ", "), 2000, false), true),
			Field(size, "Company sizes", "Employees.", sizes, true),
		}},
	}
}

// ICPSaved confirms /salesbot icp.
const ICPSaved = ":white_check_mark: Ideal customer profile saved; open deals were rescored."

// ImportModal is /lead import: a box to paste CSV into.
func ImportModal() slack.ModalViewRequest {
	el := slack.NewPlainTextInputBlockElement(Plain("company,contact email,value\nAcme,ann@acme.com,12500"), InCSV)
	el.Multiline, el.MaxLength = true, MaxPastedCSV
	hint := fmt.Sprintf("Header line first. Columns: %s (the New lead labels work too). Up to %d characters here; import bigger files with `salesbot import --file`.",
		strings.Join(leadcsv.Columns, ", "), MaxPastedCSV)
	in := slack.NewInputBlock(InCSV, Plain("CSV rows"), Plain(hint), el)
	return slack.ModalViewRequest{
		Type: slack.VTModal, CallbackID: CbImport,
		Title: Plain("Import leads"), Submit: Plain("Import"), Close: Plain("Cancel"),
		Blocks: slack.Blocks{BlockSet: []slack.Block{in}},
	}
}

// ImportNoRows refuses a pasted file with a header line only.
const ImportNoRows = "Add at least one row under the header line."

// ImportBadFile is the inline error for a file leadcsv could not read.
func ImportBadFile(err error) string { return Clip(Capitalize(err.Error())+".", 1000) }

// ImportFinished is the DM that reports an import; failed, when it
// stopped part way, says why first.
func ImportFinished(r leadcsv.Report, failed string) string {
	if failed != "" {
		return Clip(":warning: "+failed+"\nLines before the problem were imported; run the same import again to finish (it creates nothing twice).\n"+importReport(r), 3000)
	}
	return Clip(":inbox_tray: *Import finished:* "+importReport(r), 3000)
}

// importReport is the report for Slack, short enough for one message.
func importReport(r leadcsv.Report) string {
	lines := r.Lines(15)
	if len(r.Created) > 0 {
		refs := make([]string, 0, 20)
		for i, c := range r.Created {
			if i == 20 {
				refs = append(refs, fmt.Sprintf("…and %d more", len(r.Created)-20))
				break
			}
			refs = append(refs, pipeline.FormatRef(c.Number))
		}
		lines = append(lines, "Created: "+strings.Join(refs, ", "))
	}
	return Escape(strings.Join(lines, "\n"))
}

// ModalFailed tells a person the form they asked for did not open, why,
// and how to ask again.
func ModalFailed(f Form, err error) string {
	return fmt.Sprintf(":warning: The %s form could not open (%s). Nothing was saved; %s.", f.Name, SlackReason(err), f.Again)
}

// SlackReason says in a few words why a Web API call failed.
func SlackReason(err error) string {
	var se slack.SlackErrorResponse
	var sc slack.StatusCodeError
	var rl *slack.RateLimitedError
	switch {
	case errors.As(err, &se):
		if se.Err == "expired_trigger_id" || se.Err == "exchanged_trigger_id" {
			return "Slack's 3-second window to open it had passed"
		}
		return "Slack said: " + se.Err
	case errors.As(err, &sc):
		return fmt.Sprintf("Slack answered with an error, HTTP %d", sc.Code)
	case errors.As(err, &rl):
		return "Slack asked salesbot to slow down"
	case errors.Is(err, context.DeadlineExceeded):
		return "Slack did not answer in time"
	}
	return "Slack could not be reached"
}
