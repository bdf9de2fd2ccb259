package answers

// Programmes are the plans fund_progress judges, in the order the Programmes page shows them:
// its programme column's value and the programme's name.
var Programmes = []struct{ ID, Name string }{
	{"transformation_fund", "Family Hubs Transformation Fund"},
	{"best_start", "Best Start Family Hubs"},
}

// ProgrammeName names a fund_progress programme.
func ProgrammeName(id string) string {
	for _, p := range Programmes {
		if p.ID == id {
			return p.Name
		}
	}
	return id
}

// programmeFund is one programme's plan lines, progress against expected (fund_progress's rows of
// that programme), drawn on the Programmes page chart by chart.
func programmeFund(id string) *Figure {
	return &Figure{ID: "fund-" + id, Kind: Grouped, Question: "fund_progress", Only: map[string]string{"programme": id},
		Title:    ProgrammeName(id) + " plan: progress from baseline to target (1 = target met)",
		Shows:    "How far each of the programme's indicators has moved from its baseline towards its target, against how far it should be by now on a straight line from the line's own start.",
		Category: "id", Series: []Series{{"Progress", "progress"}, {"Expected by now", "expected"}},
		Axis: "share of the way to target"}
}

// ProgrammeFunds are the Programmes page's charts, one per programme.
var ProgrammeFunds = []*Figure{programmeFund("transformation_fund"), programmeFund("best_start")}
