package bot

import (
	"encoding/json"
	"reflect"
	"testing"
)

// TestWithoutMembersCutsOnlyTheNamedMembers compares the cut with what
// decoding, deleting and comparing says it must be.
func TestWithoutMembersCutsOnlyTheNamedMembers(t *testing.T) {
	in, drop := []string{"view", "message"}, []string{"blocks", "attachments"}
	for _, payload := range []string{
		`{"type":"view_submission","view":{"id":"V1","blocks":[{"text":"a \"}]\" b"}],"state":{"values":{"blocks":{"x":{"value":"{["}}}}}}`,
		`{ "view" : { "blocks" : [ ] } , "blocks" : [1] }`,
		`{"view":{"state":{},"blocks":[{"k":[1,2,{"z":null}]}]},"message":{"attachments":[],"ts":"1.2","blocks":[]}}`,
		`{"message":{"blocks":[],"attachments":[{"a":"\\"}]}, "view":{"hash":"1.x" ,"blocks":[]	}}`,
		`{"view":null,"message":"blocks","user":{"blocks":[1]}}`,
		`{"actions":[{"value":"1"}],"view":{"private_metadata":"{\"blocks\":1}","blocks":[],"callback_id":"c"}}`,
	} {
		got, _ := withoutMembers([]byte(payload), in, drop)
		var want, have map[string]any
		if err := json.Unmarshal([]byte(payload), &want); err != nil {
			t.Fatal(err)
		}
		for _, k := range in {
			if m, ok := want[k].(map[string]any); ok {
				for _, d := range drop {
					delete(m, d)
				}
			}
		}
		if err := json.Unmarshal(got, &have); err != nil {
			t.Fatalf("%s became %s: %v", payload, got, err)
		}
		if !reflect.DeepEqual(have, want) {
			t.Errorf("%s became %s", payload, got)
		}
	}
	for _, bad := range []string{``, `[]`, `{"view":{"blocks":[}`, `{"view"`} {
		if got, cut := withoutMembers([]byte(bad), in, drop); cut || string(got) != bad {
			t.Errorf("%q became %q", bad, got)
		}
	}
}
