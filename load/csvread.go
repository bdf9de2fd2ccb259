package load

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
)

// The Go reader's CSV: RFC 4180 as encoding/csv reads it (no lazy quotes; "\r\n" read as "\n";
// empty lines skipped), but streamed with every buffer capped, so no input can make a load hold
// more than maxRecord bytes of one line: encoding/csv keeps reading a quoted field until its
// closing quote, and one stray quote made it hold the rest of a 200 MB file as one value.
//
// A quote never closed (within maxField bytes, or before the end of the file) is reported where
// it opened, and reading resumes on the next line, so the lines after it are still checked.

const (
	maxField  = 64 << 10 // a value longer than this is a problem (a stray quote, most likely)
	maxRecord = 1 << 20  // and so is a line, or a record, longer than this
)

// position is where a value starts: line and byte column, from 1.
type position struct{ line, col int }

// csvProblem is a line that could not be read as CSV, and why.
type csvProblem struct {
	position
	kind, msg string
}

func (p *csvProblem) Error() string { return fmt.Sprintf("%d:%d: %s", p.line, p.col, p.msg) }

var errLineTooLong = errors.New("line too long")

type csvReader struct {
	src  io.ReadSeeker
	br   *bufio.Reader
	off  int64 // offset in src of the next byte br returns
	line int   // the number of the last line read
	// fields is how many values each record must have (0: any; the header sets it)
	fields int

	lineBuf []byte
	rec     []byte
	ends    []int
	pos     []position
	out     []string
	peak    int // the largest buffer held, for tests: never much more than maxRecord
}

func newCSVReader(src io.ReadSeeker) *csvReader {
	r := &csvReader{src: src, br: bufio.NewReaderSize(src, 64<<10)}
	if b, err := r.br.Peek(3); err == nil && bytes.Equal(b, []byte("\ufeff")) {
		r.br.Discard(3)
		r.off = 3
	}
	return r
}

// readLine returns the next physical line without its line ending, or io.EOF; a line longer than
// maxRecord is skipped to its end and reported as errLineTooLong.
func (r *csvReader) readLine() ([]byte, error) {
	r.lineBuf = r.lineBuf[:0]
	long, any := false, false
	for {
		chunk, err := r.br.ReadSlice('\n')
		r.off += int64(len(chunk))
		any = any || len(chunk) > 0
		if !long && len(r.lineBuf)+len(chunk) > maxRecord {
			long = true
		}
		if !long {
			r.lineBuf = append(r.lineBuf, chunk...)
			r.peak = max(r.peak, cap(r.lineBuf))
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, err
		}
		if errors.Is(err, io.EOF) && !any {
			return nil, io.EOF
		}
		break
	}
	r.line++
	if long {
		return nil, errLineTooLong
	}
	l := r.lineBuf
	switch {
	case bytes.HasSuffix(l, []byte("\r\n")):
		l = l[:len(l)-2]
	case bytes.HasSuffix(l, []byte("\n")):
		l = l[:len(l)-1]
	case bytes.HasSuffix(l, []byte("\r")): // before the end of the file, as encoding/csv
		l = l[:len(l)-1]
	}
	return l, nil
}

// resume goes back to the start of the line after line (which ends at offset off).
func (r *csvReader) resume(off int64, line int) error {
	if _, err := r.src.Seek(off, io.SeekStart); err != nil {
		return err
	}
	r.br.Reset(r.src)
	r.off, r.line = off, line
	return nil
}

