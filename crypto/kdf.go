package crypto

import (
	"crypto/rand"
	"errors"
	"fmt"
	"runtime"
	"time"

	"golang.org/x/crypto/argon2"
)

// ErrKDFParams is returned (wrapped) when key derivation parameters are
// unknown or outside the bounds this package accepts. Parameters come from a
// vault header on disk, so a crafted header must be refused before Argon2id
// allocates memory or burns CPU on its behalf.
var ErrKDFParams = errors.New("crypto: unsupported key derivation parameters")

// KDFParams are the Argon2id cost parameters stored in a vault key slot next
// to its salt, so a vault created on a fast desktop can still be opened with
// exactly the same work on a slower laptop.
type KDFParams struct {
	Algorithm string `json:"alg"` // always "argon2id"
	Time      uint32 `json:"t"`   // passes over memory
	MemoryKiB uint32 `json:"m"`   // memory in KiB
	Threads   uint8  `json:"p"`   // lanes
}

const (
	// kdfAlgorithm is the only algorithm accepted in a key slot.
	kdfAlgorithm = "argon2id"

	// Floor (docs/design.md, "Keys"): never below t=3, m=64 MiB.
	minKDFTime      = 3
	minKDFMemoryKiB = 64 << 10

	// Bounds applied when parameters are read from a file.
	maxKDFTime      = 16
	maxKDFMemoryKiB = 1 << 20 // 1 GiB
	maxKDFThreads   = 16
	maxKDFWork      = 4 << 20 // Time*MemoryKiB: 4 GiB worth of passes

	// calibrationMaxMemoryKiB caps what calibration asks for. A vault made on
	// a fast desktop must still open on an ordinary laptop, so memory stops
	// at 256 MiB (what age's scrypt uses) and further cost goes into time.
	// 256 MiB x 16 passes is exactly maxKDFWork.
	calibrationMaxMemoryKiB = 256 << 10

	minSaltSize = 16
	saltSize    = 32
)

// testCost is set only by kdf_testcost.go, which is compiled only with the
// casenotes_testkdf build tag, so production binaries cannot lower the cost.
var testCost bool

// MinKDFParams returns the floor every new key slot must meet: Argon2id with
// t=3 and m=64 MiB, using up to four lanes. It is also the starting point of
// calibration.
func MinKDFParams() KDFParams {
	threads := min(4, runtime.NumCPU())
	return KDFParams{
		Algorithm: kdfAlgorithm,
		Time:      minKDFTime,
		MemoryKiB: minKDFMemoryKiB,
		Threads:   uint8(max(1, threads)),
	}
}

// CalibrateKDF returns parameters for which one derivation takes roughly
// target on this machine (callers pass about 700ms), so each passphrase
// guess costs an attacker as much as the user is willing to wait at unlock.
//
// Memory is fixed first, at 256 MiB or the most the machine can spare (a
// quarter of the memory available now), never below the floor's 64 MiB: memory
// is what makes each guess costly on an attacker's hardware, and it does not
// depend on how busy the machine is. The passes are then chosen from the fastest
// of calibrationTrials one-pass derivations, so a moment of heavy load (which
// only ever slows a trial down) does not leave the vault at the floor; they never
// go below the floor's three. It takes about a second.
//
// In binaries built with the casenotes_testkdf tag it returns cheap
// parameters instantly so test suites that create vaults stay fast.
func CalibrateKDF(target time.Duration) KDFParams {
	if testCost {
		return KDFParams{Algorithm: kdfAlgorithm, Time: 1, MemoryKiB: 64, Threads: 1}
	}
	return calibrate(target, MinKDFParams(), spareMemoryKiB(), measureKDF)
}

// calibrationTrials is how many one-pass derivations calibration times.
const calibrationTrials = 3

// measureKDF times one derivation with p on a throwaway passphrase and salt.
func measureKDF(p KDFParams) time.Duration {
	start := time.Now()
	key := argon2.IDKey([]byte("casenotes calibration"), NewSalt(), p.Time, p.MemoryKiB, p.Threads, KeySize)
	elapsed := time.Since(start)
	afterDerivation()
	Zero(key)
	return elapsed
}

