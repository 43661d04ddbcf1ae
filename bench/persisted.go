package main

import (
	"container/heap"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"casenotes/app"
	"casenotes/app/search"
	"casenotes/storage"
)

// The other design, measured before choosing (docs/search.md): an index persisted
// in the store under keyed tokens. Each folded token's postings (documents,
// frequencies, positions) are one sealed record keyed by HMAC-SHA-256(search key,
// token); the document table (record, case, kind, author, date, length) and the
// sealed term dictionary (for prefixes) are records too; a note save adds one
// sealed delta record with the note's keyed tokens in the same transaction, merged
// into the postings later. Queries read and unseal the postings of their tokens,
// score with BM25 from the document table, and read the best 20 records to make
// their snippets. This prototype writes that layout into a store of its own (same
// Badger settings and sealing as a vault) and times it.

const (
	recPostings = app.RecordType(0x50)
	recDocTable = app.RecordType(0x51)
	recDict     = app.RecordType(0x52)
	recDelta    = app.RecordType(0x53)
	recText     = app.RecordType(0x54) // stands in for the vault's note records, for snippets
)

type persistedResult struct {
	Migrate     time.Duration `json:"migrate"`      // indexing every document into the store, once
	IndexBytes  int64         `json:"index_bytes"`  // the store holding only the index records
	Records     int           `json:"records"`      // index records written
	Ready       time.Duration `json:"ready"`        // after unlock: the document table read
	SaveNote    time.Duration `json:"save_note"`    // median synced save of a note alone
	SaveIndexed time.Duration `json:"save_indexed"` // the same with its delta record
	LoadAvg     string        `json:"load_avg"`
}

type protoDoc struct {
	Case   string `json:"c"`
	Kind   string `json:"k"`
	Author string `json:"a"`
	Date   int64  `json:"d"`
	Len    uint32 `json:"l"`
	Source string `json:"s"`
}

