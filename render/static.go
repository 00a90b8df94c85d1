package render

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Static is an answer that never changes (help, a command's usage),
// rendered once and held as plain values that encoding/json writes as they
// are. Pre-encoded bytes would cost more per ack: encoding/json re-validates
// what a json.Marshaler returns, byte by byte, on every encoding.
type Static struct {
	ResponseType string        `json:"response_type,omitempty"`
	Text         string        `json:"text"`
	Blocks       []staticBlock `json:"blocks,omitempty"`
}

// staticBlock holds the blocks static answers use: header, section, context.
type staticBlock struct {
	Type     string       `json:"type"`
	Text     *staticText  `json:"text,omitempty"`
	Elements []staticText `json:"elements,omitempty"`
}

type staticText struct {
	Type     string `json:"type"`
	Text     string `json:"text"`
	Emoji    *bool  `json:"emoji,omitempty"`
	Verbatim *bool  `json:"verbatim,omitempty"`
}

// NewStatic renders m, an answer encoded as JSON, once as a Static that encodes to the same JSON. It
// panics when m holds something a Static cannot (the answers are
// fixed: a bug, found by any test that builds an App).
func NewStatic(m any) *Static {
	want, err := json.Marshal(m)
	var a Static
	if err == nil {
		dec := json.NewDecoder(bytes.NewReader(want))
		dec.DisallowUnknownFields()
		err = dec.Decode(&a)
	}
	if err == nil {
		if got, _ := json.Marshal(&a); !bytes.Equal(got, want) {
			err = fmt.Errorf("encodes as %s, want %s", got, want)
		}
	}
	if err != nil {
		panic(fmt.Sprintf("render: a static answer: %v", err))
	}
	return &a
}
