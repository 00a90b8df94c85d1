package salesdb

import "salesbot/sales"

// The use cases' requests, results, errors and notices are package sales's;
// these names let the code that carries them out say them unqualified.
type (
	AddNote             = sales.AddNote
	AlertItems          = sales.AlertItems
	AlertsRequest       = sales.AlertsRequest
	AnswerFollowUp      = sales.AnswerFollowUp
	AnswerHandoff       = sales.AnswerHandoff
	AssignLead          = sales.AssignLead
	BigDealMoved        = sales.BigDealMoved
	CardDetails         = sales.CardDetails
	CreatedLead         = sales.CreatedLead
	DealEdited          = sales.DealEdited
	DealHistory         = sales.DealHistory
	DealSnoozed         = sales.DealSnoozed
	DealWon             = sales.DealWon
	DigestRequest       = sales.DigestRequest
	Directory           = sales.Directory
	DueFollowUp         = sales.DueFollowUp
	DueFollowUps        = sales.DueFollowUps
	EditDeal            = sales.EditDeal
	EditRouting         = sales.EditRouting
	ErrAlreadyOwner     = sales.ErrAlreadyOwner
	ErrFollowUpNotFound = sales.ErrFollowUpNotFound
	ErrForbidden        = sales.ErrForbidden
	ErrNoSuchRule       = sales.ErrNoSuchRule
	ErrNotFound         = sales.ErrNotFound
	ErrTooManyRules     = sales.ErrTooManyRules
	ErrTooManyToExport  = sales.ErrTooManyToExport
	ExportDeals         = sales.ExportDeals
	ExportRequest       = sales.ExportRequest
	ExportedDeals       = sales.ExportedDeals
	FindDeals           = sales.FindDeals
	FollowOnDealOpened  = sales.FollowOnDealOpened
	FollowUpAnswered    = sales.FollowUpAnswered
	FollowUpDue         = sales.FollowUpDue
	FollowUpScheduled   = sales.FollowUpScheduled
	ForecastView        = sales.ForecastView
	HandoffAnswer       = sales.HandoffAnswer
	HandoffAnswered     = sales.HandoffAnswered
	Home                = sales.Home
	ImportResult        = sales.ImportResult
	LeadAssigned        = sales.LeadAssigned
	LeadHandedOver      = sales.LeadHandedOver
	LeadList            = sales.LeadList
	LeadRerouted        = sales.LeadRerouted
	OfferLapsed         = sales.OfferLapsed
	LeadRouted          = sales.LeadRouted
	Leaderboard         = sales.Leaderboard
	LeaderboardRequest  = sales.LeaderboardRequest
	ListLeads           = sales.ListLeads
	MetricsRequest      = sales.MetricsRequest
	MetricsView         = sales.MetricsView
	MorningAlerts       = sales.MorningAlerts
	MoveDeal            = sales.MoveDeal
	MovedDeal           = sales.MovedDeal
	NoteAdded           = sales.NoteAdded
	Notice              = sales.Notice
	NotifyChoices       = sales.NotifyChoices
	OpenFollowOnDeal    = sales.OpenFollowOnDeal
	OwnerFollowUps      = sales.OwnerFollowUps
	PersonAlerts        = sales.PersonAlerts
	PipelineView        = sales.PipelineView
	QualifiedLead       = sales.QualifiedLead
	QualifyLead         = sales.QualifyLead
	ReadHome            = sales.ReadHome
	Recipient           = sales.Recipient
	ReportRequest       = sales.ReportRequest
	SaveSettings        = sales.SaveSettings
	ScheduleFollowUp    = sales.ScheduleFollowUp
	SetAway             = sales.SetAway
	SetCapacity         = sales.SetCapacity
	SetICP              = sales.SetICP
	SetNotify           = sales.SetNotify
	SetRole             = sales.SetRole
	SetTeam             = sales.SetTeam
	SnoozeDeal          = sales.SnoozeDeal
	StaleDeal           = sales.StaleDeal
	StaleRequest        = sales.StaleRequest
	StaleView           = sales.StaleView
	TeamMember          = sales.TeamMember
	ValidationError     = sales.ValidationError
	Workspace           = sales.Workspace
)

var (
	ActivityKinds   = sales.ActivityKinds
	ErrAdminOnly    = sales.ErrAdminOnly
	ErrConflict     = sales.ErrConflict
	ErrDuplicate    = sales.ErrDuplicate
	ErrNoRep        = sales.ErrNoRep
	ErrNotPending   = sales.ErrNotPending
	ErrOwnLeadsOnly = sales.ErrOwnLeadsOnly
	ErrOwnsAlready  = sales.ErrOwnsAlready
)

const (
	CrossSell   = sales.CrossSell
	HomeDeals   = sales.HomeDeals
	LeadsAll    = sales.LeadsAll
	LeadsMine   = sales.LeadsMine
	LeadsOf     = sales.LeadsOf
	LeadsTeam   = sales.LeadsTeam
	MaxCapacity = sales.MaxCapacity
	StaleSnooze = sales.StaleSnooze
	Upsell      = sales.Upsell
)
