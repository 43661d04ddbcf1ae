package app

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
)

// The case file is decoded as it is read (casefile_stream.go). These tests hold it
// to the parser it replaced, which decoded the whole document as one value: kept
// here as referenceParseCaseFile, it must accept and reject every file alike, with
// the same sentence, and parse an accepted file to the same value.

// referenceParseCaseFile is parseCaseFile as it was before the file was decoded
// as it is read (commit 3d2905c).
func referenceParseCaseFile(r io.Reader) (*CaseFile, []*importCase, error) {
	b, err := referenceReadCaseFileBytes(r)
	if err != nil {
		return nil, nil, Invalid("case file", "could not be read")
	}
	if len(b) > MaxCaseFile {
		return nil, nil, Invalid("case file", fmt.Sprintf("is larger than %d MiB", MaxCaseFile>>20))
	}
	// One strict decode; the format is checked after it. When it fails, the format
	// is read on its own first, so a file of another kind or of a newer version
	// is named as such rather than by the first field this version does not know.
	// (Reading the format first on every file scanned the whole document twice:
	// a tenth of a large import.)
	f := new(CaseFile)
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(f); err != nil {
		var head struct {
			Format any `json:"format"`
		}
		if herr := json.Unmarshal(b, &head); herr == nil {
			if _, ferr := ReadableFormat(head.Format, CaseFileFormatID, "a Casenotes case file"); ferr != nil {
				return nil, nil, ferr
			}
		}
		return nil, nil, Invalid("case file", jsonTrouble(err))
	}
	if _, err := ReadableFormat(f.Format, CaseFileFormatID, "a Casenotes case file"); err != nil {
		return nil, nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, nil, Invalid("case file", "has data after the end of the document")
	}
	if len(f.Cases) == 0 {
		return nil, nil, Invalid("cases", "are missing: the file holds no case")
	}
	if len(f.Cases) > MaxFileCases {
		return nil, nil, Invalid("cases", fmt.Sprintf("are more than %d in one file", MaxFileCases))
	}
	cases := make([]*importCase, len(f.Cases))
	// Each number is looked up among those before it by its folded form: comparing
	// it with every earlier case made a 100,000-case file's check quadratic.
	seen := make(map[string]*importCase, len(f.Cases))
	for i := range f.Cases {
		ic, err := prepareCase(i+1, &f.Cases[i])
		if err != nil {
			return nil, nil, err
		}
		b, _ := json.Marshal(&f.Cases[i]) // prepareCase's estimate then
		ic.size = 2*len(b) + 4096
		fold := foldNumber(ic.c.Number)
		if prev, ok := seen[fold]; ok {
			return nil, nil, within(ic.label, &FieldError{Field: "case number",
				Reason: fmt.Sprintf("is also used by case %d in this file", prev.index), Err: ErrExists})
		}
		seen[fold] = ic
		cases[i] = ic
	}
	return f, cases, nil
}

// referenceReadCaseFileBytes reads at most MaxCaseFile+1 bytes of r. A reader that knows its
// size (Size, as bytes.Reader; Stat, as os.File) is read into one buffer of that
// size: growing a buffer by doubling to a file of tens of megabytes cleared and
// copied it several times over (a twentieth of a large import).
func referenceReadCaseFileBytes(r io.Reader) ([]byte, error) {
	size := int64(-1)
	switch s := r.(type) {
	case interface{ Size() int64 }:
		size = s.Size()
	case interface{ Stat() (fs.FileInfo, error) }:
		if fi, err := s.Stat(); err == nil && fi.Mode().IsRegular() {
			size = fi.Size()
		}
	}
	if size < 0 || size > MaxCaseFile {
		return io.ReadAll(io.LimitReader(r, MaxCaseFile+1))
	}
	var buf bytes.Buffer
	buf.Grow(int(size) + bytes.MinRead) // ReadFrom asks for MinRead free bytes before it sees EOF
	_, err := buf.ReadFrom(io.LimitReader(r, MaxCaseFile+1))
	return buf.Bytes(), err
}

