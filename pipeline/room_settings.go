package pipeline

// RoomSettings are a workspace's deal-room settings.
type RoomSettings struct {
	Private bool // rooms are private channels
	// AutoMinor and AutoStage: a deal worth more than AutoMinor (minor
	// units of the workspace currency) gets a room by itself when it
	// reaches AutoStage. AutoStage "" is off.
	AutoMinor int64
	AutoStage Stage
	// ArchiveDays: a room is archived this many days after its deal
	// closes; 0 = never.
	ArchiveDays int
}

// MaxRoomArchiveDays is the most days after the close a room may wait to
// be archived.
const MaxRoomArchiveDays = 365

// AutoRoom tells whether change c of d (now d) opens d's room by itself
// under rs: the stage reached is the chosen one and d is worth more than
// the threshold, in the workspace currency.
func (rs RoomSettings) AutoRoom(d Deal, c StageChange, currency string) bool {
	return rs.AutoStage != "" && c.To == rs.AutoStage && c.From != c.To &&
		d.Value.Currency == currency && d.Value.Minor > rs.AutoMinor
}
