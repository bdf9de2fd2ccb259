package load

import (
	"fmt"
	"strings"
	"time"
)

// A council's date format, as its mapping file declares it: DD/MM/YYYY, D/M/YYYY, YYYY-MM-DD,
// DD-MM-YYYY, DD/MM/YYYY HH:MM, YYYY-MM-DDTHH:MM:SS... Tokens: YYYY (four digits), MM or M (month,
// two digits or one or two), DD or D (day), and for a time HH or H (hour), MM or mm after the hour
// (minutes), SS or ss (seconds); anything else but a letter is written as it stands (T is allowed
// between a date and its time). A time, when declared, must be there and is checked, then dropped:
// the load keeps days.
type dateFormat struct {
	text    string
	parts   []datePart
	hasTime bool
}

type datePart struct {
	unit     byte // 'Y', 'M', 'D', 'h', 'm', 's', or 0 for a literal
	min, max int  // digits
	lit      byte
}

// compileDate reads a declared date format.
func compileDate(s string) (*dateFormat, error) {
	f := &dateFormat{text: s}
	seen := map[byte]int{}
	afterHour := false
	for i := 0; i < len(s); {
		rest := s[i:]
		tok := func(t string, unit byte, min, max int) bool {
			if !strings.HasPrefix(rest, t) {
				return false
			}
			f.parts = append(f.parts, datePart{unit: unit, min: min, max: max})
			seen[unit]++
			i += len(t)
			return true
		}
		switch {
		case tok("YYYY", 'Y', 4, 4):
		case afterHour && (tok("MM", 'm', 2, 2) || tok("mm", 'm', 2, 2)):
		case !afterHour && tok("MM", 'M', 2, 2), !afterHour && tok("M", 'M', 1, 2):
		case tok("DD", 'D', 2, 2), tok("D", 'D', 1, 2):
		case tok("HH", 'h', 2, 2), tok("H", 'h', 1, 2):
			afterHour = true
		case tok("SS", 's', 2, 2), tok("ss", 's', 2, 2):
		case rest[0] == 'T' || !(rest[0] >= 'A' && rest[0] <= 'Z' || rest[0] >= 'a' && rest[0] <= 'z'):
			f.parts = append(f.parts, datePart{lit: rest[0]})
			i++
		default:
			return nil, fmt.Errorf("%q is not a date format: %q at character %d is none of YYYY, MM, M, DD, D, HH, H, MM (minutes), SS", s, rest[:1], i+1)
		}
	}
	for _, u := range []struct {
		unit byte
		name string
	}{{'Y', "YYYY"}, {'M', "the month (MM or M)"}, {'D', "the day (DD or D)"}} {
		if seen[u.unit] != 1 {
			return nil, fmt.Errorf("%q is not a date format: it must hold %s once", s, u.name)
		}
	}
	for _, u := range []byte{'h', 'm', 's'} {
		if seen[u] > 1 {
			return nil, fmt.Errorf("%q is not a date format: a unit of its time is there twice", s)
		}
	}
	f.hasTime = seen['h'] > 0
	if (seen['m'] > 0 || seen['s'] > 0) && !f.hasTime {
		return nil, fmt.Errorf("%q is not a date format: minutes or seconds without an hour (HH)", s)
	}
	return f, nil
}

// parse reads a value in the format and appends the day as YYYY-MM-DD to out; false if the value
// is not a date in the format (or not a day of the calendar: 31/02/2024).
func (f *dateFormat) parse(v string, out []byte) ([]byte, bool) {
	var y, mo, d, h, mi, s int
	i := 0
	for _, p := range f.parts {
		if p.unit == 0 {
			if i >= len(v) || v[i] != p.lit {
				return out, false
			}
			i++
			continue
		}
		n, digits := 0, 0
		for i < len(v) && digits < p.max && v[i] >= '0' && v[i] <= '9' {
			n = n*10 + int(v[i]-'0')
			i++
			digits++
		}
		if digits < p.min {
			return out, false
		}
		switch p.unit {
		case 'Y':
			y = n
		case 'M':
			mo = n
		case 'D':
			d = n
		case 'h':
			h = n
		case 'm':
			mi = n
		case 's':
			s = n
		}
	}
	if i != len(v) || mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) || h > 23 || mi > 59 || s > 59 {
		return out, false
	}
	out = append(out, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-',
		byte('0'+mo/10), byte('0'+mo%10), '-', byte('0'+d/10), byte('0'+d%10))
	return out, true
}

func daysIn(y, m int) int {
	return time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// format writes a day in the format (its time, if any, as midnight): how a council's system
// would have written it.
func (f *dateFormat) format(t time.Time) string {
	var b strings.Builder
	for _, p := range f.parts {
		if p.unit == 0 {
			b.WriteByte(p.lit)
			continue
		}
		n := 0
		switch p.unit {
		case 'Y':
			n = t.Year()
		case 'M':
			n = int(t.Month())
		case 'D':
			n = t.Day()
		}
		fmt.Fprintf(&b, "%0*d", p.min, n)
	}
	return b.String()
}
