package commands

import (
	"salesbot/pipeline"
	"salesbot/render"
)

// The deal card's action IDs, as render names them.
const (
	actMove     = render.ActMove
	actNote     = render.ActNote
	actFollowup = render.ActFollowup
	actEdit     = render.ActEdit
	actWon      = render.ActWon
	actLost     = render.ActLost
	actHistory  = render.ActHistory
	actOpen     = render.ActOpen
)

// valueText and optionLabel are render's, under the names the rest of
// commands knows them by.
func valueText(d pipeline.Deal) string { return render.ValueText(d) }

func optionLabel(v string) string { return render.OptionLabel(v) }
