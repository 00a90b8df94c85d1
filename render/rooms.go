package render

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"salesbot/pipeline"
	"salesbot/sales"
)

// ActOpenRoom is the card's "Open deal room" button; its value is the deal
// number.
const ActOpenRoom = "deal_room_open"

// ChannelMention is a link to a channel.
func ChannelMention(id string) string { return "<#" + id + ">" }

// roomDeal is "D-42 · Acme" with the account escaped.
func roomDeal(d pipeline.Deal) string { return d.Ref() + " · " + Escape(d.AccountName) }

// RoomLine is the card's line about the deal's room: a link to it once it
// exists, "" while there is none (the card offers the button instead).
func RoomLine(r *pipeline.Room) string {
	switch {
	case r == nil:
		return ""
	case r.State == pipeline.RoomOpening:
		return ":door: Room being opened"
	case r.State == pipeline.RoomArchived:
		return ":door: Room " + ChannelMention(r.ChannelID) + " (archived)"
	}
	return ":door: Room " + ChannelMention(r.ChannelID)
}

// RoomButton is the card's "Open deal room" button, for a deal without a
// room that is still open.
func RoomButton(d pipeline.Deal) *slack.ActionBlock {
	n := strconv.FormatInt(d.Number, 10)
	return slack.NewActionBlock("room:"+n, slack.NewButtonBlockElement(ActOpenRoom, n, Plain("Open deal room")))
}

// RoomCard is the card posted and pinned in a new room.
func RoomCard(w sales.RoomWork, now time.Time) Message {
	return CardMessage(Card{Deal: w.Deal, Stages: w.Details.Stages, Next: w.Details.Next, Approval: w.Details.Approval,
		ApprovalsOn: w.Details.ApprovalsOn, Now: now, Buttons: true}, fmt.Sprintf(":pushpin: This is the room of %s.", roomDeal(w.Deal)))
}

// RoomAskedAnswer answers /deal room and the Open deal room button.
func RoomAskedAnswer(res sales.RoomAsked) string {
	r := res.Room
	switch {
	case !res.Existed:
		return fmt.Sprintf(":hourglass_flowing_sand: Opening a room for %s. You will be told when it is ready.", roomDeal(res.Deal))
	case r.State == pipeline.RoomOpening:
		return fmt.Sprintf(":hourglass_flowing_sand: The room of %s is being opened. Its requester will be told when it is ready.", roomDeal(res.Deal))
	case r.State == pipeline.RoomArchived:
		return fmt.Sprintf(":door: %s has its room already: %s, archived. Unarchive it in Slack to use it again.", res.Deal.Ref(), ChannelMention(r.ChannelID))
	}
	return fmt.Sprintf(":door: %s has its room already: %s.", res.Deal.Ref(), ChannelMention(r.ChannelID))
}

// RoomMemberAnswer answers /deal room D-42 add @user.
func RoomMemberAnswer(res sales.RoomMemberAdded) string {
	who, r := UserMention(res.User), res.Room
	switch {
	case res.Already:
		return fmt.Sprintf("%s was added to the room of %s already.", who, res.Deal.Ref())
	case res.Asked:
		return fmt.Sprintf(":hourglass_flowing_sand: Opening a room for %s with %s in it. You will be told when it is ready.", roomDeal(res.Deal), who)
	case r.State == pipeline.RoomOpen:
		return fmt.Sprintf(":busts_in_silhouette: %s is being invited to %s.", who, ChannelMention(r.ChannelID))
	}
	return fmt.Sprintf(":busts_in_silhouette: %s will be invited when the room of %s opens.", who, res.Deal.Ref())
}

// RoomArchivedRefusal refuses adding someone to an archived room.
func RoomArchivedRefusal(e sales.ErrRoomArchived) string {
	return fmt.Sprintf(":warning: The room of %s, %s, is archived: unarchive it in Slack first.", pipeline.FormatRef(e.Number), ChannelMention(e.ChannelID))
}

// RoomRefusalWhy says in plain words why Slack refused a room's step.
func RoomRefusalWhy(r sales.RoomRefusal) string {
	switch {
	case r.Code == "missing_scope" && r.Needed != "":
		return fmt.Sprintf("salesbot lacks Slack's %s permission: a Slack admin must add it to the app and reinstall it.", Escape(r.Needed))
	case r.Code == "missing_scope":
		return "salesbot lacks a Slack permission it needs: a Slack admin must add it to the app and reinstall it."
	case strings.HasPrefix(r.Code, "restricted_action"), r.Code == "team_access_not_granted":
		return "this workspace does not let apps do that: a Slack admin can allow it in the workspace's settings."
	case strings.HasPrefix(r.Code, "invalid_name"):
		return "Slack did not accept the channel's name."
	case r.Code == "name_taken":
		return "every channel name salesbot tried is taken."
	case r.Code == "user_not_found", r.Code == "user_is_deactivated":
		return "that person's account is deactivated or not in this workspace."
	case r.Code == "no_answer":
		return "Slack did not answer."
	}
	return fmt.Sprintf("Slack refused it (%s).", Escape(r.Code))
}

