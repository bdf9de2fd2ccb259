// Package files writes the files the tool makes of people's records, and reads the encodings
// councils' XML returns declare: small helpers the readers and writers of councils' data share.
package files

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"
)

// WritePrivate writes a file readable by its owner alone, whatever the umask and whatever mode an
// earlier file of that name had.
func WritePrivate(path string, write func(io.Writer) error) error {
	out, err := CreatePrivate(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(out, 1<<20)
	if err := write(w); err != nil {
		out.Close()
		return err
	}
	if err := w.Flush(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// CreatePrivate creates (or truncates) a file readable by its owner alone, whatever the umask and
// whatever mode an earlier file of that name had.
func CreatePrivate(path string) (*os.File, error) {
	out, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return nil, err
	}
	if err := out.Chmod(0o600); err != nil {
		out.Close()
		return nil, err
	}
	return out, nil
}

// Charset reads the encodings councils' systems declare for an XML return (as
// xml.Decoder.CharsetReader): ASCII and UTF-8 as they are, ISO-8859-1 and Windows-1252 (names
// with accents) byte by byte.
func Charset(label string, r io.Reader) (io.Reader, error) {
	switch strings.ToLower(label) {
	case "us-ascii", "ascii", "utf-8", "utf8":
		return r, nil
	case "iso-8859-1", "latin1", "latin-1", "windows-1252", "cp1252":
		b, err := io.ReadAll(r)
		if err != nil {
			return nil, err
		}
		var s strings.Builder
		for _, c := range b {
			s.WriteRune(rune(c))
		}
		return strings.NewReader(s.String()), nil
	}
	return nil, fmt.Errorf("the file declares encoding %q: save it as UTF-8", label)
}
