package datasets

import (
	"archive/zip"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// ReadXLSXSheet reads the first worksheet (xl/worksheets/sheet1.xml) of an .xlsx file as text
// rows, one string a cell, using shared strings, inline strings and numbers as stored (a number
// keeps the text Excel wrote, so nothing is reformatted). Cells a row skips are empty strings;
// every row is as wide as the widest. It is enough for DfE's plain one-sheet tables: formulas,
// dates and styles are not interpreted. DuckDB's excel extension is not used because it needs a
// download.
func ReadXLSXSheet(path string) ([][]string, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	open := func(name string) (io.ReadCloser, error) {
		for _, f := range zr.File {
			if f.Name == name {
				return f.Open()
			}
		}
		return nil, nil
	}

	var shared []string
	if rc, err := open("xl/sharedStrings.xml"); err != nil {
		return nil, err
	} else if rc != nil {
		var sst struct {
			SI []struct {
				T string `xml:"t"`
				R []struct {
					T string `xml:"t"`
				} `xml:"r"`
			} `xml:"si"`
		}
		err := xml.NewDecoder(rc).Decode(&sst)
		rc.Close()
		if err != nil {
			return nil, fmt.Errorf("%s shared strings: %w", path, err)
		}
		for _, si := range sst.SI {
			s := si.T
			for _, r := range si.R {
				s += r.T
			}
			shared = append(shared, s)
		}
	}

	rc, err := open("xl/worksheets/sheet1.xml")
	if err != nil {
		return nil, err
	}
	if rc == nil {
		return nil, fmt.Errorf("%s: no xl/worksheets/sheet1.xml", path)
	}
	defer rc.Close()
	var ws struct {
		Rows []struct {
			Cells []struct {
				Ref    string `xml:"r,attr"`
				Type   string `xml:"t,attr"`
				V      string `xml:"v"`
				Inline struct {
					T string `xml:"t"`
					R []struct {
						T string `xml:"t"`
					} `xml:"r"`
				} `xml:"is"`
			} `xml:"c"`
		} `xml:"sheetData>row"`
	}
	if err := xml.NewDecoder(rc).Decode(&ws); err != nil {
		return nil, fmt.Errorf("%s sheet1: %w", path, err)
	}
	var out [][]string
	width := 0
	for _, row := range ws.Rows {
		var cells []string
		for i, c := range row.Cells {
			col := i
			if c.Ref != "" {
				if col, err = columnIndex(c.Ref); err != nil {
					return nil, fmt.Errorf("%s: %w", path, err)
				}
			}
			var v string
			switch c.Type {
			case "s":
				n, err := strconv.Atoi(strings.TrimSpace(c.V))
				if err != nil || n < 0 || n >= len(shared) {
					return nil, fmt.Errorf("%s %s: bad shared string index %q", path, c.Ref, c.V)
				}
				v = shared[n]
			case "inlineStr":
				v = c.Inline.T
				for _, r := range c.Inline.R {
					v += r.T
				}
			default: // n (number), str (formula text), b (boolean), e (error): as stored
				v = c.V
			}
			for len(cells) <= col {
				cells = append(cells, "")
			}
			cells[col] = v
		}
		width = max(width, len(cells))
		out = append(out, cells)
	}
	for i := range out {
		for len(out[i]) < width {
			out[i] = append(out[i], "")
		}
	}
	return out, nil
}

// columnIndex is the 0-based column of a cell reference such as "AB12".
func columnIndex(ref string) (int, error) {
	n := 0
	for i, r := range ref {
		if r >= 'A' && r <= 'Z' {
			n = n*26 + int(r-'A'+1)
			continue
		}
		if i == 0 {
			break
		}
		return n - 1, nil
	}
	return 0, fmt.Errorf("bad cell reference %q", ref)
}