// RoomOpenedNotice tells the requester their room is open, and what Slack
// refused after making it, if anything.
func RoomOpenedNotice(n sales.RoomOpened) Message {
	text := fmt.Sprintf(":door: %s is open for %s.", ChannelMention(n.Room.ChannelID), roomDeal(n.Deal))
	for _, p := range n.Problems {
		switch p.Op {
		case "invite":
			if p.User == "" {
				text += "\n:warning: People could not be invited: " + RoomRefusalWhy(p)
				continue
			}
			text += fmt.Sprintf("\n:warning: %s was not invited: %s", UserMention(p.User), RoomRefusalWhy(p))
		case "pin":
			text += "\n:warning: The card could not be pinned: " + RoomRefusalWhy(p)
		case "post":
			text += "\n:warning: The card could not be posted: " + RoomRefusalWhy(p)
		default:
			text += "\n:warning: " + RoomRefusalWhy(p)
		}
	}
	return textMessage(text)
}

// RoomInviteRefusedNotice tells who added someone to a room that Slack
// refused to invite them.
func RoomInviteRefusedNotice(n sales.RoomInviteRefused) Message {
	return textMessage(fmt.Sprintf(":warning: %s was not invited to %s (%s): %s",
		UserMention(n.User), ChannelMention(n.Room.ChannelID), roomDeal(n.Deal), RoomRefusalWhy(n.Why)))
}

// RoomRefusedNotice tells the requester Slack refused to make the room.
func RoomRefusedNotice(n sales.RoomRefused) Message {
	return textMessage(fmt.Sprintf(":warning: The room for %s was not opened: %s Nothing was made; ask again with `/deal room %s` once that is fixed.",
		roomDeal(n.Deal), RoomRefusalWhy(n.Why), n.Deal.Ref()))
}

// The settings form's room inputs.
const (
	InRoomPrivacy     = "room_privacy"
	InRoomAutoOver    = "room_auto_over"
	InRoomAutoStage   = "room_auto_stage"
	InRoomArchiveDays = "room_archive_days"
)

// RoomSettingsFields are the settings form's deal-room inputs, as rs has
// them: public or private, the value and stage at which a room opens by
// itself, and the days after the close it is archived.
func RoomSettingsFields(rs pipeline.RoomSettings, currency string, stages []pipeline.StageDef) []slack.Block {
	public := slack.NewOptionBlockObject("public", Plain("Public channels"), nil)
	private := slack.NewOptionBlockObject("private", Plain("Private channels"), nil)
	privacy := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, Plain("Public or private"), InRoomPrivacy, public, private)
	privacy.InitialOption = public
	if rs.Private {
		privacy.InitialOption = private
	}
	over := ""
	if rs.AutoStage != "" {
		over = pipeline.Money{Minor: rs.AutoMinor, Currency: currency}.String()
	}
	var opts []*slack.OptionBlockObject
	var initial *slack.OptionBlockObject
	for _, s := range stages {
		if s.Key.Closed() {
			continue
		}
		o := slack.NewOptionBlockObject(string(s.Key), Plain(Clip(s.Label, 75)), nil)
		opts = append(opts, o)
		if s.Key == rs.AutoStage {
			initial = o
		}
	}
	stage := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, Plain("Choose a stage"), InRoomAutoStage, opts...)
	stage.InitialOption = initial
	return []slack.Block{
		Field(InRoomPrivacy, "Deal rooms are", "The channels /deal room opens.", privacy, false),
		Field(InRoomAutoOver, "Open a room by itself above", "A deal worth more than this gets its room by itself when it reaches the stage below. Empty: never.",
			TextEl(InRoomAutoOver, "100000", over, 30, false), true),
		Field(InRoomAutoStage, "…on reaching the stage", "The stage at which that room opens; ignored while the value above is empty.", stage, true),
		Field(InRoomArchiveDays, "Archive rooms after the close (days)", "Days after a deal closes that its room is archived; 0 never archives.",
			TextEl(InRoomArchiveDays, "7", strconv.Itoa(rs.ArchiveDays), 3, false), false),
	}
}

// The settings form's errors for the room inputs.
var (
	BadRoomArchiveDays = fmt.Sprintf("Type a whole number of days from 0 (never) to %d.", pipeline.MaxRoomArchiveDays)
	RoomAutoNeedsStage = "Choose the stage at which such a room opens, or empty the value above."
)

// BadRoomAutoOver refuses the value above which a room opens by itself.
func BadRoomAutoOver(s string) string {
	return fmt.Sprintf("%q is not an amount: type one such as 100000 or 100k.", Clip(s, 30))
}
