package commands

import (
	"context"
	"io"

	"salesbot/pipeline"
	"salesbot/sales"
)

// UseCases are the use cases the Slack side calls, one method per thing a
// person can do or read (package sales says what each takes and returns;
// salesdb carries them out). Commands reach the data only through them.
type UseCases interface {
	closeUseCases
	roomUseCases
	Actor(ctx context.Context, team, user string) (pipeline.User, pipeline.Settings, error)
	AddNote(ctx context.Context, in sales.AddNote) (sales.NoteAdded, error)
	AnswerHandoff(ctx context.Context, in sales.AnswerHandoff) (sales.HandoffAnswer, error)
	ApprovalRules(ctx context.Context, team string) (pipeline.ApprovalRules, error)
	AssignLead(ctx context.Context, in sales.AssignLead) (sales.LeadAssigned, error)
	CardDetails(ctx context.Context, d pipeline.Deal) (sales.CardDetails, error)
	CompleteFollowUp(ctx context.Context, in sales.AnswerFollowUp) (sales.FollowUpAnswered, error)
	CreateLead(ctx context.Context, lead pipeline.NewLead) (sales.CreatedLead, error)
	Deal(ctx context.Context, actor pipeline.User, n int64) (pipeline.Deal, error)
	DecideApproval(ctx context.Context, in sales.DecideApproval) (sales.ApprovalDecision, error)
	Defaults() pipeline.Settings
	EditDeal(ctx context.Context, in sales.EditDeal) (sales.DealEdited, error)
	EditRouting(ctx context.Context, in sales.EditRouting) ([]pipeline.RoutingRule, error)
	ExportDeals(ctx context.Context, in sales.ExportDeals, deliver func(ctx context.Context, e sales.ExportedDeals) error) (sales.ExportedDeals, error)
	FindDeals(ctx context.Context, in sales.FindDeals) ([]pipeline.Deal, error)
	Forecast(ctx context.Context, in sales.ReportRequest) (sales.ForecastView, error)
	History(ctx context.Context, actor pipeline.User, n int64) (sales.DealHistory, error)
	Home(ctx context.Context, in sales.ReadHome) (sales.Home, error)
	HomeOpened(ctx context.Context, team, user string) error
	HomeRefresh(ctx context.Context, team, user string, managerToo bool) (opened bool, manager string, err error)
	ICP(ctx context.Context, actor pipeline.User) (pipeline.ICP, error)
	ListAPIKeys(ctx context.Context, in sales.ListAPIKeys) ([]sales.APIKey, error)
	NewAPIKey(ctx context.Context, in sales.NewAPIKey) (sales.APIKeyCreated, error)
	RevokeAPIKey(ctx context.Context, in sales.RevokeAPIKey) (sales.APIKey, error)
	AddWebhook(ctx context.Context, in sales.AddWebhook) (sales.WebhookAdded, error)
	ListWebhooks(ctx context.Context, in sales.ListWebhooks) ([]sales.Webhook, error)
	RemoveWebhook(ctx context.Context, in sales.WebhookRequest) (sales.Webhook, error)
	TestWebhook(ctx context.Context, in sales.WebhookRequest) (sales.Webhook, error)
	ImportLeads(ctx context.Context, team, importer string, r io.Reader) (res sales.ImportResult, err error)
	Leaderboard(ctx context.Context, in sales.LeaderboardRequest) (sales.Leaderboard, error)
	ListLeads(ctx context.Context, in sales.ListLeads) (sales.LeadList, error)
	Metrics(ctx context.Context, in sales.MetricsRequest) (sales.MetricsView, error)
	MoveDeal(ctx context.Context, in sales.MoveDeal) (sales.MovedDeal, error)
	NotifyChoices(ctx context.Context, actor pipeline.User) (sales.NotifyChoices, error)
	OwnerDeals(ctx context.Context, in sales.OwnerDeals) (sales.OwnerPipeline, error)
	Once(ctx context.Context, team, key string, work func() error) error
	OpenFollowOnDeal(ctx context.Context, in sales.OpenFollowOnDeal) (sales.FollowOnDealOpened, error)
	Pipeline(ctx context.Context, in sales.ReportRequest) (sales.PipelineView, error)
	PreviewDigest(ctx context.Context, in sales.ReportRequest) (pipeline.Digest, error)
	Qualification(ctx context.Context, actor pipeline.User, n int64) (pipeline.Deal, *pipeline.Qualification, error)
	QualifyLead(ctx context.Context, in sales.QualifyLead) (sales.QualifiedLead, error)
	RequestApproval(ctx context.Context, in sales.RequestApproval) (sales.ApprovalRequest, error)
	RememberTimezone(ctx context.Context, u pipeline.User, tz string) error
	Role(ctx context.Context, team, user string) (string, error)
	RoutingRules(ctx context.Context, team string) ([]pipeline.RoutingRule, error)
	SaveSettings(ctx context.Context, in sales.SaveSettings) error
	ScheduleFollowUp(ctx context.Context, in sales.ScheduleFollowUp) (sales.FollowUpScheduled, error)
	Scope(ctx context.Context, actor pipeline.User, want string) (pipeline.Scope, error)
	SetAway(ctx context.Context, in sales.SetAway) error
	SetCapacity(ctx context.Context, in sales.SetCapacity) error
	SetICP(ctx context.Context, in sales.SetICP) error
	SetNotify(ctx context.Context, in sales.SetNotify) error
	SetRole(ctx context.Context, in sales.SetRole) error
	SetTeam(ctx context.Context, in sales.SetTeam) error
	Settings(ctx context.Context, team string) (pipeline.Settings, error)
	SnoozeDeal(ctx context.Context, in sales.SnoozeDeal) (sales.DealSnoozed, error)
	SnoozeFollowUp(ctx context.Context, in sales.AnswerFollowUp) (sales.FollowUpAnswered, error)
	Stages(ctx context.Context, team string) ([]pipeline.StageDef, error)
	ChannelSettings(ctx context.Context, team, channel string) (pipeline.ChannelSettings, error)
	SetMentions(ctx context.Context, in sales.SetMentions) (pipeline.ChannelSettings, error)
	MentionedDeals(ctx context.Context, actor pipeline.User, numbers []int64) ([]pipeline.Deal, error)
	StaleDeals(ctx context.Context, in sales.StaleRequest) (sales.StaleView, error)
	SuggestDeals(ctx context.Context, in sales.SuggestDeals) (sales.DealSuggestions, error)
	AddMessage(ctx context.Context, in sales.AddMessage) (sales.MessageAdded, error)
}
