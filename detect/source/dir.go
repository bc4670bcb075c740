package source

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/aiguard/aiguard/detect"
)

// Dir scans every regular file under Root as it is on disk.
type Dir struct {
	Root        string
	MaxFileSize int64
	// SkipPath lets allowlisted paths be passed over without reading them.
	SkipPath func(rel string) bool
}

// binarySniff is how much of a file decides whether it is binary, as git
// does: a NUL byte in the first 8000 bytes.
const binarySniff = 8000

// Scan implements detect.Source.
func (d *Dir) Scan(ctx context.Context, emit func(*detect.Fragment) error, skip func(detect.Skip)) error {
	st, err := os.Stat(d.Root)
	if err != nil {
		return fmt.Errorf("%w: cannot read directory %s: %v", ErrSource, d.Root, unwrapPathError(err))
	}
	if !st.IsDir() {
		return fmt.Errorf("%w: %s is not a directory", ErrSource, d.Root)
	}
	return filepath.WalkDir(d.Root, func(path string, e fs.DirEntry, err error) error {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return ctxErr
		}
		rel, _ := filepath.Rel(d.Root, path)
		rel = filepath.ToSlash(rel)
		if err != nil {
			// An unreadable part of the tree must not pass as clean.
			return fmt.Errorf("%w: cannot read %s: %v", ErrSource, rel, unwrapPathError(err))
		}
		if e.IsDir() {
			if e.Name() == ".git" && path != d.Root {
				return filepath.SkipDir
			}
			return nil
		}
		if d.SkipPath != nil && d.SkipPath(rel) {
			return nil
		}
		if e.Type()&fs.ModeSymlink != 0 {
			// Following links could read outside the tree being scanned.
			skip(detect.Skip{Path: rel, Reason: "symbolic link not followed"})
			return nil
		}
		if !e.Type().IsRegular() {
			skip(detect.Skip{Path: rel, Reason: "not a regular file"})
			return nil
		}
		info, err := e.Info()
		if err != nil {
			return fmt.Errorf("%w: cannot stat %s: %v", ErrSource, rel, unwrapPathError(err))
		}
		if d.MaxFileSize > 0 && info.Size() > d.MaxFileSize {
			skip(detect.Skip{Path: rel, Reason: fmt.Sprintf("larger than %d bytes", d.MaxFileSize)})
			return nil
		}
		data, err := readFile(path, info.Size())
		if err != nil {
			return fmt.Errorf("%w: cannot read %s: %v", ErrSource, rel, unwrapPathError(err))
		}
		if bytes.IndexByte(data[:min(len(data), binarySniff)], 0) >= 0 {
			skip(detect.Skip{Path: rel, Reason: "binary file"})
			return nil
		}
		if len(data) == 0 {
			return nil
		}
		return emit(detect.NewTreeFragment(rel, string(data)))
	})
}

func readFile(path string, size int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	buf := bytes.NewBuffer(make([]byte, 0, size+1))
	_, err = io.Copy(buf, f)
	return buf.Bytes(), err
}

func unwrapPathError(err error) error {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Err
	}
	return err
}
