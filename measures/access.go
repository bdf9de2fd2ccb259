package measures

import (
	"context"

	"familyhubs/access"
	"familyhubs/queries"
	"familyhubs/stats"
)

// finishNextHub chooses the next hubs from access_next_hub's candidates (package access: greedy
// maximal coverage). Its counts are published populations, not service records, so the policy
// has nothing to protect.
func finishNextHub(_ context.Context, res *queries.Result, _ stats.Policy) (*queries.Result, error) {
	return access.FinishNextHub(res)
}
