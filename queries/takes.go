package queries

// Takes says whether the question takes a parameter of that name: a figure drawn from it says
// so when a filter does not reach it.
func (q *Query) Takes(name string) bool { return q.takes(name) }
