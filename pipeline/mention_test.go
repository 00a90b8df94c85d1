package pipeline

import (
	"slices"
	"testing"
)

func TestMentionedRefs(t *testing.T) {
	cases := []struct {
		text string
		want []int64
	}{
		{"", nil},
		{"D-42", []int64{42}},
		{"what about d-7?", []int64{7}},
		{"D-42, D-7 and (D-9).", []int64{42, 7, 9}},
		{"D-1 D-2 D-3 D-4", []int64{1, 2, 3}},                  // at most MaxMentions
		{"D-5 again d-5 and D-005", []int64{5}},                // deduplicated
		{"ID-42 D-42x D-42_ D-42-3 xD-1 D-", nil},              // not a word of its own
		{"D-0 D-", nil},                                        // no deal number
		{"D-99999999999999999999", nil},                        // too long to be one
		{"see <https://crm.example/D-12|D-12> or `D-13`", nil}, // inside a link and code
		{"```\nD-14\n``` but D-15", []int64{15}},               // code block
		{"<@U0SAM> D-16", []int64{16}},                         // after a mention
		{"a < b and D-17", []int64{17}},                        // unclosed < is text
		{"one `tick and D-18", []int64{18}},                    // unclosed ` is text
		{"éD-19 D-20é", nil},                                   // letters beyond ASCII join words
		{"D-21\nD-22", []int64{21, 22}},
	}
	for _, c := range cases {
		if got := MentionedRefs(c.text); !slices.Equal(got, c.want) {
			t.Errorf("MentionedRefs(%q) = %v, want %v", c.text, got, c.want)
		}
	}
}
