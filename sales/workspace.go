package sales

import "salesbot/pipeline"

// Workspace is what one request reads of its workspace, once: its settings
// and its ideal customer profile. A use case reads it at its start and
// passes it down, rather than each step reading them again.
type Workspace struct {
	Settings pipeline.Settings
	ICP      pipeline.ICP
}
