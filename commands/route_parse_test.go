package commands

import (
	"strings"
	"testing"

	"salesbot/pipeline"
)

func TestParseRoute(t *testing.T) {
	ok := []struct {
		text string
		want routeEdit
	}{
		{"industry=Software <@U0BOB|bob>", routeEdit{add: &pipeline.RoutingRule{Industry: "Software", To: "U0BOB"}}},
		{"industry=Financial services size=51-200 team <@U0MGR>", routeEdit{add: &pipeline.RoutingRule{Industry: "Financial services", Size: "51-200", To: "U0MGR", Team: true}}},
		{"remove 2", routeEdit{remove: 2}},
		{"CLEAR", routeEdit{clear: true}},
	}
	for _, tt := range ok {
		got, err := parseRoute(tt.text)
		if err != nil || got.clear != tt.want.clear || got.remove != tt.want.remove ||
			(tt.want.add != nil && (got.add == nil || *got.add != *tt.want.add)) {
			t.Errorf("parseRoute(%q) = %+v, %v", tt.text, got, err)
		}
	}
	bad := map[string]string{
		"":                               "Usage",
		"remove x":                       "by its number",
		"remove 0":                       "by its number",
		"industry=Software":              "End the rule with the @rep",
		"<@U0BOB>":                       "give conditions",
		"size=huge <@U0BOB>":             `size "huge"`,
		"industry=a industry=b <@U0BOB>": "given twice",
	}
	for text, want := range bad {
		if _, err := parseRoute(text); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("parseRoute(%q) = %v, want an error with %q", text, err, want)
		}
	}
}
