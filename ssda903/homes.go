package ssda903

import (
	"sort"
	"time"
)

// Home is a child counted as looked after at a 31 March, with the home postcode (HOME_POST) of
// the episode open on the day (the latest started, if several are).
type Home struct {
	Child    string
	Postcode string
	Line     int // the episode's line
}

// HomesAt lists the children LookedAfterAt counts on the day, by child id, each with the home
// postcode of their episode open then, so the count can be placed in neighbourhoods.
func HomesAt(episodes []Episode, day time.Time) []Home {
	open := map[string]Episode{}
	for _, e := range episodes {
		if ShortBreaks[e.LegalStatus] || e.Start.IsZero() || e.Start.After(day) {
			continue
		}
		if !e.End.IsZero() && !e.End.After(day) {
			continue
		}
		if !e.DOB.IsZero() && age(e.DOB, day) >= 18 {
			continue
		}
		if prev, ok := open[e.Child]; !ok || e.Start.After(prev.Start) || (e.Start.Equal(prev.Start) && e.Line > prev.Line) {
			open[e.Child] = e
		}
	}
	out := make([]Home, 0, len(open))
	for c, e := range open {
		out = append(out, Home{Child: c, Postcode: e.HomePostcode, Line: e.Line})
	}
	sort.Slice(out, func(a, b int) bool { return out[a].Child < out[b].Child })
	return out
}
