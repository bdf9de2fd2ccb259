package synthetic

import (
	"fmt"
	"hash/fnv"
	"sort"
	"time"
)

// Children's social care histories, child by child, for the demo: the children the warehouse
// models as in need, on a protection plan or looked after at each 31 March (DfE's published
// council totals shared among neighbourhoods) become children with a referral and episodes, and
// some of them are children of the hub records. Every count at 31 March is unchanged: linking
// only says who a modelled child is, never adds one. So the council totals still equal DfE's,
// and questions that follow children from hub contact to social care and back have something to
// find. Everything here is SYNTHETIC and labelled so in the warehouse.
//
// The timings:
//   - each modelled child at 31 March of year Y was referred on a day of the year before it
//     (1 April Y-1 to 31 March Y) and their episode closes in the year after it, so it is open at
//     that 31 March only, as the demo's SSDA903 and CIN census exports make it;
//   - a protection plan starts 10 to 60 days after the referral, a period of being looked after
//     20 to 90 days after (on or before that 31 March);
//   - an episode of need closes to early help (DfE's CIN census reason RC9, "case closed after
//     assessment, referred to early help") for about a third of children, otherwise with RC7
//     (services ceased, no longer in need);
//   - about ReferAgain of each year's children are children of the neighbourhood whose episode
//     closed in the year before, referred again after that closure (same social care id and, if
//     linked, the same hub child);
//   - a modelled child is a child of the hub records (same person id, as when both records come
//     from one system) with probability LinkShare when the neighbourhood holds a hub child, of the
//     right age, whose first hub contact fell in the two years before the referral and who is not
//     already one of that year's modelled children: so, by construction, children referred
//     after hub help are the hub children of the neighbourhoods with most social care need.

// LinkShare is the share of modelled care children given a hub child's identity where one fits.
const LinkShare = 0.6

// ReferAgain is the share of modelled care children at a 31 March who are, where one fits, a child
// of the same neighbourhood whose episode closed in the year before (referred again within 12
// months of that closure; DfE counts re-referrals within 12 months of a previous referral, about
// 22% of referrals in England in 2024-25).
const ReferAgain = 0.22

// CareSlot is one neighbourhood's modelled children at one 31 March.
type CareSlot struct {
	Council, LSOA string
	Year          int // the 31 March's year
	InNeed        int
	Plan          int // on a protection plan (counted in need too, as DfE counts them)
	LookedAfter   int // looked after (in need too, where InNeed allows)
}

// HubChild is a child of the hub records: where their family lives, when they were born and
// when they first had a hub contact.
type HubChild struct {
	ID    int64
	LSOA  string
	Birth time.Time
	First time.Time
}

// CareEpisode is one referral or episode of a modelled child.
type CareEpisode struct {
	Council   string
	CareID    string // the social care system's child id
	PersonID  int64  // the hub records' person id; 0 when not linked
	Kind      string // referral, in_need, protection_plan, looked_after
	Start     time.Time
	End       time.Time // zero: open (a referral is an event: no end)
	EndReason string    // in_need: RC9 (to early help) or RC7
	LSOA      string
}

// Care episode kinds.
const (
	Referral       = "referral"
	InNeed         = "in_need"
	ProtectionPlan = "protection_plan"
	LookedAfter    = "looked_after"
)

func march31(y int) time.Time { return time.Date(y, 3, 31, 0, 0, 0, 0, time.UTC) }

// unit is a deterministic number in [0, 1) from the parts.
func unit(parts ...string) float64 {
	h := fnv.New64a()
	fmt.Fprint(h, Seed)
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	// FNV's high bits barely move when only the last bytes differ (j of a slot): mixed first
	return float64(mix(h.Sum64())>>11) / (1 << 53)
}

