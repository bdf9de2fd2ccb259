// Package fault describes problems in the files a council gives the tool: each names its file,
// line and column and says what is wrong and how to fix it, and readers report them all together
// rather than stopping at the first.
package fault

import (
	"encoding/csv"
	"errors"
	"fmt"
	"sort"
	"strings"
)

// At is one problem at a place in a file. Line and column count from 1; 0 means the whole file.
type At struct {
	File         string
	Line, Column int
	Message      string
}

func (f At) String() string { return fmt.Sprintf("%s:%d:%d: %s", f.File, f.Line, f.Column, f.Message) }

func (f At) Error() string { return f.String() }

// List is every problem found, one per line (the first 100, then a count of the rest).
type List []At

func (l List) Error() string {
	var b strings.Builder
	for i, f := range l {
		if i == 100 {
			fmt.Fprintf(&b, "\n... and %d more", len(l)-100)
			break
		}
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(f.String())
	}
	return b.String()
}

// In makes a problem at file:line:column.
func In(file string, line, column int, message string) At {
	return At{File: file, Line: line, Column: column, Message: message}
}

// FromCSV places an error from encoding/csv: a malformed line at its own line and column, or
// the whole file for anything else.
func FromCSV(file string, err error) At {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return In(file, pe.Line, pe.Column, "malformed CSV line: "+pe.Err.Error()+": check the quotes on this line")
	}
	return In(file, 0, 0, err.Error())
}

// Grouped lists findings by group (key), most frequent first, each group's line saying how many
// it holds, then its first few findings indented, so thousands of findings read in a screen.
func Grouped[T fmt.Stringer](findings []T, key func(T) string, first int) []string {
	type group struct {
		key  string
		list []T
	}
	byKey := map[string]*group{}
	var order []*group
	for _, f := range findings {
		k := key(f)
		g := byKey[k]
		if g == nil {
			g = &group{key: k}
			byKey[k] = g
			order = append(order, g)
		}
		g.list = append(g.list, f)
	}
	sort.SliceStable(order, func(a, b int) bool { return len(order[a].list) > len(order[b].list) })
	var out []string
	for _, g := range order {
		out = append(out, fmt.Sprintf("%s: %d finding(s)", g.key, len(g.list)))
		for i, f := range g.list {
			if i == first {
				break
			}
			out = append(out, "  "+f.String())
		}
	}
	return out
}
