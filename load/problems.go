package load

import (
	"fmt"
	"sort"
	"strings"

	"familyhubs/fault"
)

// firstFew is how many problems of each kind a refused load shows; the rest are counted.
const firstFew = 5

// problems collects a load's faults by file and kind (bad date, unknown LSOA, wrong number of
// fields...): how many of each and the first few, so a file with a million bad lines costs no
// more memory, and no longer a report, than one with six.
type problems struct {
	kinds map[string]*kindOf // by file and kind
	total int
	// dropped counts the lines of each file that could not be read: their ids are unknown, so
	// what refers to them is not reported line by line (knockOn) but once, as not yet checked
	dropped map[string]int
	knock   map[string]*kindOf
}

type kindOf struct {
	file, kind string
	n          int
	first      []fault.At
}

func newProblems() *problems {
	return &problems{kinds: map[string]*kindOf{}, dropped: map[string]int{}, knock: map[string]*kindOf{}}
}

func addTo(m map[string]*kindOf, file, kind string, n int, first ...fault.At) {
	k := m[file+"\x00"+kind]
	if k == nil {
		k = &kindOf{file: file, kind: kind}
		m[file+"\x00"+kind] = k
	}
	k.n += n
	for _, f := range first {
		if len(k.first) < firstFew {
			k.first = append(k.first, f)
		}
	}
}

// add records one problem of a kind at file:line:column.
func (p *problems) add(kind string, at fault.At) {
	addTo(p.kinds, at.File, kind, 1, at)
	p.total++
}

// addMany records n problems of a kind, of which first are the first few.
func (p *problems) addMany(file, kind string, n int, first []fault.At) {
	addTo(p.kinds, file, kind, n, first...)
	p.total += n
}

// knockOn records a reference that cannot be checked because the file it refers to has lines
// that could not be read.
func (p *problems) knockOn(what string, at fault.At) { addTo(p.knock, at.File, what, 1, at) }

func (p *problems) empty() bool { return p.total == 0 }

// err is the error that refuses the load, or nil.
func (p *problems) err() error {
	if p.total == 0 {
		return nil
	}
	return &Problems{total: p.total, kinds: sorted(p.kinds), knock: sorted(p.knock)}
}

func sorted(m map[string]*kindOf) []*kindOf {
	var out []*kindOf
	for _, k := range m {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.file != b.file {
			return fileOrder(a.file) < fileOrder(b.file)
		}
		if a.first[0].Line != b.first[0].Line {
			return a.first[0].Line < b.first[0].Line
		}
		return a.kind < b.kind
	})
	return out
}

// Problems refuses a load for problems in its files: by file and kind, how many and the first
// few of each with file:line:column.
type Problems struct {
	total        int
	kinds, knock []*kindOf
}

// Total is the number of problems found.
func (p *Problems) Total() int { return p.total }

func (p *Problems) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s in the files; nothing was loaded.", count(p.total, "problem"))
	if p.total <= 2*firstFew && p.allShown() {
		// few: one line each, in file order
		var all []fault.At
		for _, k := range p.kinds {
			all = append(all, k.first...)
		}
		sort.SliceStable(all, func(i, j int) bool {
			if all[i].File != all[j].File {
				return fileOrder(all[i].File) < fileOrder(all[j].File)
			}
			return all[i].Line < all[j].Line
		})
		for _, f := range all {
			b.WriteString("\n" + place(f))
		}
	} else {
		fmt.Fprintf(&b, " By file and kind, with the first %d of each:", firstFew)
		for _, k := range p.kinds {
			fmt.Fprintf(&b, "\n%s: %s: %s", k.file, k.kind, commas(k.n))
			for _, f := range k.first {
				b.WriteString("\n  " + place(f))
			}
			if k.n > len(k.first) {
				fmt.Fprintf(&b, "\n  ... and %s more", commas(k.n-len(k.first)))
			}
		}
	}
	for _, k := range p.knock {
		f := k.first[0]
		fmt.Fprintf(&b, "\nnot checked until the lines above are fixed: %s of %s %s (the first at %s:%d:%d)",
			count(k.n, "line"), k.file, k.kind, f.File, f.Line, f.Column)
	}
	return b.String()
}

func (p *Problems) allShown() bool {
	for _, k := range p.kinds {
		if k.n > len(k.first) {
			return false
		}
	}
	return true
}

// place is file:line:column: message, or file: message for the whole file.
func place(f fault.At) string {
	if f.Line == 0 {
		return f.File + ": " + f.Message
	}
	return f.String()
}

func count(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return commas(n) + " " + what + "s"
}

// commas writes n as 127,161.
func commas(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