// Histories gives each modelled child of the slots their referral and episodes, linking some to
// hub children (children: the hub records' children of the slots' councils), in a fixed order.
func Histories(slots []CareSlot, children []HubChild, emit func(CareEpisode) error) error {
	byLSOA := map[string][]HubChild{}
	for _, c := range children {
		byLSOA[c.LSOA] = append(byLSOA[c.LSOA], c)
	}
	for _, cs := range byLSOA {
		sort.Slice(cs, func(i, j int) bool {
			if !cs[i].First.Equal(cs[j].First) {
				return cs[i].First.Before(cs[j].First)
			}
			return cs[i].ID < cs[j].ID
		})
	}
	slots = append([]CareSlot(nil), slots...)
	sort.Slice(slots, func(i, j int) bool {
		a, b := slots[i], slots[j]
		if a.Council != b.Council {
			return a.Council < b.Council
		}
		if a.Year != b.Year {
			return a.Year < b.Year
		}
		return a.LSOA < b.LSOA
	})
	birth := map[int64]time.Time{}
	for _, c := range children {
		birth[c.ID] = c.Birth
	}
	used := map[[2]int64]bool{} // (year, person) already a modelled child that year
	type closedChild struct {
		careID string
		person int64
		closed time.Time
	}
	var prev, this map[string][]closedChild // by LSOA: last year's children, this year's
	year := 0
	for _, s := range slots {
		if s.Year != year || this == nil {
			if s.Year == year+1 {
				prev = this
			} else {
				prev = nil
			}
			this, year = map[string][]closedChild{}, s.Year
		}
		day := march31(s.Year)
		n := max(s.InNeed, s.Plan+s.LookedAfter)
		pool := prev[s.LSOA]
		for j := range n {
			key := fmt.Sprintf("%s|%d|%d", s.LSOA, s.Year, j)
			referred := day.AddDate(0, 0, -int(unit("referral", key)*365))
			closed := day.AddDate(0, 0, 1+int(unit("closure", key)*364))
			ep := CareEpisode{Council: s.Council, CareID: careID(s.Council, key), LSOA: s.LSOA}
			again := false
			if len(pool) > 0 && unit("again", key) < ReferAgain {
				// last year's child of the neighbourhood, closed before this 31 March: referred again
				k := int(unit("again pick", key) * float64(len(pool)))
				c := pool[k]
				if c.closed.Before(day) && (c.person == 0 || (!used[[2]int64{int64(s.Year), c.person}] && day.Before(birth[c.person].AddDate(18, 0, 0)))) {
					gap := int(day.Sub(c.closed).Hours() / 24)
					referred = c.closed.AddDate(0, 0, 1+int(unit("again day", key)*float64(gap)))
					ep.CareID, ep.PersonID, again = c.careID, c.person, true
					if c.person != 0 {
						used[[2]int64{int64(s.Year), c.person}] = true
					}
					pool = append(pool[:k:k], pool[k+1:]...)
				}
			}
			// a hub child of the neighbourhood, first seen in the two years before the referral,
			// under 18 on the 31 March
			if !again && unit("link", key) < LinkShare {
				cands := byLSOA[s.LSOA]
				from := referred.AddDate(-2, 0, 0)
				lo := sort.Search(len(cands), func(i int) bool { return !cands[i].First.Before(from) })
				seed := uint64(unit("pick", key) * (1 << 53))
				best, bestU := int64(0), ^uint64(0)
				for _, c := range cands[lo:] {
					if !c.First.Before(referred) {
						break
					}
					if !c.Birth.Before(referred) || !day.Before(c.Birth.AddDate(18, 0, 0)) || used[[2]int64{int64(s.Year), c.ID}] {
						continue
					}
					if u := mix(seed ^ uint64(c.ID)); u < bestU {
						best, bestU = c.ID, u
					}
				}
				if best != 0 {
					used[[2]int64{int64(s.Year), best}] = true
					ep.PersonID = best
					// one child, one social care id, whichever year they are referred
					ep.CareID = careID(s.Council, fmt.Sprint("person|", best))
				}
			}
			if j < s.InNeed {
				this[s.LSOA] = append(this[s.LSOA], closedChild{ep.CareID, ep.PersonID, closed})
			}
			emitted := func(kind string, start, end time.Time, reason string) error {
				e := ep
				e.Kind, e.Start, e.End, e.EndReason = kind, start, end, reason
				return emit(e)
			}
			if err := emitted(Referral, referred, time.Time{}, ""); err != nil {
				return err
			}
			if j < s.InNeed {
				reason := "RC7"
				if unit("step down", key) < 1.0/3 {
					reason = "RC9"
				}
				if err := emitted(InNeed, referred, closed, reason); err != nil {
					return err
				}
			}
			if j < s.Plan {
				start := minDate(referred.AddDate(0, 0, 10+int(unit("plan", key)*50)), day)
				if err := emitted(ProtectionPlan, start, closed, ""); err != nil {
					return err
				}
			} else if j < s.Plan+s.LookedAfter {
				start := minDate(referred.AddDate(0, 0, 20+int(unit("care", key)*70)), day)
				if err := emitted(LookedAfter, start, closed, ""); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func careID(council, key string) string {
	h := fnv.New64a()
	h.Write([]byte(council + "|" + key))
	return fmt.Sprintf("SC%012d", h.Sum64()%1_000_000_000_000)
}

// mix is SplitMix64's finaliser: a well-spread 64-bit number from x.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

func minDate(a, b time.Time) time.Time {
	if a.After(b) {
		return b
	}
	return a
}
