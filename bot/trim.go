package bot

// A JSON object member remover for forReplay: decoding a submission into
// maps and encoding it again costs more than the journal's insert itself;
// finding the members' bytes costs one pass without allocating. The input
// is JSON that the Socket Mode client has already parsed.

// withoutMembers returns obj, a JSON object, without the members named
// drop inside the object members named in (one level down), and whether
// anything was cut. On anything it does not understand it returns obj.
func withoutMembers(obj []byte, in, drop []string) ([]byte, bool) {
	var cuts [][2]int
	innerOK := true
	ok := eachMember(obj, 0, func(key []byte, _, vs, _ int) {
		if !oneOf(key, in) || obj[vs] != '{' {
			return
		}
		innerOK = innerOK && eachMember(obj, vs, func(key []byte, ms, _, me int) {
			if oneOf(key, drop) {
				cuts = append(cuts, [2]int{ms, me})
			}
		})
	})
	if !ok || !innerOK || len(cuts) == 0 {
		return obj, false
	}
	out := make([]byte, 0, len(obj))
	last := 0
	for _, c := range cuts {
		start, end := c[0], c[1]
		// Take the comma after the member, or else the one before it.
		if e := skipSpace(obj, end); e < len(obj) && obj[e] == ',' {
			end = e + 1
		} else if p := lastNonSpace(obj, start); p >= last && obj[p] == ',' {
			start = p
		}
		out = append(out, obj[last:start]...)
		last = end
	}
	return append(out, obj[last:]...), true
}

func oneOf(key []byte, names []string) bool {
	for _, n := range names {
		if string(key) == n {
			return true
		}
	}
	return false
}

// eachMember calls fn for each member of the object at b[i]: its key (as
// written, escapes included), where the member starts (its key's quote),
// and where its value starts and ends. It reports whether the object read.
func eachMember(b []byte, i int, fn func(key []byte, memberStart, valueStart, valueEnd int)) bool {
	i = skipSpace(b, i)
	if i >= len(b) || b[i] != '{' {
		return false
	}
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == '}' {
		return true
	}
	for i < len(b) {
		if b[i] != '"' {
			return false
		}
		ms := i
		ke := skipString(b, i)
		if ke < 0 {
			return false
		}
		i = skipSpace(b, ke)
		if i >= len(b) || b[i] != ':' {
			return false
		}
		vs := skipSpace(b, i+1)
		ve := skipValue(b, vs)
		if ve < 0 {
			return false
		}
		fn(b[ms+1:ke-1], ms, vs, ve)
		i = skipSpace(b, ve)
		if i >= len(b) {
			return false
		}
		switch b[i] {
		case '}':
			return true
		case ',':
			i = skipSpace(b, i+1)
		default:
			return false
		}
	}
	return false
}

// skipString returns the index after the string starting at b[i], or -1.
func skipString(b []byte, i int) int {
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return -1
}

// skipValue returns the index after the value starting at b[i], or -1.
func skipValue(b []byte, i int) int {
	if i >= len(b) {
		return -1
	}
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for ; i < len(b); i++ {
			switch b[i] {
			case '"':
				if i = skipString(b, i); i < 0 {
					return -1
				}
				i--
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return i + 1
				}
			}
		}
		return -1
	}
	// A number, true, false or null.
	for ; i < len(b); i++ {
		switch b[i] {
		case ',', '}', ']', ' ', '\t', '\n', '\r':
			return i
		}
	}
	return i
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// lastNonSpace is the index of the last byte before i that is not space.
func lastNonSpace(b []byte, i int) int {
	for i--; i >= 0 && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r'); i-- {
	}
	return i
}