// persistedSetup writes the persisted design's records for every document into
// stores of its own and returns its query side, ready as after an unlock.
func persistedSetup(c config, all []app.SearchRecord) (p *protoIndex, res persistedResult, cleanup func(), err error) {
	res.LoadAvg = loadAverage()
	key := make([]byte, 32)
	rand.Read(key)
	tokenID := func(tok string) app.ID {
		m := hmac.New(sha256.New, key)
		m.Write([]byte(tok))
		var id app.ID
		copy(id[:], m.Sum(nil))
		return id
	}
	dir := filepath.Join(c.out, "persisted")
	os.RemoveAll(dir)
	var closers []func()
	cleanup = func() {
		for _, f := range closers {
			f()
		}
		os.RemoveAll(dir)
	}
	storeKeys := func() app.StoreKeys {
		k := make([]byte, 32)
		rand.Read(k)
		return app.StoreKeys{AtRest: k, Records: append([]byte(nil), k...)}
	}
	idxKeys := storeKeys()
	openIdx := func() (app.Store, error) {
		return storage.Open(filepath.Join(dir, "index"), app.StoreKeys{AtRest: append([]byte(nil), idxKeys.AtRest...),
			Records: append([]byte(nil), idxKeys.Records...)}, storage.Options{})
	}
	idx, err := openIdx()
	if err != nil {
		return nil, res, cleanup, err
	}
	texts, err := storage.Open(filepath.Join(dir, "texts"), storeKeys(), storage.Options{})
	if err != nil {
		return nil, res, cleanup, err
	}
	closers = append(closers, func() { texts.Close() })

	// Migration: tokenize, build postings, write them sealed.
	start := time.Now()
	type posting struct {
		buf  []byte
		last uint32
	}
	post := map[string]*posting{}
	table := make([]protoDoc, len(all))
	for d, rec := range all {
		toks := strings.Fields(search.Fold(rec.Text))
		table[d] = protoDoc{Case: rec.Case.String(), Kind: string(rec.Kind), Author: rec.Author, Date: rec.Date.Unix(),
			Len: uint32(len(toks)), Source: string(rec.Source)}
		where := map[string][]uint32{}
		var order []string
		for i, t := range toks {
			if _, ok := where[t]; !ok {
				order = append(order, t)
			}
			where[t] = append(where[t], uint32(i))
		}
		for _, t := range order {
			p := post[t]
			if p == nil {
				p = &posting{}
				post[t] = p
			}
			p.buf = binary.AppendUvarint(p.buf, uint64(uint32(d)-p.last))
			p.buf = binary.AppendUvarint(p.buf, uint64(len(where[t])))
			prev := uint32(0)
			for _, x := range where[t] {
				p.buf = binary.AppendUvarint(p.buf, uint64(x-prev))
				prev = x
			}
			p.last = uint32(d)
		}
	}
	dict := make([]string, 0, len(post))
	err = idx.Load(func(w app.Writer) error {
		for t, p := range post {
			dict = append(dict, t)
			if err := w.Put(app.Key{Type: recPostings, ID: tokenID(t)}, p.buf); err != nil {
				return err
			}
			res.Records++
		}
		slices.Sort(dict)
		b, _ := json.Marshal(dict)
		if err := w.Put(app.Key{Type: recDict}, b); err != nil {
			return err
		}
		for i := 0; i < len(table); i += 4096 {
			b, _ := json.Marshal(table[i:min(i+4096, len(table))])
			if err := w.Put(app.Key{Type: recDocTable, Order: uint64(i)}, b); err != nil {
				return err
			}
			res.Records++
		}
		return nil
	})
	if err != nil {
		return nil, res, cleanup, err
	}
	res.Migrate = time.Since(start)
	post = nil
	err = texts.Load(func(w app.Writer) error {
		for d, rec := range all {
			b, _ := json.Marshal(rec)
			if err := w.Put(app.Key{Type: recText, Order: uint64(d)}, b); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, res, cleanup, err
	}
	if err := idx.Close(); err != nil {
		return nil, res, cleanup, err
	}
	res.IndexBytes = dirSize(filepath.Join(dir, "index"))
	if idx, err = openIdx(); err != nil {
		return nil, res, cleanup, err
	}
	closers = append(closers, func() { idx.Close() })
	p = &protoIndex{st: idx, texts: texts, tokenID: tokenID}
	start = time.Now()
	if err := p.load(); err != nil {
		return nil, res, cleanup, err
	}
	res.Ready = time.Since(start)
	res.SaveNote, res.SaveIndexed, err = persistedSaves(idx, tokenID)
	return p, res, cleanup, err
}

// persistedSaves times a note save in the persisted design: the note record
// alone, then with its delta record (keyed tokens and positions), each in one
// synced transaction.
func persistedSaves(idx app.Store, tokenID func(string) app.ID) (alone, indexed time.Duration, err error) {
	note := []byte(`{"body":"` + saveBody + `","kind":"contact","author":"Det. Bench Reader"}`)
	toks := strings.Fields(search.Fold(saveBody))
	var delta []byte
	for i, t := range toks {
		id := tokenID(t)
		delta = append(delta, id[:]...)
		delta = binary.AppendUvarint(delta, uint64(i))
	}
	var lat [2]latencies
	for i := range 60 {
		withDelta := i%2 == 1 // interleaved, so both see the same disk and load
		t0 := time.Now()
		err := idx.Update(func(t app.Tx) error {
			k := app.Key{Type: app.RecNote, Order: uint64(time.Now().UnixNano()) + uint64(i), ID: app.NewID()}
			if err := t.Put(k, note); err != nil {
				return err
			}
			if withDelta {
				return t.Put(app.Key{Type: recDelta, Order: k.Order, ID: k.ID}, delta)
			}
			return nil
		})
		if err != nil {
			return 0, 0, err
		}
		lat[i%2] = append(lat[i%2], time.Since(t0))
	}
	return lat[0].pct(0.5), lat[1].pct(0.5), nil
}

// protoIndex is what the persisted design keeps in memory after unlock: the
// document table (and, once a prefix is searched, the dictionary).
type protoIndex struct {
	st      app.Store
	texts   app.Store
	docs    []protoDoc
	total   uint64
	dict    []string
	tokenID func(string) app.ID
}

func (p *protoIndex) load() error {
	p.docs = nil
	return p.st.View(func(t app.Tx) error {
		return t.Scan(recDocTable, app.ID{}, func(_ app.Key, v []byte) error {
			var part []protoDoc
			if err := json.Unmarshal(v, &part); err != nil {
				return err
			}
			for _, d := range part {
				p.total += uint64(d.Len)
			}
			p.docs = append(p.docs, part...)
			return nil
		})
	})
}

type protoList struct {
	docs []uint32
	tfs  []uint32
	pos  [][]uint32
}

func decodePostings(b []byte) protoList {
	var l protoList
	var d uint32
	for len(b) > 0 {
		delta, n := binary.Uvarint(b)
		b = b[n:]
		tf, n := binary.Uvarint(b)
		b = b[n:]
		d += uint32(delta)
		ps := make([]uint32, tf)
		prev := uint32(0)
		for i := range ps {
			x, n := binary.Uvarint(b)
			b = b[n:]
			prev += uint32(x)
			ps[i] = prev
		}
		l.docs, l.tfs, l.pos = append(l.docs, d), append(l.tfs, uint32(tf)), append(l.pos, ps)
	}
	return l
}

// read reads and unseals one token's postings.
func (p *protoIndex) read(t app.Tx, tok string) (protoList, error) {
	b, err := t.Get(app.Key{Type: recPostings, ID: p.tokenID(tok)})
	if err != nil {
		return protoList{}, nil
	}
	return decodePostings(b), nil
}

func (p *protoIndex) bm25(df int, tf uint32, d uint32) float64 {
	n := float64(len(p.docs))
	idf := math.Log(1 + (n-float64(df)+0.5)/(float64(df)+0.5))
	avg := float64(p.total) / n
	f := float64(tf)
	return idf * f * 2.2 / (f + 1.2*(0.25+0.75*float64(p.docs[d].Len)/avg))
}

type protoScored struct {
	d uint32
	s float64
}
type protoHeap []protoScored

func (h protoHeap) Len() int           { return len(h) }
func (h protoHeap) Less(i, j int) bool { return h[i].s < h[j].s }
func (h protoHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *protoHeap) Push(v any)        { *h = append(*h, v.(protoScored)) }
func (h *protoHeap) Pop() any          { o := *h; v := o[len(o)-1]; *h = o[:len(o)-1]; return v }

// search runs one query the persisted way and reads the best 20 texts.
func (p *protoIndex) search(q benchQuery) (int, error) {
	var scores map[uint32]float64
	err := p.st.View(func(t app.Tx) error {
		first := true
		for _, part := range splitQuery(q.Text) {
			if strings.HasPrefix(part, "-") {
				continue // the bench queries exclude nothing
			}
			prefix := strings.HasSuffix(part, "*") && !strings.HasPrefix(part, `"`)
			toks := strings.Fields(search.Fold(strings.Trim(part, `"*`)))
			if len(toks) == 0 {
				continue
			}
			cur := map[uint32]float64{}
			switch {
			case prefix:
				if p.dict == nil {
					b, err := t.Get(app.Key{Type: recDict})
					if err != nil {
						return err
					}
					if err := json.Unmarshal(b, &p.dict); err != nil {
						return err
					}
				}
				i, _ := slices.BinarySearch(p.dict, toks[0])
				for ; i < len(p.dict) && strings.HasPrefix(p.dict[i], toks[0]); i++ {
					l, _ := p.read(t, p.dict[i])
					for k, d := range l.docs {
						cur[d] += p.bm25(len(l.docs), l.tfs[k], d)
					}
				}
			case len(toks) == 1:
				l, _ := p.read(t, toks[0])
				for k, d := range l.docs {
					cur[d] = p.bm25(len(l.docs), l.tfs[k], d)
				}
			default:
				lists := make([]protoList, len(toks))
				for i, tok := range toks {
					lists[i], _ = p.read(t, tok)
				}
				at := make([]map[uint32]int, len(lists))
				for i, l := range lists {
					at[i] = make(map[uint32]int, len(l.docs))
					for k, d := range l.docs {
						at[i][d] = k
					}
				}
				for k0, d := range lists[0].docs {
					count := 0
					for _, p0 := range lists[0].pos[k0] {
						ok := true
						for i := 1; i < len(lists) && ok; i++ {
							k, in := at[i][d]
							ok = in && slices.Contains(lists[i].pos[k], p0+uint32(i))
						}
						if ok {
							count++
						}
					}
					if count > 0 {
						cur[d] = p.bm25(len(lists[0].docs), uint32(count), d) * float64(len(lists))
					}
				}
			}
			if first {
				scores, first = cur, false
				continue
			}
			for d, s := range scores {
				if add, ok := cur[d]; ok {
					scores[d] = s + add
				} else {
					delete(scores, d)
				}
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	var since int64 = math.MinInt64
	if q.Since != "" {
		ts, _ := time.Parse(time.DateOnly, q.Since)
		since = ts.Unix()
	}
	h := protoHeap{}
	for d, s := range scores {
		doc := p.docs[d]
		if q.Kind != "" && doc.Kind != q.Kind || doc.Date < since || q.Case != "" && doc.Case != q.Case ||
			q.Author != "" && !strings.EqualFold(doc.Author, q.Author) {
			continue
		}
		heap.Push(&h, protoScored{d, s})
		if len(h) > 20 {
			heap.Pop(&h)
		}
	}
	// The snippets: read, unseal and decode each of the best 20 records.
	err = p.texts.View(func(t app.Tx) error {
		for _, sc := range h {
			b, err := t.Get(app.Key{Type: recText, Order: uint64(sc.d)})
			if err != nil {
				return err
			}
			var rec app.SearchRecord
			if err := json.Unmarshal(b, &rec); err != nil {
				return err
			}
			_ = search.Highlight(rec.Text, q.Text)
		}
		return nil
	})
	return len(scores), err
}
