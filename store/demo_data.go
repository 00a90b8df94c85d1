package store

// The raw material of the demo pipeline (see SeedDemo): believable
// companies, contacts, deal titles, notes and reasons.

type demoCompany struct {
	name, industry, size, contact, email string
}

var demoCompanies = []demoCompany{
	{"Acme Robotics", "Manufacturing", "201-1000", "Jane Doe", "jane.doe@acme-robotics.example"},
	{"Brightpath Learning", "Education", "51-200", "Omar Haddad", "omar@brightpath.example"},
	{"Cobalt Health", "Healthcare", "1001-5000", "Lena Fischer", "l.fischer@cobalthealth.example"},
	{"Dune Logistics", "Logistics", "201-1000", "Carlos Mendes", "carlos.mendes@dune.example"},
	{"Evergreen Foods", "Retail", "1001-5000", "Aisha Bello", "aisha@evergreenfoods.example"},
	{"Fjord Analytics", "Software", "11-50", "Nils Berg", "nils@fjord.example"},
	{"Granite Capital", "Financial services", "51-200", "Rachel Kim", "rkim@granitecap.example"},
	{"Harbor Hotels", "Hospitality", "5000+", "Marco Rossi", "marco.rossi@harborhotels.example"},
	{"Ion Energy", "Energy", "201-1000", "Yuki Tanaka", "y.tanaka@ionenergy.example"},
	{"Juniper Legal", "Legal", "11-50", "Grace O'Neill", "grace@juniperlegal.example"},
	{"Kite Media", "Media", "51-200", "Dev Sharma", "dev@kitemedia.example"},
	{"Lumen Labs", "Software", "11-50", "Sofia Alvarez", "sofia@lumenlabs.example"},
	{"Meridian Insurance", "Financial services", "1001-5000", "Tom Becker", "tom.becker@meridian.example"},
	{"Northwind Traders", "Retail", "201-1000", "Hannah Lee", "hannah.lee@northwind.example"},
	{"Orbit Telecom", "Telecommunications", "5000+", "Kwame Mensah", "kwame@orbittelecom.example"},
	{"Pinnacle Manufacturing", "Manufacturing", "1001-5000", "Eva Novak", "eva.novak@pinnacle.example"},
}

var demoProducts = []string{"Platform licence", "Website redesign", "Analytics add-on", "Annual support",
	"Data migration", "Pilot", "Team expansion", "Security review", "Onboarding package", "Integration project"}

var demoSources = []string{"conference", "cold call", "email", "social", "content", "referral", "inbound"}

var demoNotes = []struct{ kind, body string }{
	{"call", "Discovery call: they want to replace spreadsheets before the next quarter."},
	{"meeting", "Demo with the team went well; the CFO asked for a pricing breakdown."},
	{"email", "Sent the proposal and two customer references."},
	{"note", "Budget confirmed for this fiscal year; legal review takes about two weeks."},
	{"call", "Champion is on board; procurement wants a 3-year term."},
	{"meeting", "On-site workshop: mapped their current process and pain points."},
	{"email", "Followed up on the security questionnaire."},
	{"note", "Competitor is cheaper but lacks the integrations they need."},
	{"call", "Negotiated payment terms: quarterly in advance."},
	{"note", "Decision maker changed; re-introducing ourselves to the new VP."},
}

var demoLostReasons = []string{"Went with a competitor", "No budget this year", "Project postponed",
	"No decision maker reachable", "Price too high", "Built it in-house"}

var demoFollowUps = []string{"Send the revised quote", "Check in after their board meeting",
	"Book the technical deep dive", "Ask for the signed order form", "Share the case study", "Call about renewal terms"}