// Read returns the next record's values (valid until the next Read), or a *csvProblem for a line
// that could not be read (reading goes on at the next line), or io.EOF, or an error reading.
func (r *csvReader) Read() ([]string, error) {
	var line []byte
	for {
		l, err := r.readLine()
		if errors.Is(err, errLineTooLong) {
			return nil, &csvProblem{position{r.line, 1}, "over-long line",
				fmt.Sprintf("the line is longer than %s: is this a CSV file?", size(maxRecord))}
		}
		if err != nil {
			return nil, err
		}
		if len(l) > 0 {
			line = l
			break
		}
	}
	recLine := r.line
	r.rec, r.ends, r.pos = r.rec[:0], r.ends[:0], r.pos[:0]
	col := 0 // index in line of the value being read
	for {
		start := position{r.line, col + 1}
		fieldStart := len(r.rec)
		more := false // a comma follows
		if col < len(line) && line[col] == '"' {
			openLine, openCol, after := r.line, col+1, r.off
			i := col + 1
			for {
				j := bytes.IndexByte(line[i:], '"')
				if j < 0 {
					// the value goes on over the line's end
					r.rec = append(r.rec, line[i:]...)
					r.peak = max(r.peak, cap(r.rec))
					var next []byte
					var err error
					if len(r.rec)-fieldStart > maxField || len(r.rec) > maxRecord {
						err = errLineTooLong
					} else {
						next, err = r.readLine()
					}
					if errors.Is(err, errLineTooLong) || errors.Is(err, io.EOF) {
						p := &csvProblem{position{openLine, openCol}, "unclosed quote",
							"this quote is never closed (the file ends inside it): check the quotes on this line"}
						if !errors.Is(err, io.EOF) {
							p.kind, p.msg = "over-long field", fmt.Sprintf("a value starting with this quote runs on for more than %s: "+
								"a stray quote? check the quotes on this line", size(maxField))
						}
						if err := r.resume(after, openLine); err != nil {
							return nil, err
						}
						return nil, p
					}
					if err != nil {
						return nil, err
					}
					r.rec = append(r.rec, '\n')
					line, i = next, 0
					continue
				}
				r.rec = append(r.rec, line[i:i+j]...)
				i += j + 1
				if i < len(line) && line[i] == '"' {
					r.rec = append(r.rec, '"')
					i++
					continue
				}
				if i < len(line) && line[i] != ',' {
					return nil, &csvProblem{position{r.line, i + 1}, "malformed CSV line",
						`malformed CSV line: text after a closing quote: check the quotes on this line (a quote inside a quoted value is written "")`}
				}
				more = i < len(line)
				col = i + 1
				break
			}
		} else {
			j := bytes.IndexByte(line[col:], ',')
			field := line[col:]
			if j >= 0 {
				field = line[col : col+j]
			}
			if q := bytes.IndexByte(field, '"'); q >= 0 {
				return nil, &csvProblem{position{r.line, col + q + 1}, "malformed CSV line",
					`malformed CSV line: a quote inside a value that does not start with one: check the quotes on this line (quote the whole value, and write a quote inside it as "")`}
			}
			r.rec = append(r.rec, field...)
			r.peak = max(r.peak, cap(r.rec))
			more = j >= 0
			col += len(field) + 1
		}
		if len(r.rec)-fieldStart > maxField {
			return nil, &csvProblem{start, "over-long field", fmt.Sprintf("a value longer than %s", size(maxField))}
		}
		r.ends = append(r.ends, len(r.rec))
		r.pos = append(r.pos, start)
		if !more {
			break
		}
	}
	if r.fields > 0 && len(r.ends) != r.fields {
		return nil, &csvProblem{position{recLine, 1}, "wrong number of fields",
			fmt.Sprintf("malformed CSV line: %d values, but the header names %d: a comma inside a value that is not in quotes?", len(r.ends), r.fields)}
	}
	s := string(r.rec)
	r.out = r.out[:0]
	prev := 0
	for _, e := range r.ends {
		r.out = append(r.out, s[prev:e])
		prev = e
	}
	return r.out, nil
}

// FieldPos is where value i of the last record read starts.
func (r *csvReader) FieldPos(i int) (line, col int) { return r.pos[i].line, r.pos[i].col }

func size(n int) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d KiB", n>>10)
}