// sameParse fails t unless the two parsers give the same outcome for file.
func sameParse(t *testing.T, file []byte) {
	t.Helper()
	want, wantCases, wantErr := referenceParseCaseFile(bytes.NewReader(file))
	got, gotCases, gotErr := parseCaseFile(bytes.NewReader(file))
	if (wantErr == nil) != (gotErr == nil) {
		t.Fatalf("file %q:\nreference error %v\nstreamed error  %v", file, wantErr, gotErr)
	}
	if wantErr != nil {
		if gotErr.Error() != wantErr.Error() {
			t.Fatalf("file %q:\nreference error %q\nstreamed error  %q", file, wantErr, gotErr)
		}
		for _, sentinel := range []error{ErrInvalid, ErrTooNew, ErrExists} {
			if errors.Is(gotErr, sentinel) != errors.Is(wantErr, sentinel) {
				t.Fatalf("file %q: errors.Is(%v, %v) differs from the reference", file, gotErr, sentinel)
			}
		}
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("file %q:\nreference %+v\nstreamed  %+v", file, want, got)
	}
	if len(gotCases) != len(wantCases) {
		t.Fatalf("file %q: %d cases prepared, reference %d", file, len(gotCases), len(wantCases))
	}
	for i := range gotCases {
		if gotCases[i].label != wantCases[i].label {
			t.Fatalf("file %q: case %d prepared as %q, reference %q", file, i+1, gotCases[i].label, wantCases[i].label)
		}
	}
	for _, tplItems := range []int{0, 1, 85} {
		if fitsOneTx(gotCases, tplItems) != fitsOneTx(wantCases, tplItems) {
			t.Fatalf("file %q: fits one transaction %v, reference %v", file, fitsOneTx(gotCases, tplItems), fitsOneTx(wantCases, tplItems))
		}
	}
}

// streamSeeds are case files that reach each branch of the streamed decoder: the
// example files, and files that repeat, fold or misplace what the format holds.
func streamSeeds(t testing.TB) [][]byte {
	files, _ := filepath.Glob(filepath.Join("..", "testdata", "cases", "*.json"))
	var seeds [][]byte
	for _, name := range files {
		if strings.HasSuffix(name, ".expected.json") {
			continue
		}
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		seeds = append(seeds, b)
	}
	const c1 = `{"number":"1","title":"x","victim":{"alias":"a"}}`
	const c2 = `{"number":"2","title":"y","victim":{"alias":"b"},"notes":[{"kind":"contact","body":"b","author":"a","created_at":"2026-01-01T00:00:00Z"}]}`
	for _, s := range []string{
		``, ` `, `{`, `}`, `[`, `null`, ` null `, `true`, `1`, `-`, `"x"`, `[]`, `[1]`, `{}`, `{} `, `{}x`, `{}{}`,
		`{"format":"casenotes-case/v1","cases":[` + c1 + `]}`,
		` {"format" : "casenotes-case/v1" , "cases" : [ ` + c1 + ` , ` + c2 + ` ] } `,
		`{"cases":[` + c1 + `],"format":"casenotes-case/v1"}`,
		`{"FORMAT":"casenotes-case/v1","Cases":[` + c1 + `]}`,
		`{"format":"casenotes-case/v1","ca\u0073es":[` + c1 + `]}`,
		`{"format":"casenotes-case/v1","caſes":[` + c1 + `]}`,
		`{"format":"casenotes-case/v1","cases":[` + c1 + `,` + c2 + `],"cases":[{"number":"3"}]}`,
		`{"format":"casenotes-case/v1","cases":[` + c1 + `,` + c2 + `],"cases":[],"cases":[{"number":"3"}]}`,
		`{"format":"casenotes-case/v1","cases":[` + c1 + `,` + c2 + `],"cases":null,"cases":[` + c1 + `]}`,
		`{"format":"casenotes-case/v1","cases":[` + c1 + `,` + c2 + `],"cases":[{"title":"z"}]}`,
		`{"format":"casenotes-case/v1","format":null,"cases":[` + c1 + `]}`,
		`{"format":"casenotes-case/v2","format":1,"cases":[` + c1 + `]}`,
		`{"format":1,"cases":[` + c1 + `]}`,
		`{"format":"casenotes-case/v2","cases":[{"number":1}]}`,
		`{"format":"casenotes-case/v2","cases":[{"number":1}]} x`,
		`{"format":"casenotes-notes/v1","cases":[{"x":1}]}`,
		`{"cases":[{"x":1}],"format":"casenotes-case/v9"}`,
		`{"format":"casenotes-case/v1","cases":{"a":1}}`,
		`{"format":"casenotes-case/v1","cases":"x"}`,
		`{"format":"casenotes-case/v1","cases":[1,true,null,"x",[]]}`,
		`{"format":"casenotes-case/v1","cases":[nul]}`,
		`{"format":"casenotes-case/v1","cases":[1x]}`,
		`{"format":"casenotes-case/v1","cases":[1 x]}`,
		`{"format":"casenotes-case/v1","cases":[,]}`,
		`{"format":"casenotes-case/v1","cases":[` + c1 + `,]}`,
		`{"format":"casenotes-case/v1","cases":[` + c1 + `}`,
		`{"format":"casenotes-case/v1","cases":[{]}`,
		`{"format":"casenotes-case/v1","cases":[{"number":"1\u0001"}]}`,
		"{\"format\":\"casenotes-case/v1\",\"cases\":[{\"number\":\"1\x01\"}]}",
		`{"format":"casenotes-case/v1","cases":[{"number":"\x"}]}`,
		`{"format":"casenotes-case/v1","cases":[{"number":"\\\"}]}`,
		`{"format":"casenotes-case/v1","cases":[{"title":"a\\\"b","number":"1"}]}`,
		`{"format":"casenotes-case/v1","cases":[` + c1 + `],"other":{"x":[1,2,{"y":"]"}]}}`,
		`{"format":"casenotes-case/v1","other":1e5,"cases":[{"number":"1","notes":[{"final":"yes"}],"victim":{"age":"x"}}]}`,
		`{"format":"casenotes-case/v1","cases":[{"notes":[{"final":"yes"}]},{"x":1}]}`,
		`{"format":"casenotes-case/v1","cases":[{"x":1},{"notes":[{"final":"yes"}]}]}`,
		`{"format":"casenotes-case/v1","cases":[{"notes":{}}]}`,
		`{"format":"casenotes-case/v1","cases":[{"notes":[{"final":"yes"}]}],"x":[}`,
		`{"format":"casenotes-case/v1" "cases":[]}`,
		`{"format":"casenotes-case/v1",}`,
		`{"format":"casenotes-case/v1","cases"]`,
		`{"format":"casenotes-case/v1","cases":}`,
		`{1:2}`,
		`{"format":"casenotes-case/v1","cases":[` + c1 + `]}]`,
		`{"format":"casenotes-case/v1","cases":[` + c1 + `]} {"format":"casenotes-case/v1"}`,
		`[{"format":"casenotes-case/v1"}]`,
		`"casenotes-case/v1"`,
		`  123abc`,
		"age-encryption.org/v1\n",
	} {
		seeds = append(seeds, []byte(s))
	}
	return seeds
}

