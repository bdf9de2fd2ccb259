// Package access measures how near families live to the council's family hub sites, and where
// the next hub would bring most disadvantaged children within reach (issue 18, Best Start
// Family Hubs: sites should prioritise access for disadvantaged families).
package access
