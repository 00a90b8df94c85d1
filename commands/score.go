package commands

import (
	"fmt"
	"strings"

	"salesbot/pipeline"
)

// scoreLine is the card's line under the fields: the score and why.
func scoreLine(d pipeline.Deal) string {
	return fmt.Sprintf("Score %d/100: %s", d.Score, escape(strings.Join(d.ScoreReasons, " · ")))
}
