package commands

import (
	"encoding/json"

	"github.com/slack-go/slack"

	"salesbot/render"
)

// leadModal is the New lead form (render.LeadModal), meta in its
// private_metadata.
func leadModal(company string, meta leadMeta) slack.ModalViewRequest {
	md, _ := json.Marshal(meta)
	return render.LeadModal(company, meta.Currency, string(md))
}
