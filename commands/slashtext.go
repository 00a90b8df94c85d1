package commands

import "strings"

// slackEntities undoes the one escaping Slack applies to a slash command's
// text: &, < and > typed by the person arrive as &amp;, &lt; and &gt;, while
// the <@U…> and <#C…|name> of mentions they picked arrive as real brackets.
// One pass, so "&amp;lt;" (a typed "&lt;") reads back as "&lt;".
var slackEntities = strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">")

func unescapeSlashText(s string) string { return slackEntities.Replace(s) }
