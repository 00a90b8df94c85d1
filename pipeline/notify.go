package pipeline

// NotifyPrefs is a person's choice of DMs (/salesbot notify): which kinds
// they want and when they must not be disturbed.
type NotifyPrefs struct {
	// Wants says, per NotifyKinds name, whether the person gets that DM;
	// a kind it does not name is wanted.
	Wants map[string]bool
	// QuietStart and QuietEnd are "HH:MM" in the person's timezone, both
	// empty for no quiet hours.
	QuietStart, QuietEnd string
}

// Want reports whether the person gets DMs of kind.
func (p NotifyPrefs) Want(kind string) bool {
	v, ok := p.Wants[kind]
	return !ok || v
}
