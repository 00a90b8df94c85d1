package commands

import (
	"fmt"
	"strings"

	"github.com/slack-go/slack"

	"salesbot/pipeline"
)

// dealCard renders a deal as people see it everywhere: title line, the key
// fields, and who owns it.
func dealCard(d pipeline.Deal) []slack.Block {
	title := fmt.Sprintf("*%s · %s*", d.Ref(), escape(d.AccountName))
	if d.Title != "" && d.Title != d.AccountName {
		title += " — " + escape(d.Title)
	}
	value := "—"
	if d.Value.Minor > 0 {
		value = d.Value.String()
		if d.Recurring {
			value += " / year"
		}
	}
	fields := []*slack.TextBlockObject{
		mrkdwn("*Stage*\n" + pipeline.StageLabel(d.Stage)),
		mrkdwn("*Value*\n" + value),
		mrkdwn("*Owner*\n" + userMention(d.OwnerID)),
	}
	if d.ContactName != "" || d.ContactEmail != "" {
		fields = append(fields, mrkdwn("*Contact*\n"+contactLine(d.ContactName, d.ContactEmail)))
	}
	if d.ExpectedClose != nil {
		fields = append(fields, mrkdwn("*Expected close*\n"+d.ExpectedClose.Format("Jan 2, 2006")))
	}
	if d.Source != "" {
		fields = append(fields, mrkdwn("*Source*\n"+escape(optionLabel(d.Source))))
	}
	return []slack.Block{
		slack.NewSectionBlock(mrkdwn(title), fields, nil),
	}
}

func contactLine(name, email string) string {
	switch {
	case name != "" && email != "":
		return fmt.Sprintf("%s <mailto:%s|%s>", escape(name), email, escape(email))
	case email != "":
		return fmt.Sprintf("<mailto:%s|%s>", email, escape(email))
	}
	return escape(name)
}

func userMention(id string) string {
	if id == "" {
		return "unassigned"
	}
	return "<@" + id + ">"
}

// escape makes user text safe inside mrkdwn: Slack reads &, < and > as markup.
var escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

func escape(s string) string { return escaper.Replace(s) }
