package leadcsv

import (
	"fmt"
	"strings"
)

// Outcome is a line that made (or matched) a deal.
type Outcome struct {
	Line    int
	Number  int64 // the deal's D-number
	Company string
}

// Report is what an import did, line by line.
type Report struct {
	Created    []Outcome
	Duplicates []Rejected // already in the file or the workspace: skipped
	Rejected   []Rejected // invalid: not imported
}

// Summary is the report in one line.
func (r Report) Summary() string {
	return fmt.Sprintf("%d imported, %d duplicates skipped, %d rejected", len(r.Created), len(r.Duplicates), len(r.Rejected))
}

// Lines is the report for people: the summary, then the rejected and skipped
// lines with their reasons, at most max of each.
func (r Report) Lines(max int) []string {
	out := []string{r.Summary() + "."}
	list := func(title string, rs []Rejected) {
		if len(rs) == 0 {
			return
		}
		out = append(out, title)
		for i, x := range rs {
			if i == max {
				out = append(out, fmt.Sprintf("  …and %d more", len(rs)-max))
				break
			}
			who := ""
			if x.Company != "" {
				who = " (" + clip(x.Company, 60) + ")"
			}
			out = append(out, fmt.Sprintf("  line %d%s: %s", x.Line, who, x.Reason))
		}
	}
	list("Rejected:", r.Rejected)
	list("Skipped as duplicates:", r.Duplicates)
	return out
}

// String is the whole report, for a terminal.
func (r Report) String() string { return strings.Join(r.Lines(1<<30), "\n") }
