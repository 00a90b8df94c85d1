package commands

import (
	"fmt"
	"strings"

	"salesbot/pipeline"
	"salesbot/render"
)

// scoreLine is the card's line under the fields: the score and why.
func scoreLine(d pipeline.Deal) string {
	return fmt.Sprintf("Score %d/100: %s", d.Score, render.Escape(strings.Join(d.ScoreReasons, " · ")))
}
