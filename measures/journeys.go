package measures

import (
	"context"
	"fmt"

	"familyhubs/queries"
	"familyhubs/stats"
)

// JourneysCaution is said with every journeys answer: the flows describe, they do not judge.
const JourneysCaution = "Descriptive, not causal: these are the paths the children took, not what the hubs caused or prevented; " +
	"children come to hubs with the needs that also lead to referrals."

// finishJourneys hides the journeys question's small flows under a protective policy: a flow
// whose protected count is hidden or small (1 to the policy's High, at least 5: as step_up's
// estimates) is shown as the policy's symbol and drawn as no link, so no Sankey shows a path taken
// by a handful of children. Every other flow is its protected count (a cell with its own cell
// key); the flows out of a stage and into it are each perturbed on their own, so they need not
// add up exactly, and differencing them gives perturbed counts only (the attacker tries it).
func finishJourneys(ctx context.Context, res *queries.Result, p stats.Policy) (*queries.Result, error) {
	ci := res.MustCol("children")
	total := 0.0
	for _, row := range res.Rows {
		if queries.Text(row[res.MustCol("source")]) == "Family hub" {
			n, _ := Number(row[ci])
			total += n
		}
	}
	if p.Name != stats.Exact.Name {
		small := p.High
		if small < 5 {
			small = 5
		}
		for _, row := range res.Rows {
			if _, hidden := row[ci].(stats.Suppressed); hidden {
				continue
			}
			if n, ok := Number(row[ci]); ok && n > 0 && n <= small {
				row[ci] = stats.Suppressed{Symbol: p.Symbol, Reason: fmt.Sprintf("not drawn: a path of 1 to %g children", small)}
			}
		}
		res.Notes = append(res.Notes, fmt.Sprintf("Each flow is a count adjusted as every count is, so the flows out of a stage need not add up "+
			"exactly to the flows into it; a path taken by %g or fewer children is shown as %s and not drawn.", small, p.Symbol))
	}
	res.Notes = append(res.Notes, JourneysCaution,
		"Each child is followed for 24 months after their first hub contact, or to the end of follow-up or their 18th birthday if sooner; "+
			"Still open means an episode of need, plan or period looked after had not ended by then. A child whose social care record is "+
			"not linked to the hub records shows as No referral, so the flows into social care are a lower bound (link_rates). Early help "+
			"is not a stage of its own: the warehouse holds early help episodes as hub contacts.")
	if total == 0 {
		res.Notes = append(res.Notes, "No child of the council's first hub contacts in the period can be followed: no first contact fell in it, "+
			"or the warehouse holds none of the council's referrals to children's social care child by child.")
	}
	return res, nil
}