func TestCaseFileStreamMatchesReference(t *testing.T) {
	for _, seed := range streamSeeds(t) {
		sameParse(t, seed)
	}
	// Every prefix of an example file, and every file with one byte replaced
	// by bytes the decoder treats specially.
	full, err := os.ReadFile(filepath.Join("..", "testdata", "cases", "full.json"))
	if err != nil {
		t.Fatal(err)
	}
	for i := range len(full) + 1 {
		sameParse(t, full[:i])
	}
	special := []byte(`{}[]",:\ 1n`)
	for i := range full {
		for _, c := range []byte{special[i%len(special)], special[(7*i+3)%len(special)]} {
			b := bytes.Clone(full)
			b[i] = c
			sameParse(t, b)
		}
	}
}

func FuzzCaseFileStream(f *testing.F) {
	for _, seed := range streamSeeds(f) {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, b []byte) { sameParse(t, b) })
}

// The streamed decoder reads values larger than one read of the file, and counts
// offsets across its buffer's moves.
func TestCaseFileStreamLargeValues(t *testing.T) {
	var sb strings.Builder
	sb.WriteString(`{"format":"casenotes-case/v1","cases":[`)
	body := strings.Repeat(`Notes \"quoted\" and \\ back-slashed. `, caseFileChunk/20)
	for i := range 8 {
		if i > 0 {
			sb.WriteString(",\n")
		}
		fmt.Fprintf(&sb, `{"number":"N-%d","title":"t","victim":{"alias":"a"},"notes":[{"kind":"contact","body":"%s","author":"a","created_at":"2026-01-01T00:00:00Z"}]}`, i, body)
	}
	sb.WriteString("]}")
	good := []byte(sb.String())
	sameParse(t, good)
	// A syntax error near the end, after the buffer has moved: the same offset.
	bad := bytes.Clone(good)
	bad[len(bad)-3] = ','
	sameParse(t, bad)
	sameParse(t, good[:len(good)-1])
	// A file read a byte at a time parses the same.
	f1, _, err := parseCaseFile(iotest.OneByteReader(bytes.NewReader(good)))
	f2, _, _ := referenceParseCaseFile(bytes.NewReader(good))
	if err != nil || !reflect.DeepEqual(f1, f2) {
		t.Fatalf("read a byte at a time: %v", err)
	}
}