// calibrate picks the memory (spare KiB, within the floor and the 256 MiB
// ceiling) and then the passes that take about target, from the fastest of
// calibrationTrials one-pass measurements. The result is never below floor and
// always within what [KDFParams.Check] accepts.
func calibrate(target time.Duration, floor KDFParams, spare uint64, measure func(KDFParams) time.Duration) KDFParams {
	p := floor
	p.MemoryKiB = uint32(max(uint64(floor.MemoryKiB), min(spare, calibrationMaxMemoryKiB))) &^ 1023 // whole MiB
	p.MemoryKiB = max(p.MemoryKiB, floor.MemoryKiB)
	one := p
	one.Time = 1
	fastest := time.Duration(0)
	for i := range calibrationTrials {
		took := measure(one)
		if i == 0 || took < fastest {
			fastest = took
		}
	}
	fastest = max(fastest, time.Millisecond) // a clock that reports nothing
	passes := float64(target)/float64(fastest) + 0.5
	ceiling := min(uint64(maxKDFTime), maxKDFWork/uint64(p.MemoryKiB))
	switch {
	case passes >= float64(ceiling):
		p.Time = uint32(ceiling)
	case passes > float64(floor.Time):
		p.Time = uint32(passes)
	default:
		p.Time = floor.Time
	}
	return p
}

// Check reports whether p is safe to run. It is applied to parameters read
// from a vault header, so it bounds memory, time and total work to keep a
// crafted header from becoming a memory or time bomb, and it never runs
// Argon2id itself.
func (p KDFParams) Check() error {
	switch {
	case p.Algorithm != kdfAlgorithm:
		return fmt.Errorf("%w: algorithm %q, want %q", ErrKDFParams, p.Algorithm, kdfAlgorithm)
	case p.Time < 1 || p.Time > maxKDFTime:
		return fmt.Errorf("%w: time %d outside 1..%d", ErrKDFParams, p.Time, maxKDFTime)
	case p.Threads < 1 || p.Threads > maxKDFThreads:
		return fmt.Errorf("%w: threads %d outside 1..%d", ErrKDFParams, p.Threads, maxKDFThreads)
	case p.MemoryKiB < 8*uint32(p.Threads) || p.MemoryKiB > maxKDFMemoryKiB:
		// RFC 9106 requires at least 8 KiB per lane.
		return fmt.Errorf("%w: memory %d KiB outside %d..%d", ErrKDFParams, p.MemoryKiB, 8*uint32(p.Threads), maxKDFMemoryKiB)
	case uint64(p.Time)*uint64(p.MemoryKiB) > maxKDFWork:
		return fmt.Errorf("%w: time x memory %d KiB exceeds %d", ErrKDFParams, uint64(p.Time)*uint64(p.MemoryKiB), maxKDFWork)
	}
	return nil
}

// CheckFloor reports whether p meets the floor this build creates slots with
// ([MinKDFParams]; the cheap test cost in test builds). It is applied to slots read
// from a header, so a header holding a weaker slot (an old one, or one put there to
// make guessing cheap) is refused rather than used.
func (p KDFParams) CheckFloor() error {
	floor := MinKDFParams()
	if testCost {
		floor = CalibrateKDF(0)
	}
	if p.Time < floor.Time || p.MemoryKiB < floor.MemoryKiB {
		return fmt.Errorf("%w: t=%d, m=%d KiB is below the floor t=%d, m=%d KiB", ErrKDFParams, p.Time, p.MemoryKiB, floor.Time, floor.MemoryKiB)
	}
	return nil
}

// DeriveKey turns a passphrase into a 32-byte key-encryption key with
// Argon2id. It checks p first, because p and salt usually come from a file,
// and requires a salt of at least 16 bytes so slots never share a key.
func DeriveKey(passphrase, salt []byte, p KDFParams) ([]byte, error) {
	if err := p.Check(); err != nil {
		return nil, err
	}
	if len(salt) < minSaltSize {
		return nil, fmt.Errorf("%w: salt of %d bytes, want at least %d", ErrKDFParams, len(salt), minSaltSize)
	}
	key := argon2.IDKey(passphrase, salt, p.Time, p.MemoryKiB, p.Threads, KeySize)
	afterDerivation()
	return key, nil
}

// afterDerivation collects the memory a derivation leaves (p.MemoryKiB, 256 MiB
// at most, all garbage once it returns). The collector sets its next goal at
// twice what it found live, and a derivation's memory was live through every
// collection during it: left to itself, the heap then grew to twice the
// derivation's size before the next one. Unlocking a 50,000-case vault from the
// command line went to 535 MiB of anonymous memory while the store opened (the
// derivation's 256 MiB and 270 MiB of the open's garbage); collected here, the
// open allocates into the freed memory instead and the unlock peaked at the
// derivation's 269 MiB (docs/PERFORMANCE.md, "A derivation's memory and the settling's").
// It takes milliseconds: little else is live so early.
func afterDerivation() { runtime.GC() }

// NewSalt returns 32 random bytes for a new key slot; a fresh salt per slot
// means one Argon2id guess cannot be reused across slots or vaults.
func NewSalt() []byte {
	salt := make([]byte, saltSize)
	rand.Read(salt) // never fails since Go 1.24; it crashes the program instead.
	return salt
}