// A read error is reported as such, before anything wrong inside the file.
func TestCaseFileStreamReadError(t *testing.T) {
	for _, file := range []string{`{"format":"casenotes-case/v1","cases":[`, `{"format":1x`, `{"format":"casenotes-case/v1","cases":[{"number":"1","title":"x","victim":{"alias":"a"}}]}`} {
		r := io.MultiReader(strings.NewReader(file), iotest.ErrReader(errors.New("disk gone")))
		_, _, err := parseCaseFile(r)
		if err == nil || err.Error() != "case file could not be read" {
			t.Errorf("%s: err = %v", file, err)
		}
	}
}

// The streamed decoder carries on after a value of the wrong type, as encoding/json
// does, and gives the first such error; a type of the format that decoded itself
// (json.Unmarshaler, encoding.TextUnmarshaler) would stop encoding/json at its
// error instead. None may.
func TestCaseFileTypesDecodePlainly(t *testing.T) {
	seen := map[reflect.Type]bool{}
	var walk func(reflect.Type, string)
	walk = func(ty reflect.Type, path string) {
		if seen[ty] {
			return
		}
		seen[ty] = true
		for _, iface := range []reflect.Type{reflect.TypeFor[json.Unmarshaler](), reflect.TypeFor[encoding.TextUnmarshaler]()} {
			if ty.Implements(iface) || reflect.PointerTo(ty).Implements(iface) {
				t.Errorf("%s (%s) implements %s", path, ty, iface)
			}
		}
		switch ty.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Array, reflect.Map:
			walk(ty.Elem(), path)
		case reflect.Struct:
			for i := range ty.NumField() {
				walk(ty.Field(i).Type, path+"."+ty.Field(i).Name)
			}
		case reflect.Interface:
			t.Errorf("%s is an interface", path)
		}
	}
	walk(reflect.TypeFor[CaseFile](), "CaseFile")
}

// BenchmarkParseCaseFile parses a file the size of the bench's (2,000 cases of 25
// notes, about 34 MB) with the streamed decoder and with the reference, from an
// os.File as the command line and the bench give it.
func BenchmarkParseCaseFile(b *testing.B) {
	path := filepath.Join(b.TempDir(), "cases.json")
	var sb strings.Builder
	sb.WriteString(`{"format":"casenotes-case/v1","cases":[`)
	body := strings.Repeat("Advocate met the young person at the clinic; la joven pidió un intérprete. ", 9)
	for i := range 2000 {
		if i > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, `{"number":"DEMO-%06d","title":"[Demo] Fictional case %d","status":"open","jurisdiction":"Demo County","opened":"2026-01-19","assigned":["Demo Detective"],"victim":{"alias":"Demo Alias %d","age":15,"languages":["English","Spanish"]},"notes":[`, i, i, i)
		for j := range 25 {
			if j > 0 {
				sb.WriteByte(',')
			}
			fmt.Fprintf(&sb, `{"kind":"contact","body":"%s","author":"Demo Advocate","created_at":"2026-02-%02dT10:00:00Z","sensitivity":"standard","final":true}`, body, j+1)
		}
		sb.WriteString("]}")
	}
	sb.WriteString("]}")
	if err := os.WriteFile(path, []byte(sb.String()), 0o600); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(sb.Len()))
	for _, p := range []struct {
		name  string
		parse func(io.Reader) (*CaseFile, []*importCase, error)
	}{{"streamed", parseCaseFile}, {"reference", referenceParseCaseFile}} {
		b.Run(p.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				f, err := os.Open(path)
				if err != nil {
					b.Fatal(err)
				}
				_, _, err = p.parse(f)
				f.Close()
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
